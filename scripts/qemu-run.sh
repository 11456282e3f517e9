#!/bin/bash
# Boot a kernel and initramfs in QEMU and keep the whole serial log.
#
# usage: scripts/qemu-run.sh -k BZIMAGE -i INITRD -l LOG [-t SECONDS]
#                            [-s SMP] [-m MEM_MB] [-a "EXTRA CMDLINE"] [--kvm]
#                            [-M MACHINE] [-d "EXTRA QEMU ARGS"]
#
# TCG by default: /dev/kvm exists on these machines but nested guests hang
# or fail, so KVM is used only with --kvm and after a probe boots. The
# guest ends with "reboot -f", which -no-reboot turns into a QEMU exit;
# panic=-1 does the same for a panic. A host-side timeout catches hangs.
# -M picks the machine type (default pc); -d adds QEMU arguments, split on
# spaces (devices, say: "-device intel-iommu,intremap=off -device nvme,...").
# Exit status: QEMU's, or 124 when the timeout fired.
set -euo pipefail

usage() { echo "usage: $0 -k BZIMAGE -i INITRD -l LOG [-t SECONDS] [-s SMP] [-m MEM_MB] [-a CMDLINE] [--kvm] [-M MACHINE] [-d QEMU_ARGS]" >&2; exit 2; }
kernel= initrd= log= tmo=600 smp=2 mem=1024 extra= accel=tcg machine=pc qemu_args=
while [ $# -gt 0 ]; do
	case "$1" in
	-k) kernel=$2; shift 2 ;;
	-i) initrd=$2; shift 2 ;;
	-l) log=$2; shift 2 ;;
	-t) tmo=$2; shift 2 ;;
	-s) smp=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-a) extra=$2; shift 2 ;;
	--kvm) accel=kvm; shift ;;
	-M) machine=$2; shift 2 ;;
	-d) qemu_args=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$kernel" ] && [ -n "$initrd" ] && [ -n "$log" ] || usage

if [ "$accel" = kvm ] && ! [ -w /dev/kvm ]; then
	echo "qemu-run: --kvm asked for but /dev/kvm is not usable; using TCG" >&2
	accel=tcg
fi
# Prove KVM before trusting it: boot the same kernel with no root file
# system, which must panic and (panic=-1, -no-reboot) exit within 30 s.
if [ "$accel" = kvm ] && ! timeout -k 5 30 qemu-system-x86_64 -machine pc,accel=kvm -cpu host \
	-m 256 -kernel "$kernel" -append "console=ttyS0 panic=-1" -display none \
	-monitor none -serial null -no-reboot < /dev/null > /dev/null 2>&1; then
	echo "qemu-run: KVM probe boot failed or hung; using TCG" >&2
	accel=tcg
fi
cpu=max
[ "$accel" = kvm ] && cpu=host

# no_timer_check: under TCG on a loaded host the early IO-APIC timer test
# can miss its ticks and panic ("IO-APIC + timer doesn't work!"), as seen
# booting 6.12-rt; the timer works, the test is what is unreliable there.
cmdline="console=ttyS0 loglevel=7 panic=-1 oops=panic no_hash_pointers no_timer_check $extra"
rc=0
timeout --foreground -k 10 "$tmo" qemu-system-x86_64 \
	-machine "$machine,accel=$accel" -cpu $cpu -smp "$smp" -m "$mem" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-display none -monitor none -serial "file:$log" \
	$qemu_args -no-reboot < /dev/null || rc=$?
exit $rc
