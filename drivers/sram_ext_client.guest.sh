# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest's /init (scripts/guest-init.sh) right after insmod
# sram_ext_client: unbind and rebind the client twice through sysfs. After
# each unbind every SRAM pool must be whole again (devres freed the
# client's blocks), and each rebind's probe refuses a pool that is not.
# The host (scripts/arm64-check.sh) reads the "POOL_EXT: sram-client" lines.
drv=/sys/bus/platform/drivers/sram_ext_client
dev=
for l in "$drv"/*; do
	[ -L "$l/driver" ] && dev=${l##*/}
done
if [ -z "$dev" ]; then
	say "sram-client not bound"
else
	for round in 1 2; do
		echo "$dev" > "$drv/unbind"
		say "sram-client unbind $dev rc=$? round=$round"
		for f in /sys/kernel/debug/genpool_ext/*/stats; do
			[ -f "$f" ] || continue
			n=$(sed -n 's/^name: //p' "$f")
			sz=$(sed -n 's/^size: //p' "$f")
			av=$(sed -n 's/^avail: //p' "$f")
			say "sram-client pool $n size=$sz avail=$av after unbind"
		done
		echo "$dev" > "$drv/bind"
		say "sram-client bind $dev rc=$? round=$round"
	done
fi
