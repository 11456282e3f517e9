#!/bin/bash
# Build a gzip'd cpio initramfs: static busybox, scripts/guest-init.sh as
# /init, and the given modules, loaded in the order given.
#
# usage: scripts/make-initramfs.sh [-b BUSYBOX] [-t LIB_MODULES_DIR] [-f FILE]... OUT.cpio.gz [MODULE.ko[:ARGS]]...
#
# Modules are unloaded in reverse order. ARGS (optional, after a colon,
# commas for spaces) become the insmod parameters. A MODULE.guest.sh beside
# MODULE.ko is sourced by the guest's /init right after that insmod. -t
# copies an installed module tree (a lib/modules directory with
# modules.dep) to /lib/modules for modprobe. -f copies FILE to /pool_ext/
# as it is (a job script for guest mode "job", its data, modules the job
# loads itself). -b takes another static busybox (the guest's
# architecture's: scripts/fetch-debian-busybox.sh).
set -euo pipefail

modtree=
files=()
bb=/bin/busybox	# busybox-static: the guest has no libc
while [ $# -gt 0 ]; do
	case "$1" in
	-b) bb=$2; shift 2 ;;
	-t) modtree=$2; shift 2 ;;
	-f) files+=("$2"); shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: $0 [-b BUSYBOX] [-t LIB_MODULES_DIR] [-f FILE]... OUT.cpio.gz [MODULE.ko[:ARGS]]..." >&2; exit 2; }
out=$(readlink -f "$1"); shift
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$bb" ] || { echo "error: busybox missing: run scripts/install-deps.sh" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,tmp,pool_ext}
cp "$bb" "$root/bin/busybox"
cp "$here/guest-init.sh" "$root/init"
chmod +x "$root/init"
# poolstat runs in the guest too (busybox sh and awk).
cp "$here/poolstat" "$root/bin/poolstat"
chmod +x "$root/bin/poolstat"

: > "$root/pool_ext/load-order"
for spec in "$@"; do
	ko=${spec%%:*}
	name=$(basename "$ko" .ko)
	cp "$ko" "$root/pool_ext/$name.ko"
	[ ! -f "${ko%.ko}.guest.sh" ] || cp "${ko%.ko}.guest.sh" "$root/pool_ext/$name.sh"
	echo "$name" >> "$root/pool_ext/load-order"
	if [ "$spec" != "$ko" ]; then
		echo "${spec#*:}" | tr ',' ' ' > "$root/pool_ext/$name.args"
	fi
done
for f in ${files[@]+"${files[@]}"}; do
	cp "$f" "$root/pool_ext/"
done
tac "$root/pool_ext/load-order" > "$root/pool_ext/unload-order"
if [ -n "$modtree" ]; then
	mkdir -p "$root/lib"
	cp -a "$modtree" "$root/lib/modules"
fi

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
