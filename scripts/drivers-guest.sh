#!/bin/busybox sh
# The guest side of make drivers-check (scripts/drivers-check.sh): run in
# the test initramfs as /pool_ext/job.sh by guest-init.sh (mode "job").
# Not run on the host.
#
# /pool_ext/job.env (written by the host) names the drivers to run, the
# stock modules to load first and the I/O plan; /pool_ext/pattern.bin is
# the seeded pattern. For each driver, in one boot:
#  1. control: the stock driver writes the pattern to the upper region of
#     its disk in several request sizes (O_DIRECT), reads it back in the
#     same sizes and compares; then it is unloaded;
#  2. the ported driver (built from the same sources by scripts/port-driver)
#     does the same on the lower region; for a driver with a mempool, its
#     pools' fault injection is "always" from the last write part to the
#     middle of the read-back; the suite's debugfs counters are printed
#     while the driver is loaded, then it is unloaded and the suite's
#     debugfs must hold no pool of it.
# Every step prints a "POOL_EXT:" line the host judges. busybox sh has no
# local variables: the functions' names are their own (io's start with io).
. /pool_ext/job.env

say() { echo "POOL_EXT: $*"; }
ins() {
	m=$1
	shift
	insmod "/pool_ext/$m.ko" "$@"
	say "insmod $m rc=$?"
}
rmm() {
	rmmod "$1"
	say "rmmod $1 rc=$?"
}
now() { cut -d' ' -f1 /proc/uptime; }
bytes() {
	case "$1" in
	*k) echo $((${1%k} * 1024)) ;;
	*M) echo $((${1%M} * 1048576)) ;;
	*) echo "$1" ;;
	esac
}

# first_disk GLOB: the first block device in /dev matching GLOB (the
# NVMe instance number is the core's to choose), or nothing.
first_disk() {
	for d in /dev/$1; do
		[ -b "$d" ] && echo "${d#/dev/}" && return 0
	done
	return 1
}

# wait_disk GLOB: a block device matching GLOB appears (devtmpfs) within
# two minutes; sets dev to its name.
wait_disk() {
	i=0 dev=
	while ! dev=$(first_disk "$1") && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ -n "$dev" ]; then
		say "disk $dev after ${i}s size=$(cat /sys/block/$dev/size) sectors"
		return 0
	fi
	say "disk $1 missing"
	return 1
}

# gone_disk GLOB: the device went away with its driver.
gone_disk() {
	i=0
	while first_disk "$1" > /dev/null && [ $i -lt 30 ]; do
		sleep 1
		i=$((i + 1))
	done
	! first_disk "$1" > /dev/null
}

# fault MODE: every mempool_ext pool created since the suite was loaded.
fault() {
	for f in /sys/kernel/debug/mempool_ext/*/fault; do
		[ -f "$f" ] || continue
		echo "$1" > "$f"
		say "fault ${f#/sys/kernel/debug/} $(cat "$f")"
	done
}

# io LABEL DISK BASE_MIB FAULT(yes|no): the start of the pattern written
# in the parts of $PARTS ("BS:MIB ..."), each with its request size, at
# BASE_MIB on DISK, then read back part by part with the same sizes and
# compared.
io() {
	label=$1 iodev=/dev/$2 base=$(($3 * 1048576)) ioflt=$4
	nparts=$(($(echo $PARTS | wc -w)))
	rm -f /tmp/rb
	t0=$(now)
	off=0 n=0 errs=0
	for part in $PARTS; do
		n=$((n + 1))
		bs=$(bytes "${part%%:*}") len=$((${part#*:} * 1048576))
		[ "$ioflt" = yes ] && [ $n = "$nparts" ] && fault always
		dd if=/pool_ext/pattern.bin of="$iodev" bs="$bs" count=$((len / bs)) \
			skip="$off" seek=$((base + off)) iflag=skip_bytes \
			oflag=seek_bytes,direct conv=notrunc,fsync 2> /tmp/dd.err ||
			{ errs=$((errs + 1)); cat /tmp/dd.err; }
		say "$label write bs=$bs MiB=$((len / 1048576))"
		off=$((off + len))
	done
	off=0 n=0
	for part in $PARTS; do
		n=$((n + 1))
		bs=$(bytes "${part%%:*}") len=$((${part#*:} * 1048576))
		dd if="$iodev" of=/tmp/rb bs="$bs" count=$((len / bs)) \
			skip=$((base + off)) seek="$off" iflag=skip_bytes,direct \
			oflag=seek_bytes conv=notrunc 2> /tmp/dd.err ||
			{ errs=$((errs + 1)); cat /tmp/dd.err; }
		say "$label read bs=$bs MiB=$((len / 1048576))"
		[ "$ioflt" = yes ] && [ $n = 2 ] && fault off
		off=$((off + len))
	done
	t1=$(now)
	mib=$((off / 1048576))
	if [ $errs = 0 ] && head -c "$off" /pool_ext/pattern.bin | cmp - /tmp/rb; then
		say "$label verify MiB=$mib ok"
	else
		say "$label verify MiB=$mib FAIL errors=$errs"
	fi
	say "$label time start=$t0 end=$t1 MiB=$((2 * mib))"
	rm -f /tmp/rb
}

stats() {
	for f in /sys/kernel/debug/dmapool_ext/*/stats \
		 /sys/kernel/debug/mempool_ext/*/stats; do
		[ -f "$f" ] || continue
		say "stats $1 ${f#/sys/kernel/debug/}"
		sed 's/^/  /' "$f"
		say "stats-end"
	done
}

# The suite's pools left in debugfs (none once the driver is gone).
# dmapool_ext/devices/ holds the per-device listings, not a pool.
left() {
	n=0
	for d in /sys/kernel/debug/dmapool_ext/* /sys/kernel/debug/mempool_ext/*; do
		[ "$d" = /sys/kernel/debug/dmapool_ext/devices ] && continue
		[ -d "$d" ] && n=$((n + 1)) && say "left ${d#/sys/kernel/debug/}"
	done
	say "$1 pools left=$n"
}

for m in $STOCK_BASE; do ins "$m"; done
for drv in $DRIVERS; do
	eval "stock=\$${drv}_STOCK ported=\$${drv}_PORTED disk=\$${drv}_DISK flt=\$${drv}_FAULT"
	eval "PARTS=\$${drv}_PARTS"
	say "driver $drv begin"
	for m in $stock; do ins "$m"; done
	wait_disk "$disk" && io "$drv-stock" "$dev" "$PATTERN_MIB" no
	for m in $(echo $stock | tr ' ' '\n' | sed -n '1!G;h;$p'); do rmm "$m"; done
	gone_disk "$disk" || say "disk $disk still there after the stock driver left"

	for m in $SUITE; do ins "$m" $(eval echo "\$${m}_ARGS"); done
	for m in $ported; do ins "$m"; done
	if wait_disk "$disk"; then
		io "$drv-ported" "$dev" 0 "$flt"
		stats "$drv"
	fi
	for m in $(echo $ported | tr ' ' '\n' | sed -n '1!G;h;$p'); do rmm "$m"; done
	gone_disk "$disk" || say "disk $disk still there after the ported driver left"
	left "$drv"
	for m in $(echo $SUITE | tr ' ' '\n' | sed -n '1!G;h;$p'); do rmm "$m"; done
	say "driver $drv end"
done
for m in $(echo $STOCK_BASE | tr ' ' '\n' | sed -n '1!G;h;$p'); do rmm "$m"; done
