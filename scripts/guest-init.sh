#!/bin/busybox sh
# /init of the test initramfs (busybox). Not run on the host.
#
# usage: built into the initramfs by scripts/make-initramfs.sh; the kernel
#        command line picks the job:
#        pool_ext.mode=kunit|smoke|stress|run|bench|coverage|modprobe|job,
#        pool_ext.glob=MODULE:GLOB (repeatable) sets KUnit's filter_glob
#        ("suite" or "suite.case" globs) for that one test module, and on a
#        KCSAN kernel pool_ext.kcsan=on turns KCSAN on before the modules
#        load, pool_ext.kcsan_skip=FUNCTION (repeatable) filters its reports
#
# Every step prints a "POOL_EXT:" marker on the console; the host-side
# parser reads the serial log from the "begin" marker and requires "done".
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug

mode=smoke
globs=		# MODULE:GLOB words of pool_ext.glob=MODULE:GLOB (repeatable)
kcsan=		# "on": turn KCSAN on here (booted with kcsan.early_enable=0)
kcsan_skip=	# functions for KCSAN's report filter (pool_ext.kcsan_skip=, repeatable)
set -f		# globs on the command line are KUnit's, not the shell's
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	pool_ext.mode=*) mode=${arg#pool_ext.mode=} ;;
	pool_ext.glob=*) globs="$globs ${arg#pool_ext.glob=}" ;;
	pool_ext.kcsan=*) kcsan=${arg#pool_ext.kcsan=} ;;
	pool_ext.kcsan_skip=*) kcsan_skip="$kcsan_skip ${arg#pool_ext.kcsan_skip=}" ;;
	esac
done
set +f

say() { echo "POOL_EXT: $*"; }
kml=/sys/kernel/debug/kmemleak

# The KUnit filter_glob given for module $1 with pool_ext.glob=, if any.
kunit_glob() {
	set -f
	for g in $globs; do
		case "$g" in
		"$1":*) echo "${g#*:}" ;;
		esac
	done
	set +f
}

# Tracing (smoke boots): the suite's events on, once the three modules
# are in (their events/ directories appear as they load) and before the
# demo, whose operations then fill the trace; trace_dump prints it for
# scripts/trace-check.sh.
tracefs=/sys/kernel/tracing
trace_on() {
	[ -d $tracefs/events ] || mount -t tracefs tracefs $tracefs 2>/dev/null
	[ -d $tracefs/events ] || { say "trace: no tracefs"; return 0; }
	echo 2048 > $tracefs/buffer_size_kb
	for s in genpool_ext mempool_ext dmapool_ext; do
		if [ -f $tracefs/events/$s/enable ]; then
			echo 1 > $tracefs/events/$s/enable
			say "trace: $s events on"
		fi
	done
}
trace_dump() {
	[ -f $tracefs/trace ] || return 0
	for s in genpool_ext mempool_ext dmapool_ext; do
		[ -f $tracefs/events/$s/enable ] && echo 0 > $tracefs/events/$s/enable
	done
	say "trace-begin"
	grep -v '^#' $tracefs/trace
	say "trace-end"
}

load_all() {
	for m in $(cat /pool_ext/load-order); do
		[ "$mode" = smoke ] && [ "$m" = pool_ext_demo ] && trace_on
		# KUnit filters a module's suites when it loads, with the
		# filter_glob of that moment: one glob per test module.
		g=$(kunit_glob "$m")
		if [ -n "$g" ]; then
			printf '%s' "$g" > /sys/module/kunit/parameters/filter_glob
			say "kunit filter_glob=$g for $m"
		fi
		insmod /pool_ext/$m.ko $(cat /pool_ext/$m.args 2>/dev/null)
		say "insmod $m rc=$?"
		# A module's own guest step (MODULE.guest.sh beside its
		# source, see scripts/make-initramfs.sh), right after it loads.
		[ -f /pool_ext/$m.sh ] && . /pool_ext/$m.sh
	done
}

unload_all() {
	for m in $(cat /pool_ext/unload-order); do
		rmmod $m
		say "rmmod $m rc=$?"
	done
}

# The BTF the kernel accepted from each of the suite's modules (smoke
# boots): /sys/kernel/btf/MODULE exists only when the module carried BTF
# and the kernel could load it against its own (scripts/btf-check.sh
# checks the same files on the host).
report_btf() {
	for m in genpool_ext mempool_ext dmapool_ext; do
		grep -q "^$m " /proc/modules || continue
		if [ -f /sys/kernel/btf/$m ]; then
			say "btf $m bytes=$(wc -c < /sys/kernel/btf/$m)"
		else
			say "btf $m none"
		fi
	done
}

