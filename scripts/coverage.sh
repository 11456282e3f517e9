#!/bin/bash
# make coverage: line and branch coverage of the three modules from the
# KUnit run on the debug kernel (CONFIG_GCOV_KERNEL).
#
# usage: scripts/coverage.sh
#
# Builds the suite with GCOV_PROFILE=y, runs the KUnit modules in QEMU,
# carries the .gcda files out over the serial console (base64 tar between
# markers), and runs lcov/genhtml on the host. Prints per-file line and
# branch coverage and each module's line total; HTML in .build/coverage/html.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
POOL_EXT_ROOT=$root
. "$root/scripts/lib.sh"
[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }
"$root/scripts/install-deps.sh" || exit 1
kdir=$("$root/scripts/build-test-kernel.sh" | tail -1)
w=${POOL_EXT_OUT:-$root/.build}/coverage
mkdir -p "$w"

copy_tree "$root" "$w/src"
make -C "$w/src" KDIR="$kdir" GCOV_PROFILE=y modules > "$w/build.log" 2>&1 ||
	{ tail -20 "$w/build.log"; exit 1; }
mapfile -t kos < <(suite_modules "$w/src"; test_modules "$w/src")
"$root/scripts/make-initramfs.sh" "$w/initrd.cpio.gz" "${kos[@]}" || exit 1
"$root/scripts/qemu-run.sh" -k "$kdir/arch/x86/boot/bzImage" -i "$w/initrd.cpio.gz" \
	-l "$w/serial.log" -s 2 -m 2048 -t 1800 -a "pool_ext.mode=coverage kmemleak=on"

sed -e 's/\r$//' "$w/serial.log" | sed -n '/^POOL_EXT: gcov-begin/,/^POOL_EXT: gcov-end/p' |
	grep -v '^POOL_EXT:' | grep -v '^\[' | base64 -d > "$w/gcda.tgz" 2>/dev/null
tar -C / -xzf "$w/gcda.tgz" 2>/dev/null || { echo "coverage: no gcov data came out of the guest"; exit 1; }

info=$w/coverage.info
lcov -q --capture --rc lcov_branch_coverage=1 --directory "$w/src" \
	--gcov-tool gcov --output-file "$w/all.info" > "$w/lcov.log" 2>&1 ||
	{ cat "$w/lcov.log"; exit 1; }
lcov -q --rc lcov_branch_coverage=1 --extract "$w/all.info" \
	"$w/src/genpool_ext/*" "$w/src/mempool_ext/*" "$w/src/dmapool_ext/*" \
	--output-file "$info" >> "$w/lcov.log" 2>&1
genhtml -q --branch-coverage --output-directory "$w/html" "$info" >> "$w/lcov.log" 2>&1

python3 - "$info" "$w/src/" <<'PY'
import sys
info, prefix = sys.argv[1], sys.argv[2]
files, cur = {}, None
for line in open(info):
    line = line.strip()
    if line.startswith('SF:'):
        cur = line[3:].replace(prefix, '')
        files[cur] = [0, 0, 0, 0]
    elif line.startswith(('LH:', 'LF:', 'BRH:', 'BRF:')) and cur:
        k, v = line.split(':')
        files[cur][['LH', 'LF', 'BRH', 'BRF'].index(k)] = int(v)
mods = {}
print(f"{'file':40s} {'lines':>16s} {'branches':>16s}")
for f in sorted(files):
    lh, lf, bh, bf = files[f]
    pct = lambda a, b: f'{100.0 * a / b:5.1f}% {a:4d}/{b:<4d}' if b else '    -'
    print(f'{f:40s} {pct(lh, lf):>16s} {pct(bh, bf):>16s}')
    m = mods.setdefault(f.split('/')[0], [0, 0])
    m[0] += lh; m[1] += lf
bad = 0
for m, (lh, lf) in sorted(mods.items()):
    p = 100.0 * lh / lf if lf else 0
    print(f'module {m}: {p:.1f}% of lines ({lh}/{lf}) {"meets" if p >= 90 else "BELOW"} the 90% target')
PY
echo "HTML report: $w/html/index.html"
