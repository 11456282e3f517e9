# SPDX-License-Identifier: GPL-2.0
# Shell functions shared by the scripts (check, run, lint, bench,
# coverage, package-check, iommu-check, contended-check, kcsan-check): the
# kernel matrix, builds, and the one path from modules to a verdict
# (boot_and_judge).
# Source it; do not run it. It finds the suite's root itself, from its own
# location: POOL_EXT_ROOT (the tree the scripts belong to) and
# POOL_EXT_SCRIPTS (its scripts/).
#
# usage: . "$(dirname "$0")/lib.sh"

# The suite's modules in load order; unloading goes in reverse.
POOL_EXT_MODULES="genpool_ext mempool_ext dmapool_ext"

# The kernel matrix, scripts/kernels.list: one row per kernel (see its
# header for the columns). POOL_EXT_KERNELS may name another table.
POOL_EXT_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POOL_EXT_ROOT=$(cd "$POOL_EXT_SCRIPTS/.." && pwd)
POOL_EXT_KERNELS=${POOL_EXT_KERNELS:-$POOL_EXT_SCRIPTS/kernels.list}

# cache_lookup_locked CACHED LOCK: what the function CACHED prints (a
# finished tree in the cache), else, after waiting for LOCK (taken on fd 8
# and held until the calling script exits), what it prints then: one fetch
# or build at a time, and a second caller finds the first one's tree. Sets
# POOL_EXT_CACHED to the tree, or to nothing, with the lock held, when the
# caller must make it.
cache_lookup_locked() {
	POOL_EXT_CACHED=$("$1")
	[ -n "$POOL_EXT_CACHED" ] && return 0
	mkdir -p "$(dirname "$2")"
	exec 8> "$2"
	flock 8
	POOL_EXT_CACHED=$("$1")
}

# kernel_row NAME: print the row NAME as "NAME KIND SERIES FLAVOUR ORIGIN
# SMP EXTRA", or fail with a message naming the known kernels.
kernel_row() {
	local row
	row=$(awk -v n="$1" '!/^#/ && $1 == n { print; exit }' "$POOL_EXT_KERNELS")
	[ -n "$row" ] || {
		echo "error: no kernel '$1' in $POOL_EXT_KERNELS (known: $(kernel_names | tr '\n' ' '))" >&2
		return 1
	}
	echo $row
}

# kernel_names [KIND]: the names in table order, all or of one KIND.
kernel_names() {
	awk -v k="${1:-}" '!/^#/ && NF && (k == "" || $2 == k) { print $1 }' "$POOL_EXT_KERNELS"
}

# kernel_field NAME FIELD: one column of row NAME; FIELD is kind, series,
# flavour, origin, smp or extra.
kernel_field() {
	local row col
	case "$2" in
	kind) col=2 ;; series) col=3 ;; flavour) col=4 ;; origin) col=5 ;; smp) col=6 ;; extra) col=7 ;;
	*) echo "error: kernel_field: no column '$2'" >&2; return 1 ;;
	esac
	row=$(kernel_row "$1") || return 1
	echo "$row" | cut -d' ' -f$col
}

