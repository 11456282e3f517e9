#!/bin/bash
# make run: boot a stock Debian kernel in QEMU, load the suite and the demo,
# print what they report, unload, and judge the log.
#
# usage: scripts/run.sh [6.12|6.1]
#
# Exits non-zero if a demo scenario printed FAIL, a module failed to load
# or unload, or the log shows any warning, oops or leak.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
ver=${1:-6.12}
case "$ver" in
6.1|6.12) ;;
*) echo "usage: $0 [6.12|6.1]" >&2; exit 2 ;;
esac
POOL_EXT_ROOT=$root
. "$root/scripts/lib.sh"

"$root/scripts/install-deps.sh" || exit 1
k=$(stock_kernel "$ver") || exit 1
set -- $k
work=${POOL_EXT_OUT:-$root/.build}/run-$ver
echo "== building against $2"
build_tree "$root" "$work" "$2" || exit 1
mapfile -t kos < <(suite_modules "$work/src"; demo_modules "$work/src")
"$root/scripts/make-initramfs.sh" "$work/initrd.cpio.gz" "${kos[@]}" || exit 1

echo "== booting $1 (QEMU TCG, 2 CPUs)"
"$root/scripts/qemu-run.sh" -k "$1" -i "$work/initrd.cpio.gz" -l "$work/serial.log" \
	-s 2 -t 240 -a "pool_ext.mode=run"
qrc=$?

# The report: everything the init and the modules printed between the
# begin and done markers, without timestamps and without boot noise.
sed -e 's/^\[ *[0-9.]*\] //' -e 's/\r$//' "$work/serial.log" |
	sed -n '/^POOL_EXT: begin/,/^POOL_EXT: done/p' |
	grep -vE '^(POOL_EXT: kmemleak|reboot:)'

rc=0
[ $qrc = 0 ] || { echo "problem: QEMU exited with $qrc"; rc=1; }
if ! demo_verdict "$work/serial.log"; then
	rc=1
fi
echo "== log verdict ($work/serial.log)"
python3 "$root/scripts/ktap_parse.py" "$work/serial.log" || rc=1
exit $rc
