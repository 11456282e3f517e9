#!/bin/bash
# make drivers-check: real kernel drivers, ported to the suite by
# scripts/port-driver alone, doing verified I/O on stock Debian 6.12.
#
# usage: scripts/drivers-check.sh [DRIVER...]   (ehci, nvme; default both)
#
# For each driver, the sources come from Debian's linux-source-6.12
# (scripts/unpack-kernel-source.sh), are copied, ported in place by
# scripts/port-driver (nothing else touches them) and built as
# out-of-tree modules with their own names against the stock 6.12 headers
# and the suite's Module.symvers:
#   ehci  drivers/usb/host/ehci-hcd.c (which includes ehci-mem.c,
#         ehci-q.c, ehci-sched.c, ...) as ehci_hcd_ext, and its PCI glue
#         ehci-pci.c as ehci_pci_ext; USB core, usb-storage, SCSI and sd
#         are the stock modules. ehci keeps its qTDs, QHs, iTDs and siTDs
#         in four dma_pools with a 4096-byte boundary (dma_pool_zalloc).
#   nvme  drivers/nvme/host/pci.c as nvme_ext, on the stock nvme-core:
#         its PRP/SGL lists come from two dma_pools, and every request
#         that is not a single segment takes its scatterlist from a
#         mempool (iod_mempool, one element in reserve).
# One boot of stock 6.12 under QEMU TCG with QEMU's usb-ehci + usb-storage
# and nvme, each on its own raw disk image; the guest job is
# scripts/drivers-guest.sh. Per driver, the stock driver first (control,
# upper half of the disk), unloaded, then the ported one (lower half):
# a seeded pattern written with O_DIRECT in several request sizes, read
# back in the same sizes and compared in the guest; for nvme the mempool's
# fault injection is "always" across the middle of the run.
#
# Passes when, per driver: both runs verified; the disk image on the host
# holds the pattern in both halves; the suite's counters for the driver's
# pools moved (dmapool_ext: pages and a high-water mark on the descriptor
# pools, no bad free, no corruption with every free checked: debug=1;
# mempool_ext, nvme: more than 1,000 allocations, reserve hits and
# injected faults during the window, nothing outstanding, no debug
# report); no pool of the suite left once the driver is unloaded; every
# insmod and rmmod (reverse order) returned 0; and a clean log (no WARN,
# BUG, oops or hung task: scripts/ktap_parse.py). The throughput of the
# ported driver relative to the stock one is printed, not judged.
#
# Environment: POOL_EXT_SRC (tree to test, default: this repo),
# POOL_EXT_OUT (build and log directory, default .build in this repo; the
# work is in $POOL_EXT_OUT/drivers, the log in drivers/serial.log),
# POOL_EXT_JUDGE_ONLY=1 (judge the last run's log and images again, with
# no build and no boot).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src=${POOL_EXT_SRC:-$root}
POOL_EXT_ROOT=$root
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
w=${POOL_EXT_OUT:-$root/.build}/drivers
log=$w/serial.log
drivers=${*:-ehci nvme}
for d in $drivers; do
	case "$d" in ehci|nvme) ;; *) echo "drivers-check: unknown driver '$d' (ehci, nvme)"; exit 2 ;; esac
done

# The pattern: PATTERN_MIB of seeded bytes; each driver writes the start
# of it in parts "REQUEST_SIZE:MIB" (ehci over emulated USB is slow under
# TCG, about 0.5 MiB/s). nvme's first half goes in 16 KiB requests:
# several pages, so several segments, each a mempool allocation.
PATTERN_MIB=48
PATTERN_SEED=20261203
ehci_parts="4k:2 64k:2 1M:4"
nvme_parts="16k:32 128k:8 1M:8"

start=$(date +%s)
rc=0
problem() { echo "   problem: $*"; rc=1; }

k=$(stock_kernel 6.12) || exit 1
set -- $k
vmlinuz=$1 kdir=$2
rel=$(kernel_release "$kdir")
ksrc=$("$root/scripts/unpack-kernel-source.sh" 6.12 | tail -1) || exit 1
command -v spatch > /dev/null || { echo "drivers-check: spatch missing: run scripts/install-deps.sh"; exit 1; }

if [ "${POOL_EXT_JUDGE_ONLY:-0}" = 0 ]; then
echo "== build the suite against $rel"
build_tree "$src" "$w" "$kdir" || exit 1
symvers=$w/src/Module.symvers

