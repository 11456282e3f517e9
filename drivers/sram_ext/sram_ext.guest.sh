# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest's /init (scripts/guest-init.sh) right after insmod
# sram_ext. A kernel with its own SRAM driver built in (Debian's stock
# arm64 kernel has CONFIG_SRAM=y; the test kernel has it off) bound every
# mmio-sram node at boot: hand those devices over to sram_ext.
for l in /sys/bus/platform/drivers/sram/*; do
	[ -L "$l/driver" ] || continue
	d=${l##*/}
	echo "$d" > /sys/bus/platform/drivers/sram/unbind
	echo "$d" > /sys/bus/platform/drivers/sram_ext/bind
	say "sram_ext: $d moved from the kernel's sram driver rc=$?"
done
for l in /sys/bus/platform/drivers/sram_ext/*; do
	[ -L "$l/driver" ] && say "sram_ext: bound ${l##*/}"
done
