#!/bin/bash
# Build (or reuse) a sparse new enough for the newest kernels of the matrix.
#
# usage: scripts/build-sparse.sh
#
# Linux 7.2's kbuild only runs a checker that understands
# __typeof_unqual__ (scripts/checker-valid.sh); Debian 12's sparse 0.6.4
# does not, and kbuild then skips sparse with a warning. Debian unstable's
# sparse does, but its binary package needs unstable's C library, so its
# source package is downloaded (through the private apt configuration of
# scripts/lib.sh, debian_apt) and built here: the sparse program alone,
# without the optional LLVM, SQLite, libxml2 and GTK parts. Cached in
# $POOL_EXT_CACHE/sparse-VERSION, keyed by the package version; prints the
# program's path on the last line.
set -euo pipefail

[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}
suite=unstable

cached() {
	ls -d "$cache_root"/sparse-*/.done 2>/dev/null | sed 's|/.done$||' | sort -V | tail -1
	return 0
}
cache_lookup_locked cached "$cache_root/.fetch.lock"
if [ -n "$POOL_EXT_CACHED" ]; then
	echo "$POOL_EXT_CACHED/sparse"
	exit 0
fi

echo "sparse: reading Debian $suite's sources" >&2
debian_apt "$suite" apt-get -qq update >&2
ver=$(debian_apt "$suite" apt-cache showsrc sparse 2>/dev/null | sed -n 's/^Version: //p' |
	sort -V | tail -1)
[ -n "$ver" ] || { echo "error: Debian $suite has no sparse source package" >&2; exit 1; }
out=$cache_root/sparse-$ver
rm -rf "$out"
mkdir -p "$out/pkg"
echo "sparse: building $ver in $out" >&2
(cd "$out/pkg" && debian_apt "$suite" apt-get -qq source --download-only "sparse=$ver") >&2
# Upstream source without the Debian patches: they only adapt the build
# to unstable's toolchain (gcc-16, --as-needed).
dpkg-source --no-check --skip-patches -x "$out/pkg"/sparse_*.dsc "$out/src" > "$out/build.log" 2>&1
make -C "$out/src" -j"$(nproc)" HAVE_LLVM=no HAVE_SQLITE=no HAVE_LIBXML=no HAVE_GTK=no \
	sparse >> "$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log" >&2; echo "error: sparse did not build, log $out/build.log" >&2; exit 1; }
cp "$out/src/sparse" "$out/sparse"
rm -rf "$out/pkg" "$out/src"
touch "$out/.done"
echo "$out/sparse"
