#!/bin/bash
# make check ARCH=arm64: the suite on arm64, with on-chip SRAM found
# through the device tree.
#
# usage: scripts/arm64-check.sh [--kunit-only]
#
# The kernels are those of scripts/kernels-arm64.list; every boot is
# qemu-system-aarch64 -machine virt (TCG, scripts/qemu-run.sh -A arm64)
# with QEMU's own device tree plus drivers/dt/virt-sram.dtsi (a no-map
# carve-out, an mmio-sram node with two partitions, an SRAM client).
# 1. install Debian dependencies (cross compiler, qemu-system-arm, dtc)
# 2. for every debug kernel (6.12-debug: cross-built by
#    scripts/build-test-kernel.sh debug-arm64, once): build suite, KUnit
#    modules, sram_ext, its client and the demo against it; boot; load
#    the suite, sram_ext and the client (unbound and rebound twice), then
#    every KUnit suite (genpool_ext's of_genpool_ext_get() case finds the
#    client's pools in the live tree) and the demo; judge the serial log
# 3. for every stock kernel (Debian 12's arm64 6.12, fetched unpacked
#    through a private arm64 apt configuration): build with no compiler
#    warning allowed, boot, load the suite, sram_ext, the client and the
#    demo, unload in reverse, require a clean log
# The summary's last line is the KUnit count "N passed, N failed, N
# skipped". Exit status non-zero if any step failed.
#
# Environment as scripts/check.sh: POOL_EXT_SRC, POOL_EXT_OUT (logs in
# arm64-kunit-NAME/, arm64-smoke-NAME/), POOL_EXT_KUNIT_TIMEOUT (default
# 2400), POOL_EXT_SUITES, POOL_EXT_ONLY (names of kernels-arm64.list).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
POOL_EXT_KERNELS=$root/scripts/kernels-arm64.list
. "$root/scripts/lib.sh"
check_start "$@"
# Every kbuild run (build_tree) cross-compiles.
export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
dtsi=$src/drivers/dt/virt-sram.dtsi

# driver_modules DIR: sram_ext and its client, in load order.
driver_modules() {
	local m
	for m in drivers/sram_ext/sram_ext.ko drivers/sram_ext_client.ko; do
		[ -f "$1/$m" ] || { echo "   $1/$m was not built" >&2; return 1; }
		echo "$1/$m"
	done
}

# sram_verdict LOG: sram_ext bound the SRAM and its client found both
# partitions' pools through the device tree at its first probe and at both
# rebinds (the probe fails on a pool that is not whole), every pool was
# whole after each unbind, and both modules loaded and unloaded cleanly.
sram_verdict() {
	local log=$1 rc=0 n line
	grep -q '^POOL_EXT: sram_ext: bound ' "$log" ||
		{ echo "   problem: sram_ext bound no SRAM"; rc=1; }
	n=$(grep -c 'sram_ext_client sram-client: 2 SRAM pools in use' "$log")
	[ "$n" = 3 ] || { echo "   problem: the client probed successfully $n times, not 3 (probe, 2 rebinds)"; rc=1; }
	for what in "unbind" "bind"; do
		n=$(grep -cE "^POOL_EXT: sram-client $what .* rc=0 " "$log")
		[ "$n" = 2 ] || { echo "   problem: $n of 2 client ${what}s succeeded"; rc=1; }
	done
	n=$(grep -c '^POOL_EXT: sram-client pool .* after unbind' "$log")
	[ "$n" -ge 4 ] || { echo "   problem: the pools were not listed after the unbinds"; rc=1; }
	while read -r line; do
		echo "   problem: a pool was not whole after an unbind: $line"
		rc=1
	done < <(grep '^POOL_EXT: sram-client pool .* after unbind' "$log" |
		awk '{ split($5, s, "="); split($6, a, "="); if (s[2] != a[2]) print }')
	grep -E 'removed (pool )?while SRAM allocated' "$log" && rc=1
	for m in sram_ext sram_ext_client; do
		grep -q "^POOL_EXT: insmod $m rc=0" "$log" &&
			grep -q "^POOL_EXT: rmmod $m rc=0" "$log" ||
			{ echo "   problem: $m did not load and unload cleanly"; rc=1; }
	done
	# The first probe's report: the pools and their physical addresses.
	grep -m4 -oE 'sram_ext_client sram-client: sram\[[0-9]\].*' "$log" | sed 's/^/   /'
	return $rc
}

