#!/bin/bash
# make coverage: line and branch coverage of the three modules from the
# KUnit run on the debug kernel (CONFIG_GCOV_KERNEL).
#
# usage: scripts/coverage.sh [--judge-only]
#
# Builds the suite with GCOV_PROFILE=y, runs the KUnit modules in QEMU,
# carries the .gcda files out over the serial console (base64 tar between
# markers), and runs lcov/genhtml on the host. Prints per-file line and
# branch coverage and each module's line total; HTML in .build/coverage/html.
# Exits non-zero if the guest log is not clean (judged as make check
# judges it) or a module is below the line target (90%, or
# POOL_EXT_COVERAGE_TARGET). --judge-only skips the build and the boot and
# judges the last run's log and data again (another target, say).
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
judge_only=0
case "${1:-}" in
--judge-only) judge_only=1 ;;
"") ;;
*) echo "usage: $0 [--judge-only]" >&2; exit 2 ;;
esac
w=${POOL_EXT_OUT:-$root/.build}/coverage
# The guest log must be as clean as make check's: a warning, a leak or a
# failed case fails the coverage run too.
clean=0
if [ $judge_only = 0 ]; then
	"$root/scripts/install-deps.sh" || exit 1
	kdir=$("$root/scripts/build-test-kernel.sh" | tail -1)
	mkdir -p "$w"
	copy_tree "$root" "$w/src"
	# With the test hooks, as make check builds its KUnit pass: the same
	# suites run (genpool_ext_race, dmapool_ext's skewed-memory cases).
	make -C "$w/src" KDIR="$kdir" GCOV_PROFILE=y POOL_EXT_TEST_HOOKS=y modules \
		> "$w/build.log" 2>&1 ||
		{ tail -20 "$w/build.log"; exit 1; }
	mapfile -t kos < <(suite_modules "$w/src"; test_modules "$w/src")
	echo "== KUnit with GCOV on $(kernel_release "$kdir")"
	boot_and_judge -s 2 -m 2048 -t 1800 -a "pool_ext.mode=coverage kmemleak=on" \
		-p "--kunit --suites-from $w/src/tests" \
		"$kdir/arch/x86/boot/bzImage" "$w/serial.log" "${kos[@]}" || clean=1
else
	[ -f "$w/serial.log" ] || { echo "coverage: no earlier run in $w"; exit 1; }
	echo "== judging the last run again: $w/serial.log"
	python3 "$root/scripts/ktap_parse.py" --kunit --suites-from "$w/src/tests" \
		"$w/serial.log" > "$w/serial.verdict" || clean=1
	sed 's/^/   /' "$w/serial.verdict"
fi

python3 "$root/scripts/serial_log.py" --between gcov-begin gcov-end --data "$w/serial.log" |
	base64 -d > "$w/gcda.tgz" 2>/dev/null
tar -C / -xzf "$w/gcda.tgz" 2>/dev/null || { echo "coverage: no gcov data came out of the guest"; exit 1; }

info=$w/coverage.info
lcov -q --capture --rc lcov_branch_coverage=1 --directory "$w/src" \
	--gcov-tool gcov --output-file "$w/all.info" > "$w/lcov.log" 2>&1 ||
	{ cat "$w/lcov.log"; exit 1; }
lcov -q --rc lcov_branch_coverage=1 --extract "$w/all.info" \
	"$w/src/genpool_ext/*" "$w/src/mempool_ext/*" "$w/src/dmapool_ext/*" \
	--output-file "$info" >> "$w/lcov.log" 2>&1
genhtml -q --branch-coverage --output-directory "$w/html" "$info" >> "$w/lcov.log" 2>&1

# POOL_EXT_COVERAGE_TARGET: the line coverage every module must reach, in
# percent (default 90).
target=${POOL_EXT_COVERAGE_TARGET:-90}
python3 - "$info" "$w/src/" "$target" <<'PY'
import sys
info, prefix, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
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
    print(f'module {m}: {p:.1f}% of lines ({lh}/{lf}) {"meets" if p >= target else "BELOW"} the {target:g}% target')
    bad |= p < target
if len(mods) < 3:
    print(f'only {len(mods)} module(s) have coverage data')
    bad = 1
sys.exit(bad)
PY
below=$?
echo "HTML report: $w/html/index.html"
[ $clean = 0 ] || echo "coverage: FAIL: the guest log is not clean (see the verdict above)"
[ $below = 0 ] || echo "coverage: FAIL: a module is below the ${target}% line target"
[ $clean = 0 ] && [ $below = 0 ] && echo "coverage: PASS"
[ $clean = 0 ] && [ $below = 0 ]