# port NAME KBUILD FILE...: copy the driver's files from the kernel
# source, port them with the tool alone, build them as NAME/.
port() {
	local name=$1 kbuild=$2 d=$w/$1 f
	shift 2
	rm -rf "$d"
	mkdir -p "$d"
	for f in "$@"; do cp "$ksrc/$f" "$d/"; done
	echo "== port $name: scripts/port-driver $(cd "$d" && ls *.c *.h | tr '\n' ' ')"
	(cd "$d" && mkdir -p .orig && cp *.c *.h .orig/ &&
		"$src/scripts/port-driver" $(ls *.c *.h)) 2>&1 | sed 's/^/   /'
	[ "${PIPESTATUS[0]}" = 0 ] || { problem "port-driver failed on $name"; return 1; }
	(cd "$d" && diff -ru .orig . -x .orig > "$w/$name.patch")
	echo "   patch: $(grep -c '^-[^-]' "$w/$name.patch") lines out, $(grep -c '^+[^+]' "$w/$name.patch") in, $w/$name.patch"
	if grep -nE '\b(dma_pool_|dmam_pool_|mempool_(alloc|free|create|destroy|kmalloc|kfree)\b|struct dma_pool\b|mempool_t\b|gen_pool_)' \
		"$d"/*.c "$d"/*.h | grep -vE '^\S+:[0-9]+:\s*(/?\*|//)'; then
		problem "$name: kernel pool API left after the port"
	fi
	printf '%s\nccflags-y += -I$(POOL_EXT_ROOT) -I$(src)\n' "$kbuild" > "$d/Kbuild"
	make -C "$kdir" M="$d" POOL_EXT_ROOT="$w/src" KBUILD_EXTRA_SYMBOLS="$symvers" \
		modules > "$d/build.log" 2>&1 || { grep -E 'error' "$d/build.log" | head; problem "$name did not build"; return 1; }
	if grep -E 'warning:|WARNING:' "$d/build.log"; then
		problem "$name built with warnings ($d/build.log)"
	fi
	return 0
}

mods=()		# -f arguments for the initramfs
for d in $drivers; do
	case $d in
	ehci)
		port ehci "$(printf 'obj-m := ehci_hcd_ext.o ehci_pci_ext.o\nehci_hcd_ext-y := ehci-hcd.o\nehci_pci_ext-y := ehci-pci.o')" \
			drivers/usb/host/ehci.h drivers/usb/host/ehci-hcd.c \
			drivers/usb/host/ehci-mem.c drivers/usb/host/ehci-q.c \
			drivers/usb/host/ehci-sched.c drivers/usb/host/ehci-timer.c \
			drivers/usb/host/ehci-hub.c drivers/usb/host/ehci-dbg.c \
			drivers/usb/host/ehci-sysfs.c drivers/usb/host/ehci-pci.c \
			drivers/usb/host/pci-quirks.h || exit 1
		mods+=(-f "$w/ehci/ehci_hcd_ext.ko" -f "$w/ehci/ehci_pci_ext.ko")
		;;
	nvme)
		port nvme "$(printf 'obj-m := nvme_ext.o\nnvme_ext-y := pci.o')" \
			drivers/nvme/host/pci.c drivers/nvme/host/nvme.h \
			drivers/nvme/host/trace.h || exit 1
		mods+=(-f "$w/nvme/nvme_ext.ko")
		;;
	esac
done

# Stock modules, uncompressed (busybox insmod), named as the kernel names
# them (rmmod takes that name).
echo "== stock modules of $rel"
mkdir -p "$w/stock"
stock_base="usb_common usbcore scsi_common scsi_mod sd_mod usb_storage nvme_auth nvme_core"
for m in $stock_base ehci_hcd ehci_pci nvme; do
	p=$(modinfo -k "$rel" -n "$m") || { problem "no stock module $m"; exit 1; }
	case "$p" in
	*.xz) xz -dc "$p" > "$w/stock/$m.ko" ;;
	*.zst) zstd -qdc "$p" > "$w/stock/$m.ko" ;;
	*) cp "$p" "$w/stock/$m.ko" ;;
	esac
	mods+=(-f "$w/stock/$m.ko")
done

# The pattern and the disks (zeros: a write that never happened shows).
python3 - "$w/pattern.bin" "$PATTERN_MIB" "$PATTERN_SEED" <<'PY'
import random, sys
r = random.Random(int(sys.argv[3]))
with open(sys.argv[1], "wb") as f:
    f.write(r.randbytes(int(sys.argv[2]) << 20))
PY
qargs="-nic none"
for d in $drivers; do
	rm -f "$w/$d.img"
	truncate -s $((2 * PATTERN_MIB + 1))M "$w/$d.img"
done
case " $drivers " in *" ehci "*)
	qargs="$qargs -device usb-ehci,id=ehci -drive if=none,id=ud,format=raw,file=$w/ehci.img -device usb-storage,bus=ehci.0,drive=ud" ;;
esac
case " $drivers " in *" nvme "*)
	qargs="$qargs -drive if=none,id=nd,format=raw,file=$w/nvme.img -device nvme,serial=pool_ext,drive=nd" ;;
esac

{
	echo "PATTERN_MIB=$PATTERN_MIB"
	echo "DRIVERS=\"$drivers\""
	echo "STOCK_BASE=\"$stock_base\""
	echo "SUITE=\"$POOL_EXT_MODULES\""
	# Every free checked: dmapool_ext poisons and validates, mempool_ext
	# checks every element given back (debug=1 for both).
	echo "dmapool_ext_ARGS=debug=1"
	echo "mempool_ext_ARGS=debug=1"
	echo 'ehci_STOCK="ehci_hcd ehci_pci" ehci_PORTED="ehci_hcd_ext ehci_pci_ext" ehci_DISK=sda ehci_FAULT=no'
	echo "ehci_PARTS=\"$ehci_parts\""
	echo 'nvme_STOCK="nvme" nvme_PORTED="nvme_ext" nvme_DISK="nvme*n1" nvme_FAULT=yes'
	echo "nvme_PARTS=\"$nvme_parts\""
} > "$w/job.env"
cp "$root/scripts/drivers-guest.sh" "$w/job.sh"
mapfile -t kos < <(suite_modules "$w/src")
sfiles=()
for k in "${kos[@]}"; do sfiles+=(-f "$k"); done
"$root/scripts/make-initramfs.sh" -f "$w/job.sh" -f "$w/job.env" -f "$w/pattern.bin" \
	"${sfiles[@]}" "${mods[@]}" "$w/initrd.cpio.gz" || exit 1

echo "== boot $(basename "$vmlinuz"): $drivers, QEMU TCG"
rm -f "$log"
t=$(date +%s)
"$root/scripts/qemu-run.sh" -k "$vmlinuz" -i "$w/initrd.cpio.gz" -l "$log" -s 2 -m 1536 -t 1500 \
	-d "$qargs" -a "pool_ext.mode=job"
qrc=$?
echo "   guest ran $(( $(date +%s) - t ))s, log: $log"
[ $qrc = 0 ] || problem "QEMU exited with $qrc"

fi

clean=$(sed -e 's/^\[ *[0-9.]*\] //' -e 's/\r$//' "$log")
# A here-string, not a pipe: grep -q may stop reading early, and a writer
# killed by SIGPIPE would fail the pipeline (pipefail).
g() { grep -E "$@" <<< "$clean"; }
g -q '^POOL_EXT: job rc=0' || problem "the guest job did not finish"
g '^POOL_EXT: (insmod|rmmod) .* rc=[^0]' && problem "an insmod or rmmod failed"

# pools DRIVER [SUITE_MODULE]: the debugfs stats files dumped for DRIVER
# (pool names may hold spaces), one a line.
pools() {
	echo "$clean" | sed -n "s|^POOL_EXT: stats $1 \(${2:-}.*\)|\1|p"
}

# stat DRIVER REGEX KEY: one counter of the pool whose stats file matches
# REGEX, from the guest's dump.
stat() {
	awk -v drv="$1" -v pat="$2" -v key="$3" '
		index($0, "POOL_EXT: stats " drv " ") == 1 {
			f = substr($0, length("POOL_EXT: stats " drv " ") + 1)
			inpool = (f ~ pat); next
		}
		/^POOL_EXT: stats-end/ { inpool = 0; next }
		inpool && $1 == key ":" { print $2; exit }' <<< "$clean"
}

for d in $drivers; do
	echo "== $d"
	echo "$clean" | sed -n "/^POOL_EXT: driver $d begin/,/^POOL_EXT: driver $d end/p" |
		grep -E '^POOL_EXT: (disk|fault|left|insmod|rmmod|[a-z]+-(stock|ported) (verify|time)|'"$d"' pools)' |
		sed 's/^POOL_EXT: /   /'
	eval "parts=\$${d}_parts"
	mib=0
	for p in $parts; do mib=$((mib + ${p#*:})); done
	for r in stock ported; do
		g -q "^POOL_EXT: $d-$r verify MiB=$mib ok" || problem "$d $r: the data did not verify"
	done
	# The image on the host: the ported driver's half, then the stock one's.
	python3 - "$w/$d.img" "$w/pattern.bin" "$PATTERN_MIB" "$mib" <<'PY' || problem "$d: the disk image does not hold the pattern"
import sys
img = open(sys.argv[1], "rb").read()
n = int(sys.argv[4]) << 20
pat = open(sys.argv[2], "rb").read()[:n]
ok = True
for name, off in (("ported", 0), ("stock", int(sys.argv[3]) << 20)):
    good = img[off:off + n] == pat
    ok = ok and good
    print("   host: image %s half (%d MiB at %d MiB) %s" % (name, n >> 20, off >> 20, "matches" if good else "DIFFERS"))
sys.exit(0 if ok else 1)
PY
	# The suite's counters of the driver's pools.
	echo "$clean" | awk -v drv="$d" '
		index($0, "POOL_EXT: stats " drv " ") == 1 {
			print "   " substr($0, length("POOL_EXT: stats " drv " ") + 1); on = 1; next
		}
		/^POOL_EXT: stats-end/ { on = 0; next }
		on { printf "      %s\n", $0 }' |
		grep -E '^   |(name|blocks_in_use|pages|blocks_in_use_max|bad_frees|corruptions|debug|outstanding|reserve_max_drain|reserve_hits|alloc_calls|alloc_failures|faults_injected|debug_reports):'
	npools=$(pools "$d" dmapool_ext/ | wc -l)
	[ "$npools" -gt 0 ] || problem "$d: no dmapool_ext pool"
	while read -r p; do
		for key in bad_frees corruptions; do
			v=$(stat "$d" "^$p\$" $key)
			[ "$v" = 0 ] || problem "$d: $p $key=${v:-none}"
		done
		[ "$(stat "$d" "^$p\$" debug)" = 1 ] || problem "$d: $p had its debug checks off (frees unchecked)"
	done < <(pools "$d" dmapool_ext/)
	g -q "^POOL_EXT: $d pools left=0" || problem "$d: pools of the suite left after the driver was unloaded"
	g -q "^POOL_EXT: driver $d end" || problem "$d: the guest did not finish it"
	case $d in
	ehci)
		# Bulk transfers use qTDs under a QH: both pools must have run.
		for p in ehci_qtd ehci_qh; do
			hw=$(stat ehci "^dmapool_ext/$p-" blocks_in_use_max)
			[ "${hw:-0}" -gt 0 ] || problem "ehci: pool $p never used (blocks_in_use_max=${hw:-none})"
		done
		;;
	nvme)
		hw=$(stat nvme '^dmapool_ext/prp list page-' pages)
		[ "${hw:-0}" -gt 0 ] || problem "nvme: the PRP list page pool holds no page"
		# iod_mempool: the first kmalloc pool the driver created.
		mp=$(pools nvme mempool_ext/ | head -1)
		calls=$(stat nvme "^$mp\$" alloc_calls) fails=$(stat nvme "^$mp\$" alloc_failures)
		hits=$(stat nvme "^$mp\$" reserve_hits) inj=$(stat nvme "^$mp\$" faults_injected)
		allocs=$(( ${calls:-0} - ${fails:-0} + ${hits:-0} ))
		echo "   $mp: $allocs allocations ($calls calls of kmalloc, $fails failed, $inj injected; $hits from the reserve)"
		[ $allocs -gt 1000 ] || problem "nvme: only $allocs mempool allocations (more than 1000 needed)"
		[ "${inj:-0}" -gt 0 ] || problem "nvme: no fault was injected"
		[ "${hits:-0}" -gt 0 ] || problem "nvme: no reserve hit during the fault window"
		[ "$(stat nvme "^$mp\$" outstanding)" = 0 ] || problem "nvme: elements outstanding"
		[ "$(stat nvme "^$mp\$" debug_reports)" = 0 ] || problem "nvme: mempool_ext debug reports"
		g -q "^POOL_EXT: fault mempool_ext/.* always" || problem "nvme: fault injection was not turned on"
		;;
	esac
	# Throughput, ported / stock (TCG: noisy, reported only).
	python3 - "$d" <<PY
import re
t = {}
for line in """$(g "^POOL_EXT: $d-(stock|ported) time")""".splitlines():
    m = re.search(r"$d-(\w+) time start=([\d.]+) end=([\d.]+) MiB=(\d+)", line)
    if m:
        t[m.group(1)] = int(m.group(4)) / max(float(m.group(3)) - float(m.group(2)), 0.01)
if len(t) == 2:
    print("   throughput: stock %.1f MiB/s, ported %.1f MiB/s, ratio ported/stock %.2f (not judged)"
          % (t["stock"], t["ported"], t["ported"] / t["stock"]))
PY
done

python3 "$root/scripts/ktap_parse.py" "$log" | sed 's/^/   /'
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
echo "   drivers-check took $(( $(date +%s) - start ))s"
[ $rc = 0 ] && echo "drivers-check: PASS" || echo "drivers-check: FAIL"
exit $rc