# kunit NAME: the KUnit run on arm64 debug kernel NAME.
kunit() {
	local name=$1 k kdir w=$out/arm64-kunit-$1 rc=0 start kos bb
	echo "== KUnit on the arm64 $name debug kernel"
	start=$(date +%s)
	k=$(kernel_resolve "$name") || return 1
	set -- $k
	kdir=$2
	POOL_EXT_RELEASE=$(kernel_release "$kdir")
	echo "   $POOL_EXT_RELEASE, $kdir (ready after $(( $(date +%s) - start ))s)"
	build_tree "$src" "$w" "$kdir" POOL_EXT_TEST_HOOKS=y || return 1
	bb=$("$root/scripts/fetch-debian-busybox.sh" arm64 | tail -1) || return 1
	# sram_ext and the client first: genpool_ext_test looks up their pools.
	mapfile -t kos < <(suite_modules "$w/src"; driver_modules "$w/src";
		test_modules "$w/src"; demo_modules "$w/src")
	# hung_task_timeout_secs=600: insmod of a test module waits in D state
	# while KUnit runs its cases, and emulating arm64 on a loaded host,
	# mempool_ext_fuzz's debug case outlasted the default 120 s (insmod
	# "blocked for more than 120 seconds", seen at load 15). A stuck case
	# still fails: KUnit times a case out after 300 s.
	boot_and_judge -A arm64 -D "$dtsi" -b "$bb" \
		-s "$(kernel_field "$name" smp)" -m 2048 \
		-t "${POOL_EXT_KUNIT_TIMEOUT:-2400}" \
		-a "pool_ext.mode=kunit kmemleak=on sysctl.kernel.hung_task_timeout_secs=600${POOL_EXT_SUITES:+ kunit.filter_glob=$POOL_EXT_SUITES}" \
		-p "--kunit --suites-from $w/src/tests${POOL_EXT_SUITES:+ --filter $POOL_EXT_SUITES}" \
		-V "$w/verdict.txt" "$1" "$w/serial.log" "${kos[@]}" || rc=1
	kunit_tally "$w/verdict.txt"
	expected_log "$w/serial.log" "$w/src/tests/expected-log" || rc=1
	# The live-tree case must have run here, not skipped (a skip is
	# "ok N name # SKIP ..."), when its suite was selected. The serial
	# log's lines carry the kernel's timestamp and end in CR.
	if [ -z "${POOL_EXT_SUITES:-}" ] || [[ genpool_ext == $POOL_EXT_SUITES ]]; then
		grep -qE '^(\[ *[0-9.]+\])?\s*ok [0-9]+ genpool_ext_test_of_get_live\s*$' "$w/serial.log" ||
			{ echo "   problem: genpool_ext_test_of_get_live did not pass (skipped?)"; rc=1; }
	fi
	demo_verdict "$w/serial.log" || rc=1
	sram_verdict "$w/serial.log" || rc=1
	return $rc
}

# smoke NAME: the stock arm64 kernel NAME.
smoke_arm64() {
	local name=$1 k w=$out/arm64-smoke-$1 rc=0 kos bb
	echo "== smoke on stock arm64 $name"
	k=$(kernel_resolve "$name") || return 1
	set -- $k
	POOL_EXT_RELEASE=$(kernel_release "$2")
	echo "   $POOL_EXT_RELEASE, $(kernel_field "$name" smp) vCPUs"
	build_tree "$src" "$w" "$2" || return 1
	bb=$("$root/scripts/fetch-debian-busybox.sh" arm64 | tail -1) || return 1
	mapfile -t kos < <(suite_modules "$w/src"; driver_modules "$w/src"; demo_modules "$w/src")
	"$root/scripts/make-initramfs.sh" -b "$bb" "$w/initrd.cpio.gz" "${kos[@]}" || return 1
	"$root/scripts/qemu-run.sh" -A arm64 -D "$dtsi" -k "$1" -i "$w/initrd.cpio.gz" \
		-l "$w/serial.log" -s "$(kernel_field "$name" smp)" -t 600 \
		-a "pool_ext.mode=smoke" || { echo "   qemu exited with an error"; rc=1; }
	grep -E '^POOL_EXT: (insmod|rmmod)' "$w/serial.log" | sed 's/^/   /'
	demo_verdict "$w/serial.log" | sed 's/^/ /'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	sram_verdict "$w/serial.log" || rc=1
	python3 "$root/scripts/ktap_parse.py" "$w/serial.log" | sed 's/^/   /'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	return $rc
}

"$root/scripts/install-deps.sh" || { echo "check: dependency install failed"; echo "0 passed, 0 failed"; exit 1; }

for name in $(kernel_names debug); do
	selected "$name" || continue
	POOL_EXT_RELEASE=
	kunit "$name"
	step "arm64 KUnit on $name${POOL_EXT_RELEASE:+ ($POOL_EXT_RELEASE)}" $?
done
if [ $kunit_only = 0 ]; then
	for name in $(kernel_names stock); do
		selected "$name" || continue
		POOL_EXT_RELEASE=
		smoke_arm64 "$name"
		step "arm64 smoke on stock $name${POOL_EXT_RELEASE:+ ($POOL_EXT_RELEASE)}" $?
	done
fi

echo "== summary (arm64)"
for s in "${status[@]}"; do echo "  $s"; done
echo "$passed passed, $nfailed failed, $skipped skipped"
exit $failed
