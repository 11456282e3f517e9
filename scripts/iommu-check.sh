#!/bin/bash
# make iommu-check: dmapool_ext behind a translating IOMMU, in one boot.
#
# usage: scripts/iommu-check.sh
#
# Builds the suite and tests/dmapool_ext_iommu.ko against Debian's stock
# 6.12 headers (the debug test kernel has no PCI and no IOMMU driver), then
# boots stock 6.12 under QEMU TCG as a q35 machine with an emulated Intel
# VT-d (interrupt remapping off: TCG has no split irqchip) and an NVMe
# controller whose driver is not in the initramfs, so nothing binds it.
# The kernel runs with intel_iommu=on iommu.passthrough=0: DMA is
# translated, and dma_alloc_coherent() with a sleeping gfp vmap()s its
# pages, which aligns a multi-page buffer to a page only. The module runs
# dmapool_ext pools of 8, 16 and 64 KiB blocks, GFP_KERNEL and GFP_ATOMIC,
# 64 blocks each, on that device (see the module's header).
#
# Passes if the log shows the IOMMU on and translating (the kernel's
# "Default domain type: Translated" and the module's own check of the
# device's domain), every case "allocated=64/64 ... PASS", the module's
# summary with 0 FAIL, and a clean log (scripts/ktap_parse.py: no warning,
# oops or failed insmod).
#
# Environment: POOL_EXT_SRC (tree to test, default: this repo),
# POOL_EXT_OUT (build and log directory, default .build in this repo; the
# log is $POOL_EXT_OUT/iommu/serial.log).
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
src=${POOL_EXT_SRC:-$root}
w=${POOL_EXT_OUT:-$root/.build}/iommu
log=$w/serial.log
cases=6 blocks=64

stock_tree 6.12 "$src" "$w" dmapool_ext_iommu || exit 1

echo "== boot $(basename "$stock_vmlinuz"): q35 + intel-iommu + nvme, QEMU TCG"
rc=0
boot_and_judge -s 2 -t 300 -M q35 \
	-d "-nic none -device intel-iommu,intremap=off -device nvme,serial=pool_ext" \
	-a "pool_ext.mode=smoke intel_iommu=on iommu.passthrough=0" \
	"$stock_vmlinuz" "$log" "${kos[@]}" "$w/src/tests/dmapool_ext_iommu.ko:blocks=$blocks" || rc=1

problem() { echo "   problem: $*"; rc=1; }
# What the kernel and the module said, without timestamps.
sed -e 's/^\[ *[0-9.]*\] //' -e 's/\r$//' "$log" |
	grep -E '^(DMAR: (IOMMU enabled|Intel\(R\) Virtualization)|iommu: Default domain type|dmapool_ext_iommu: )' |
	sed 's/^/   /'
grep -q 'DMAR: IOMMU enabled' "$log" || problem "the IOMMU was not enabled"
grep -q 'iommu: Default domain type: Translated' "$log" ||
	problem "the default IOMMU domain is not translating"
grep -qE 'dmapool_ext_iommu: [^ ]+: driver=none iommu domain type .*: translated' "$log" ||
	problem "the device had a driver or its DMA was not translated"
grep -q 'dmapool_ext_iommu: .*vmap()ed address' "$log" ||
	problem "dma_alloc_coherent() did not vmap(): the check proves nothing"
n=$(grep -cE "dmapool_ext_iommu: case .* allocated=$blocks/$blocks verified=$blocks/$blocks freed=$blocks/$blocks .*: PASS" "$log")
[ "$n" = $cases ] || problem "$n of $cases cases passed"
grep -q "dmapool_ext_iommu: $cases cases: $cases PASS, 0 FAIL" "$log" ||
	problem "no clean summary from the module"
[ $rc = 0 ] && echo "iommu-check: PASS" || echo "iommu-check: FAIL"
exit $rc