dump_stats() {
	for f in /sys/kernel/debug/genpool_ext/*/stats \
		 /sys/kernel/debug/mempool_ext/*/stats \
		 /sys/kernel/debug/dmapool_ext/*/stats; do
		[ -f "$f" ] || continue
		say "stats ${f#/sys/kernel/debug/}"
		cat "$f"
	done
}

# Forget whatever the kernel leaked while booting: only leaks from here on
# are the suite's.
[ -f $kml ] && echo clear > $kml

# KCSAN, likewise, from here on: the report filter first (core-kernel
# functions only, each named by the caller with its reason), then on.
for f in $kcsan_skip; do
	echo "!$f" > /sys/kernel/debug/kcsan
	say "kcsan: reports with $f as a racing function are filtered"
done
if [ "$kcsan" = on ]; then
	echo on > /sys/kernel/debug/kcsan
	say "kcsan: on"
fi

say "begin mode=$mode cpus=$(grep -c ^processor /proc/cpuinfo) kernel=$(uname -r)"
case "$mode" in
kunit)
	load_all
	unload_all
	;;
coverage)
	# KUnit run, then the modules' gcov counters out over the console as a
	# base64 tar (debugfs reports size 0, so copy the files out first).
	load_all
	mkdir -p /tmp/gcov
	cd /sys/kernel/debug/gcov
	find . -name '*.gcda' | while read -r f; do
		mkdir -p "/tmp/gcov/$(dirname "$f")"
		cat "$f" > "/tmp/gcov/$f"
	done
	cd /
	say "gcov-begin"
	tar -C /tmp/gcov -czf - . | base64
	say "gcov-end"
	unload_all
	;;
modprobe)
	# The installed tree under /lib/modules: modprobe must resolve the
	# demo's dependencies from modules.dep and load them first.
	modprobe pool_ext_demo
	say "modprobe pool_ext_demo rc=$?"
	say "loaded $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
	modprobe -r pool_ext_demo
	say "modprobe-r pool_ext_demo rc=$?"
	say "left $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
	;;
bench)
	# make bench (scripts/bench.sh): the suite's modules, then each
	# benchmark module; a benchmark runs in its init, prints its
	# "pool_ext_bench: row=..." lines and returns 0, or an error that
	# insmod reports.
	load_all
	say "bench-end uptime=$(cut -d' ' -f1 /proc/uptime)"
	unload_all
	;;
stress)
	# The smoke boot plus a concurrency exercise (scripts/lib.sh smoke,
	# kernels with "stress" in scripts/kernels.list, PREEMPT_RT): the
	# other modules load one by one, then every *_bench module at once,
	# so all three allocators run side by side on all CPUs; each insmod
	# reports the module's verdict. Then unload everything in reverse.
	for m in $(cat /pool_ext/load-order); do
		case "$m" in *_bench) continue ;; esac
		insmod /pool_ext/$m.ko $(cat /pool_ext/$m.args 2>/dev/null)
		say "insmod $m rc=$?"
	done
	report_btf
	# The verdicts are printed after all have finished: a line written
	# while the kernel prints could be torn apart on the console.
	for m in $(cat /pool_ext/load-order); do
		case "$m" in *_bench) ;; *) continue ;; esac
		( insmod /pool_ext/$m.ko $(cat /pool_ext/$m.args 2>/dev/null)
		  echo $? > /tmp/$m.rc ) &
	done
	wait
	for m in $(cat /pool_ext/load-order); do
		[ -f /tmp/$m.rc ] && say "insmod $m rc=$(cat /tmp/$m.rc)"
	done
	say "stress-end"
	unload_all
	;;
job)
	# A job script the caller put in the initramfs (make-initramfs.sh
	# -f): it loads and unloads what it needs itself (make drivers-check,
	# scripts/drivers-guest.sh).
	sh /pool_ext/job.sh
	say "job rc=$?"
	;;
run)
	load_all
	say "stats-begin"
	dump_stats
	say "stats-end"
	say "poolstat"
	poolstat
	# dmapool_ext's per-device listing, as the kernel's sysfs "pools".
	for f in /sys/kernel/debug/dmapool_ext/devices/*/pools; do
		[ -f "$f" ] || continue
		say "pools ${f#/sys/kernel/debug/}"
		cat "$f"
	done
	unload_all
	;;
*)
	load_all
	report_btf
	trace_dump
	# The demo's live pools, for scripts/lib.sh (poolstat's own check).
	say "poolstat-begin"
	poolstat --json
	say "poolstat-end"
	unload_all
	;;
esac

# kmemleak only reports objects that have gone unreferenced for a while:
# scan, wait past its minimum age, scan again, then print what it found.
if [ -f $kml ]; then
	echo scan > $kml
	sleep 6
	echo scan > $kml
	say "kmemleak-begin"
	cat $kml
	say "kmemleak-end"
fi
# A KCSAN kernel's counters: proof that it watched (setup_watchpoints)
# and how many races it saw in all, reported or rate-limited.
if [ -f /sys/kernel/debug/kcsan ]; then
	say "kcsan-begin"
	cat /sys/kernel/debug/kcsan
	say "kcsan-end"
fi
say "tainted=$(cat /proc/sys/kernel/tainted)"
say "done"
reboot -f
