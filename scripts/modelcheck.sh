#!/bin/bash
# The genpool_ext interleaving model checker (tests/modelcheck/): build the
# unmodified genpool_ext sources in userspace against the checker's kernel
# shims, and run its seeded rounds of concurrent alloc/free.
#
# usage: scripts/modelcheck.sh [modelcheck options]
#   no options: the default run (10000 seeds, 25 rounds each)
#   --seed N --verbose: replay one seed and print every access of the
#   failing round; --help lists the rest
#
# Environment: POOL_EXT_SRC (tree whose genpool_ext/ is checked, default:
# this repo), POOL_EXT_OUT (build directory root, default: .build in this
# repo). Exits non-zero if the build fails or any invariant is violated.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src=${POOL_EXT_SRC:-$root}
out=${POOL_EXT_OUT:-$root/.build}/modelcheck

make -s -C "$root/tests/modelcheck" O="$out" SRC="$src" ||
	{ echo "modelcheck: build failed"; exit 1; }
"$out/modelcheck" "$@" || exit 1
# Then placement against bfref's kernel-faithful reference, built with the
# module's own threshold for best fit's rows, so that its chunks of 1 to
# 200 groups come with and without rows (40 seeds, a few seconds).
make -s -C "$root/tests/modelcheck" O="$out/bfref-rows64" SRC="$src" \
	ROWS_MIN=64 "$out/bfref-rows64/bfref" ||
	{ echo "bfref: build failed"; exit 1; }
"$out/bfref-rows64/bfref" 1 40
