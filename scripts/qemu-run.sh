#!/bin/bash
# Boot a kernel and initramfs in QEMU and keep the whole serial log.
#
# usage: scripts/qemu-run.sh -k KERNEL -i INITRD -l LOG [-t SECONDS]
#                            [-s SMP] [-m MEM_MB] [-a "EXTRA CMDLINE"] [--kvm]
#                            [-M MACHINE] [-d "EXTRA QEMU ARGS"]
#                            [-A ARCH] [-D DTSI]
#
# -A picks the guest architecture (default x86_64) from
# the table below: the emulator, machine, console and command line.
# -D (arm64) boots with a device tree: QEMU's own tree for this machine,
# -m and -smp (dumped with -machine virt,dumpdtb=), with the nodes of DTSI
# (dtc source, say drivers/dt/virt-sram.dtsi) added, compiled by dtc and
# passed as -dtb; LOG.dtb and LOG.dts keep what was booted.
#
# TCG by default: /dev/kvm exists on these machines but nested guests hang
# or fail, so KVM is used only with --kvm and after a probe boots. The
# guest ends with "reboot -f", which -no-reboot turns into a QEMU exit;
# panic=-1 does the same for a panic. A host-side timeout catches hangs.
# -M picks the machine type (default: the table's); -d adds QEMU arguments, split on
# spaces (devices, say: "-device intel-iommu,intremap=off -device nvme,...").
# Exit status: QEMU's, or 124 when the timeout fired.
set -euo pipefail

usage() { echo "usage: $0 -k KERNEL -i INITRD -l LOG [-t SECONDS] [-s SMP] [-m MEM_MB] [-a CMDLINE] [--kvm] [-M MACHINE] [-d QEMU_ARGS] [-A ARCH] [-D DTSI]" >&2; exit 2; }
kernel= initrd= log= tmo=600 smp=2 mem=1024 extra= accel=tcg machine= qemu_args=
arch=x86_64 dtsi=
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
	-A) arch=$2; shift 2 ;;
	-D) dtsi=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$kernel" ] && [ -n "$initrd" ] && [ -n "$log" ] || usage

# The per-architecture parameters, one row per architecture (TCG):
#   ARCH     emulator             machine  cpu                    console  command line
#   x86_64   qemu-system-x86_64   pc       max                    ttyS0    no_timer_check
#   arm64    qemu-system-aarch64  virt     max,pauth-impdef=on    ttyAMA0  -
# no_timer_check: under TCG on a loaded host the early IO-APIC timer test
# can miss its ticks and panic ("IO-APIC + timer doesn't work!"), as seen
# booting 6.12-rt; the timer works, the test is what is unreliable there.
# pauth-impdef=on: -cpu max with QEMU's cheap pointer-authentication
# algorithm instead of QARMA, whose emulation is slow under TCG; the guest
# sees the same features. -cpu host with KVM (x86 only). arm64 SMP comes
# up through PSCI, which virt provides without firmware.
case "$arch" in
x86_64 | amd64) qemu=qemu-system-x86_64 mach=pc tcg_cpu=max console=ttyS0 arch_cmdline=no_timer_check ;;
arm64 | aarch64) qemu=qemu-system-aarch64 mach=virt tcg_cpu=max,pauth-impdef=on console=ttyAMA0 arch_cmdline= ;;
*) echo "qemu-run: no architecture '$arch' (x86_64, arm64)" >&2; exit 2 ;;
esac
machine=${machine:-$mach}
command -v "$qemu" > /dev/null || { echo "qemu-run: $qemu missing: run scripts/install-deps.sh" >&2; exit 1; }
[ -z "$dtsi" ] || [ "$qemu" = qemu-system-aarch64 ] || { echo "qemu-run: -D is for arm64" >&2; exit 2; }
# KVM only for the host's own architecture.
[ "$accel" != kvm ] || [ "$qemu" = qemu-system-x86_64 ] || accel=tcg

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
cpu=$tcg_cpu
[ "$accel" = kvm ] && cpu=host

# The device tree: QEMU's own, for exactly these machine parameters, plus
# DTSI. dtc merges the second root node into the first and gives the new
# labels phandles that QEMU's do not use.
if [ -n "$dtsi" ]; then
	command -v dtc > /dev/null || { echo "qemu-run: dtc missing: run scripts/install-deps.sh" >&2; exit 1; }
	"$qemu" -machine "$machine,accel=$accel,dumpdtb=$log.qemu.dtb" -cpu $cpu -smp "$smp" \
		-m "$mem" -display none -monitor none < /dev/null > /dev/null 2>&1 ||
		{ echo "qemu-run: could not dump QEMU's device tree" >&2; exit 1; }
	{ dtc -q -I dtb -O dts "$log.qemu.dtb"; echo; cat "$dtsi"; } > "$log.dts" &&
		dtc -q -I dts -O dtb -o "$log.dtb" "$log.dts" ||
		{ echo "qemu-run: dtc could not build the device tree from $dtsi" >&2; exit 1; }
	rm -f "$log.qemu.dtb"
	qemu_args="-dtb $log.dtb $qemu_args"
fi

cmdline="console=$console loglevel=7 panic=-1 oops=panic no_hash_pointers $arch_cmdline $extra"
rc=0
timeout --foreground -k 10 "$tmo" "$qemu" \
	-machine "$machine,accel=$accel" -cpu $cpu -smp "$smp" -m "$mem" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-display none -monitor none -serial "file:$log" \
	$qemu_args -no-reboot < /dev/null || rc=$?
exit $rc
