#!/bin/bash
# Unpack Debian's linux-source-6.12 once into the cache and print its path.
#
# usage: scripts/unpack-kernel-source.sh
#
# Used for the test kernel and for the kernel's own tools (checkpatch,
# kernel-doc). Keyed by the package version; a second call is instant.
set -euo pipefail

[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }
tarball=/usr/src/linux-source-6.12.tar.xz
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}
[ -r "$tarball" ] || { echo "error: $tarball missing: run scripts/install-deps.sh" >&2; exit 1; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
src=$cache_root/src-$srcver
if [ ! -f "$src/.done" ]; then
	echo "kernel source: unpacking linux-source $srcver" >&2
	mkdir -p "$cache_root"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tarball"
	touch "$src.tmp/.done"
	mv "$src.tmp" "$src"
fi
echo "$src"