# installed_release SERIES FLAVOUR: the newest installed Debian kernel
# release (in $POOL_EXT_BOOT, default /boot) of exactly that series and
# flavour: 6.1 amd64 matches 6.1.0-57-amd64, 6.12 amd64 matches
# 6.12.118+deb12-amd64 but never 6.12.118+deb12-rt-amd64 (flavour
# rt-amd64), and 6.1 never matches 6.12.
installed_release() {
	local series=${1//./\\.} flavour=${2//./\\.}
	ls "${POOL_EXT_BOOT:-/boot}" 2>/dev/null | sed -n 's/^vmlinuz-//p' |
		grep -E "^${series}\.[0-9]+(-[0-9]+|\+deb[0-9]+)?-${flavour}\$" |
		sort -V | tail -1
}

# debian_apt SUITE apt-get|apt-cache ARGS...: run an apt command against
# Debian's SUITE alone (binary and source packages), on the mirror this
# machine's apt sources already use, through a private configuration:
# sources list, lists and cache under $POOL_EXT_CACHE/apt-SUITE. Nothing
# under /etc/apt and none of the system's package state changes, so the
# machine stays a Debian 12 system. Run "debian_apt SUITE apt-get update"
# first. With POOL_EXT_APT_ARCH=ARCH (arm64, say) the configuration is for
# that architecture alone, in apt-SUITE-ARCH: the machine's dpkg
# architectures stay as they are. A SUITE ending in -security is read from
# Debian's security archive.
debian_apt() {
	local suite=$1 cmd=$2 dir mirror archive=debian key=/usr/share/keyrings/debian-archive-keyring.gpg
	local arch=${POOL_EXT_APT_ARCH:-}
	shift 2
	dir=${POOL_EXT_CACHE:-/var/cache/pool_ext}/apt-$suite${arch:+-$arch}
	case "$suite" in *-security) archive=debian-security ;; esac
	# The first URI of that Debian archive in the machine's sources
	# (one-line or deb822 format).
	mirror=$( { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true; } |
		grep -oE "(^deb(\\s+\\[[^]]*\\])?\\s+|^URIs:\\s*)[a-z]+://[^ ]+/$archive/?(\\s|\$)" |
		grep -oE '[a-z]+://[^ ]+' | head -1)
	mirror=${mirror:-http://deb.debian.org/$archive}
	[ -z "$arch" ] || set -- -o APT::Architecture="$arch" -o APT::Architectures="$arch" "$@"
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	printf 'deb [signed-by=%s] %s %s main\ndeb-src [signed-by=%s] %s %s main\n' \
		"$key" "${mirror%/}" "$suite" "$key" "${mirror%/}" "$suite" > "$dir/sources.list"
	"$cmd" -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir" \
		-o Dir::Cache::archives="$dir/archives" -o Dir::Cache::pkgcache= \
		-o Dir::Cache::srcpkgcache= -o APT::Get::List-Cleanup=0 \
		-o APT::Sandbox::User=root "$@"
}

# debian_version SUITE PACKAGE: the newest version of PACKAGE in SUITE
# (after "debian_apt SUITE apt-get update"), or nothing.
debian_version() {
	debian_apt "$1" apt-cache show "$2" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1
}

# kernel_resolve NAME: print "VMLINUZ KDIR" for any kernel of the table,
# fetching, unpacking or building it first when it is not cached (a stock
# kernel from another suite is downloaded once; a debug kernel is built
# once, several minutes). Progress goes to stderr.
kernel_resolve() {
	local row v dir
	row=$(kernel_row "$1") || return 1
	set -- $row
	if [ "$2" = debug ]; then
		dir=$("$POOL_EXT_SCRIPTS/build-test-kernel.sh" "$4" | tail -1)
		[ -f "$dir/.done" ] || { echo "error: debug kernel $1 did not build" >&2; return 1; }
		if [ -f "$dir/arch/arm64/boot/Image" ]; then
			echo "$dir/arch/arm64/boot/Image $dir"
		else
			echo "$dir/arch/x86/boot/bzImage $dir"
		fi
		return 0
	fi
	case "$5" in
	installed)
		v=$(installed_release "$3" "$4")
		[ -n "$v" ] && [ -f "/lib/modules/$v/build/Makefile" ] || {
			echo "error: no Debian $3 $4 kernel with headers installed: run scripts/install-deps.sh" >&2
			return 1
		}
		echo "/boot/vmlinuz-$v /lib/modules/$v/build"
		;;
	*:*)
		dir=$("$POOL_EXT_SCRIPTS/fetch-debian-kernel.sh" "${5%%:*}" "${5#*:}" "$4" | tail -1)
		[ -f "$dir/.done" ] || { echo "error: could not fetch kernel $1 ($5)" >&2; return 1; }
		echo "$dir/vmlinuz $dir/build"
		;;
	*)
		echo "error: kernel $1: unknown origin '$5'" >&2
		return 1
		;;
	esac
}

# stock_kernel NAME: "VMLINUZ KDIR" of a stock kernel of the table (6.1,
# 6.12, 6.12-rt, 7.2, ...).
stock_kernel() {
	local kind
	kind=$(kernel_field "$1" kind) || return 1
	[ "$kind" = stock ] || {
		echo "error: '$1' is not a stock kernel (stock: $(kernel_names stock | tr '\n' ' '))" >&2
		return 1
	}
	kernel_resolve "$1"
}

