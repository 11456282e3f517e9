#!/bin/bash
# Unpack a Debian kernel source once into the cache and print its path.
#
# usage: scripts/unpack-kernel-source.sh [SERIES]
#
# SERIES defaults to 6.12: Debian 12's installed linux-source-6.12, used
# for the debug test kernel and for the kernel's own tools (checkpatch,
# kernel-doc). Any other series comes from the kernel matrix
# (scripts/kernels.list): the linux-source-SERIES of the same version as
# that series' row fetched from another Debian suite
# (scripts/fetch-debian-kernel.sh does the download and the unpacking).
# The directory is $POOL_EXT_CACHE/src-VERSION, keyed by the package
# version; a second call is instant.
set -euo pipefail

[ $# -le 1 ] || { echo "usage: $0 [SERIES]" >&2; exit 2; }
series=${1:-6.12}
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}
tarball=/usr/src/linux-source-$series.tar.xz

if [ "$(dpkg-query -W -f='${Status}' "linux-source-$series" 2>/dev/null)" != "install ok installed" ]; then
	[ "$series" != 6.12 ] || { echo "error: linux-source-6.12 missing: run scripts/install-deps.sh" >&2; exit 1; }
	# A stock row of the matrix for this series, from another suite.
	. "$here/lib.sh"
	name=
	for n in $(kernel_names stock); do
		if [ "$(kernel_field "$n" series)" = "$series" ] &&
		   [ "$(kernel_field "$n" origin)" != installed ]; then
			name=$n
			break
		fi
	done
	[ -n "$name" ] || { echo "error: no kernel of series $series in $POOL_EXT_KERNELS to take the source from" >&2; exit 1; }
	origin=$(kernel_field "$name" origin)
	dir=$("$here/fetch-debian-kernel.sh" "${origin%%:*}" "${origin#*:}" "$(kernel_field "$name" flavour)" | tail -1)
	readlink -f "$dir/source"
	exit 0
fi

[ -r "$tarball" ] || { echo "error: $tarball missing: run scripts/install-deps.sh" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
src=$cache_root/src-$srcver
if [ ! -f "$src/.done" ]; then
	echo "kernel source: unpacking linux-source-$series $srcver" >&2
	mkdir -p "$cache_root"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tarball"
	touch "$src.tmp/.done"
	mv "$src.tmp" "$src"
fi
echo "$src"
