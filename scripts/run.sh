#!/bin/bash
# make run: boot a stock Debian kernel in QEMU, load the suite and the demo,
# print what they report, unload, and judge the log.
#
# usage: scripts/run.sh [NAME]
#
# NAME is any kernel of the matrix, scripts/kernels.list (default 6.12):
# the stock 6.1, 6.12, 6.12-rt and 7.2, or a debug kernel (6.12-debug,
# 7.2-debug), which is built first if it is not cached.
#
# Exits non-zero if a demo scenario printed FAIL, a module failed to load
# or unload, or the log shows any warning, oops or leak.
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
[ $# -le 1 ] || { echo "usage: $0 [NAME]  (NAME: $(kernel_names | tr '\n' ' '))" >&2; exit 2; }
name=${1:-6.12}
kernel_row "$name" > /dev/null || exit 2

"$root/scripts/install-deps.sh" || exit 1
k=$(kernel_resolve "$name") || exit 1
set -- $k
smp=$(kernel_field "$name" smp)
mem=1024
[ "$(kernel_field "$name" kind)" = debug ] && mem=2048	# KASAN's shadow
work=${POOL_EXT_OUT:-$root/.build}/run-$name
echo "== building against $2 ($(kernel_release "$2"))"
build_tree "$root" "$work" "$2" || exit 1
mapfile -t kos < <(suite_modules "$work/src"; demo_modules "$work/src")

echo "== booting $name: $1 (QEMU TCG, $smp CPUs)"
rc=0
boot_and_judge -s "$smp" -m "$mem" -t 600 -a "pool_ext.mode=run" \
	"$1" "$work/serial.log" "${kos[@]}" > "$work/judge.txt" || rc=1

# The report: everything the init and the modules printed between the
# begin and done markers, without timestamps and without boot noise.
python3 "$root/scripts/serial_log.py" --between begin 'done' "$work/serial.log" |
	grep -vE '^(POOL_EXT: kmemleak|reboot:)'

if ! demo_verdict "$work/serial.log"; then
	rc=1
fi
echo "== log verdict ($work/serial.log)"
cat "$work/judge.txt"
exit $rc