# stock_tree NAME SRC WORK TEST: build SRC in WORK against the stock kernel
# NAME of the table (build_tree) and require tests/TEST.ko among what it
# built. Sets stock_vmlinuz (the kernel to boot) and kos (the suite's
# modules, in load order), for the single-boot checks.
stock_tree() {
	local name=$1 src=$2 work=$3 test=$4 k
	k=$(stock_kernel "$name") || return 1
	echo "== build against ${k#* }"
	build_tree "$src" "$work" "${k#* }" || return 1
	[ -f "$work/src/tests/$test.ko" ] || {
		echo "   tests/$test.ko was not built (see tests/Kbuild)"
		return 1
	}
	stock_vmlinuz=${k%% *}
	mapfile -t kos < <(suite_modules "$work/src")
}

# kernel_release KDIR: the release a build tree builds for (UTS_RELEASE:
# Debian's 6.1 headers put the upstream version in kernel.release).
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null |
		grep . || cat "$1/include/config/kernel.release"
}

# copy_tree SRC DST [RSYNC_ARGS...]: mirror a source tree into DST, leaving
# out git metadata and harness output.
copy_tree() {
	local src=$1 dst=$2
	shift 2
	rsync -a --delete --exclude .git --exclude .build "$@" "$src/" "$dst/"
}

# build_tree SRC WORK KDIR [MAKE_ARGS...]: copy SRC to WORK/src and build the
# suite (and the demo, when there is one) against KDIR, with MAKE_ARGS (W=1,
# say) on both make command lines. Any compiler or modpost warning fails the
# build: the suite must build cleanly on every supported kernel.
build_tree() {
	local src=$1 work=$2 kdir=$3 log=$2/build.log
	shift 3
	mkdir -p "$work"
	copy_tree "$src" "$work/src"
	make -C "$work/src" KDIR="$kdir" "$@" modules > "$log" 2>&1
	local rc=$?
	# The demo needs all three modules; a partial tree (one module being
	# worked on alone) is built without it.
	if [ $rc = 0 ] && [ -f "$work/src/demo/Kbuild" ] &&
	   [ "$(suite_modules "$work/src" | wc -l)" = 3 ]; then
		make -C "$work/src" KDIR="$kdir" "$@" demo >> "$log" 2>&1
		rc=$?
	fi
	if [ $rc != 0 ]; then
		grep -E 'error|Error|ERROR' "$log" | head -20
		echo "   build failed against $kdir, log: $log"
		return 1
	fi
	if grep -E 'warning:|WARNING:' "$log"; then
		echo "   build warnings against $kdir, log: $log"
		return 1
	fi
	return 0
}

# suite_modules DIR / test_modules DIR / demo_modules DIR: built .ko files,
# in load order.
suite_modules() {
	local m
	for m in $POOL_EXT_MODULES; do
		[ -f "$1/$m/$m.ko" ] && echo "$1/$m/$m.ko"
	done
	return 0
}
test_modules() {
	ls "$1"/tests/*_test.ko 2>/dev/null
	return 0
}
demo_modules() {
	ls "$1"/demo/*.ko 2>/dev/null
	return 0
}

# boot_and_judge [OPTIONS] KERNEL LOG [KO[:ARGS]...]: the one path from
# modules to a verdict. Build an initramfs of the KOs (LOG's name with
# .cpio.gz), boot KERNEL in QEMU with the serial console kept in LOG, say
# how long the guest ran, then judge LOG with scripts/ktap_parse.py: its
# verdict goes to a file (LOG's name with .verdict) and is printed
# indented. Fails if the initramfs could not be made, QEMU failed or
# timed out, or the verdict is not clean. Options:
#   -s SMP  -m MB  -t SECONDS  -a KERNEL_ARGS  -M MACHINE  -d QEMU_ARGS
#   -A ARCH  -D DTSI
#           passed to scripts/qemu-run.sh (defaults 2 vCPUs, 1024 MB, 600 s,
#           x86-64)
#   -b BUSYBOX  the guest's busybox (make-initramfs.sh -b: another arch's)
#   -T DIR  an initramfs of the modules installed under DIR
#           (make-initramfs.sh -t) instead of KOs
#   -p ARGS the parser's arguments (--kunit --suites-from ..., split on
#           spaces)
#   -V FILE where the verdict goes
# Sets POOL_EXT_QEMU_RC to QEMU's exit status.
boot_and_judge() {
	local smp=2 mem=1024 tmo=600 args='' machine='' qargs='' tree='' parse='' verdict=''
	local arch='' dtsi='' bb='' kernel log initrd start rc=0 OPTIND=1 o pargs attempt
	while getopts s:m:t:a:M:d:T:p:V:A:D:b: o; do
		case $o in
		s) smp=$OPTARG ;; m) mem=$OPTARG ;; t) tmo=$OPTARG ;;
		a) args=$OPTARG ;; M) machine=$OPTARG ;; d) qargs=$OPTARG ;;
		T) tree=$OPTARG ;; p) parse=$OPTARG ;; V) verdict=$OPTARG ;;
		A) arch=$OPTARG ;; D) dtsi=$OPTARG ;; b) bb=$OPTARG ;;
		*) echo "boot_and_judge: bad option" >&2; return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	kernel=$1 log=$2
	shift 2
	initrd=${log%.log}.cpio.gz
	verdict=${verdict:-${log%.log}.verdict}
	if [ -n "$tree" ]; then
		"$POOL_EXT_SCRIPTS/make-initramfs.sh" ${bb:+-b "$bb"} -t "$tree" "$initrd" "$@" || return 1
	else
		"$POOL_EXT_SCRIPTS/make-initramfs.sh" ${bb:+-b "$bb"} "$initrd" "$@" || return 1
	fi
	for attempt in 1 2; do
		rc=0
		rm -f "$log"
		start=$(date +%s)
		"$POOL_EXT_SCRIPTS/qemu-run.sh" -k "$kernel" -i "$initrd" -l "$log" \
			-s "$smp" -m "$mem" -t "$tmo" -a "$args" \
			${machine:+-M "$machine"} ${qargs:+-d "$qargs"} \
			${arch:+-A "$arch"} ${dtsi:+-D "$dtsi"}
		POOL_EXT_QEMU_RC=$?
		echo "   guest ran $(( $(date +%s) - start ))s, log: $log"
		case $POOL_EXT_QEMU_RC in
		0) ;;
		124) echo "   problem: guest timed out after ${tmo}s"; rc=1 ;;
		*) echo "   problem: QEMU exited with $POOL_EXT_QEMU_RC"; rc=1 ;;
		esac
		# The parser's arguments split on spaces, but never globbed: a
		# suite glob such as 'dmapool_ext*' must reach the parser as it is.
		read -ra pargs <<< "$parse"
		python3 "$POOL_EXT_SCRIPTS/ktap_parse.py" "${pargs[@]}" "$log" > "$verdict" || rc=1
		# A kernel that died before the init's begin marker had loaded
		# none of the suite: under TCG, stock Debian kernels sometimes
		# hit a stale int3 of the boot's own code patching
		# (sched_clock_cpu, "Oops: int3", seen on 6.12 and 7.2). Boot
		# such a kernel once more, keep the first log, and say so; a
		# second such crash fails.
		if [ $rc = 0 ] || [ $attempt = 2 ] ||
			grep -q '^POOL_EXT: begin ' "$log"; then
			break
		fi
		mv "$log" "$log.crashed-before-init"
		echo "   problem: the kernel died before the test init, no module loaded yet ($(grep -m1 -oE '(Oops|BUG|Kernel panic)[^[]*' "$log.crashed-before-init" | tr -d '\r')); kept as $log.crashed-before-init, booting once more"
	done
	sed 's/^/   /' "$verdict"
	return $rc
}

# check_start [--kunit-only]: the check drivers' common start (check.sh,
# arm64-check.sh): src and out from POOL_EXT_SRC and POOL_EXT_OUT,
# kunit_only from the one optional argument, an empty step record
# (status, failed) and zero KUnit counts (passed, nfailed, skipped).
check_start() {
	src=${POOL_EXT_SRC:-$POOL_EXT_ROOT}
	out=${POOL_EXT_OUT:-$POOL_EXT_ROOT/.build}
	kunit_only=0
	case "${1:-}" in
	--kunit-only) kunit_only=1 ;;
	"") ;;
	*) echo "usage: $0 [--kunit-only]" >&2; exit 2 ;;
	esac
	mkdir -p "$out"
	status=()	# "step: PASS|FAIL"
	failed=0
	passed=0 nfailed=0 skipped=0
}

# The check drivers' step record, started by check_start.
# step NAME RC: record NAME as PASS or FAIL; a FAIL fails the run.
step() {
	if [ "$2" = 0 ]; then status+=("$1: PASS"); else status+=("$1: FAIL"); failed=1; fi
}

# selected NAME: NAME is to be tested (POOL_EXT_ONLY, names of the
# kernel table; empty: all).
selected() {
	[ -z "${POOL_EXT_ONLY:-}" ] || [[ " $POOL_EXT_ONLY " == *" $1 "* ]]
}

# kunit_tally VERDICT: add the verdict's last line, "N passed, N failed,
# N skipped" (the skipped part may be missing), to the caller's passed,
# nfailed and skipped.
kunit_tally() {
	set -- $(tail -1 "$1" | grep -oE '[0-9]+ (passed|failed|skipped)' | tr '\n' ' ')
	while [ $# -ge 2 ]; do
		case "$2" in
		passed) passed=$((passed + $1)) ;;
		failed) nfailed=$((nfailed + $1)) ;;
		skipped) skipped=$((skipped + $1)) ;;
		esac
		shift 2
	done
}

# expected_log LOG TABLE: the lines tests/expected-log requires of every
# suite that ran (leak reports printed by a destroy, which the test
# itself cannot read), each printed exactly once.
expected_log() {
	local log=$1 suite re n rc=0
	[ -f "$2" ] || return 0
	while IFS=$'\t' read -r suite re; do
		case "$suite" in ''|'#'*) continue ;; esac
		# grep -c reads it all: grep -q would end the pipe early, and
		# pipefail would take tr's SIGPIPE for a miss.
		n=$(tr -d '\r' < "$log" | grep -c "# Subtest: $suite\$")
		[ "$n" -gt 0 ] || continue
		n=$(tr -d '\r' < "$log" | grep -cE "$re")
		if [ "$n" = 1 ]; then
			echo "   log: $suite: ok: $re"
		else
			echo "   log: $suite: FAIL, $n lines (want 1): $re"
			rc=1
		fi
	done < "$2"
	return $rc
}

# Quick-mode arguments of the benchmark modules for the concurrency
# exercise (one measurement per row and side, few rounds): a check that
# they run side by side cleanly, not a measurement.
POOL_EXT_STRESS_BENCH="genpool_ext_bench:reps=1 dmapool_ext_bench:reps=1,rounds=3 mempool_ext_bench:reps=1,set=prodcons"
# The suite's module arguments for it: every free validated.
POOL_EXT_STRESS_ARGS="genpool_ext:debug=1 mempool_ext:debug=1 dmapool_ext:debug=1"

# smoke SRC WORK NAME: build against the stock kernel NAME of the table
# (no warning allowed), boot it on the row's vCPUs, insmod the suite and
# the demo, rmmod in reverse, and require a clean log. Sets
# POOL_EXT_RELEASE to the kernel's release. A row with "stress"
# also loads the benchmark modules in quick mode, all at once, with every
# free validated (guest mode "stress"), and requires each to finish.
smoke() {
	local src=$1 work=$2 name=$3 k kos smp extra mode=smoke spec m a b rc=0 btf
	k=$(stock_kernel "$name") || return 1
	smp=$(kernel_field "$name" smp) || return 1
	extra=$(kernel_field "$name" extra) || return 1
	set -- $k
	POOL_EXT_RELEASE=$(kernel_release "$2")
	if [ "$extra" = stress ]; then
		echo "   $POOL_EXT_RELEASE, $smp vCPUs, with the concurrency exercise"
	else
		echo "   $POOL_EXT_RELEASE, $smp vCPUs"
	fi
	build_tree "$src" "$work" "$2" || return 1
	# BTF: where the build tree has a vmlinux with BTF, every module must
	# carry BTF describing its pool (77: the tree has none, e.g. 6.1).
	"$POOL_EXT_SCRIPTS/btf-check.sh" "$2" "$work/src" | sed 's/^/   /'
	btf=${PIPESTATUS[0]}
	case $btf in
	0|77) ;;
	*) rc=1 ;;
	esac
	mapfile -t kos < <(suite_modules "$work/src"; demo_modules "$work/src")
	[ ${#kos[@]} -gt 0 ] || { echo "   no modules built"; return 1; }
	if [ "$extra" = stress ]; then
		mode=stress
		for i in "${!kos[@]}"; do
			m=$(basename "${kos[$i]}" .ko)
			for a in $POOL_EXT_STRESS_ARGS; do
				[ "${a%%:*}" = "$m" ] && kos[$i]=${kos[$i]}:${a#*:}
			done
		done
		for spec in $POOL_EXT_STRESS_BENCH; do
			b=$work/src/tests/${spec%%:*}.ko
			[ -f "$b" ] || { echo "   $b was not built"; return 1; }
			kos+=("$b:${spec#*:}")
		done
	fi
	boot_and_judge -s "$smp" -t 600 -a "pool_ext.mode=$mode" \
		"$1" "$work/serial.log" "${kos[@]}" || rc=1
	grep -E '^POOL_EXT: (insmod|rmmod)' "$work/serial.log" | sed 's/^/   /'
	# ... and the running kernel must have taken it (/sys/kernel/btf/MOD).
	if [ "$btf" = 0 ]; then
		for m in $POOL_EXT_MODULES; do
			grep -qE "^POOL_EXT: btf $m bytes=[1-9]" "$work/serial.log" ||
				{ echo "   problem: the kernel has no BTF for $m (/sys/kernel/btf/$m)"; rc=1; }
		done
		grep -E '^POOL_EXT: btf ' "$work/serial.log" | tr -d '\r' | sed 's/^/   /'
	fi
	if [ $mode = stress ]; then
		for spec in $POOL_EXT_STRESS_BENCH; do
			b=${spec%%:*}
			grep -q "^POOL_EXT: insmod $b rc=0" "$work/serial.log" &&
				grep -q "pool_ext_bench: done module=$b" "$work/serial.log" ||
				{ echo "   problem: $b did not finish cleanly"; rc=1; }
		done
		# A misspelt parameter is ignored with a message, not refused.
		grep 'unknown parameter' "$work/serial.log" &&
			{ echo "   problem: a module parameter was not taken"; rc=1; }
	fi
	demo_verdict "$work/serial.log" | sed 's/^/ /'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	# The tracepoints, on the demo's operations (smoke boots trace them),
	# and poolstat on the demo's live pools.
	if [ $mode = smoke ] && [ -n "$(demo_modules "$work/src")" ]; then
		"$POOL_EXT_SCRIPTS/trace-check.sh" "$work/serial.log" | sed 's/^/   /'
		[ "${PIPESTATUS[0]}" = 0 ] || rc=1
		"$POOL_EXT_SCRIPTS/poolstat-check.sh" "$work/serial.log" | sed 's/^/   /'
		[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	fi
	return $rc
}

# demo_verdict LOG: the demo's scenarios all passed, if the demo was loaded.
# It prints "[scenario] PASS|FAIL" per scenario and "N scenarios: P PASS,
# F FAIL" at the end; a missing summary means it never finished.
demo_verdict() {
	grep -q 'insmod pool_ext_demo' "$1" || return 0
	if grep -E 'pool_ext_demo: \[[a-z]+\] FAIL' "$1"; then
		echo "  problem: a demo scenario failed"
		return 1
	fi
	if ! grep -qE 'pool_ext_demo: [0-9]+ scenarios: [0-9]+ PASS, 0 FAIL' "$1"; then
		echo "  problem: the demo did not report its summary"
		return 1
	fi
	return 0
}
