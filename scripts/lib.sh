# SPDX-License-Identifier: GPL-2.0
# Shell functions shared by check.sh and run.sh. Source it; do not run it.
#
# usage: . scripts/lib.sh

# The suite's modules in load order; unloading goes in reverse.
POOL_EXT_MODULES="genpool_ext mempool_ext dmapool_ext"

# stock_kernel VER: print "VMLINUZ KDIR" of the newest installed Debian
# kernel whose release starts with VER (6.1 or 6.12), of the generic amd64
# flavour: an -rt-amd64 or -cloud-amd64 kernel installed beside it sorts
# after it and must never be picked.
stock_kernel() {
	local v
	v=$(ls /boot/vmlinuz-"$1".* 2>/dev/null | sed 's|/boot/vmlinuz-||' |
		grep -vE -- '-(rt|cloud)-amd64$' | sort -V | tail -1)
	[ -n "$v" ] && [ -f "/lib/modules/$v/build/Makefile" ] || {
		echo "error: no Debian $1 kernel with headers: run scripts/install-deps.sh" >&2
		return 1
	}
	echo "/boot/vmlinuz-$v /lib/modules/$v/build"
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

# smoke SRC WORK VER: build against a stock Debian kernel, boot it, insmod
# the suite (and demo), rmmod in reverse, and require a clean log.
smoke() {
	local src=$1 work=$2 ver=$3 k kos
	k=$(stock_kernel "$ver") || return 1
	set -- $k
	build_tree "$src" "$work" "$2" || return 1
	mapfile -t kos < <(suite_modules "$work/src"; demo_modules "$work/src")
	[ ${#kos[@]} -gt 0 ] || { echo "   no modules built"; return 1; }
	"$POOL_EXT_ROOT/scripts/make-initramfs.sh" "$work/initrd.cpio.gz" "${kos[@]}" || return 1
	"$POOL_EXT_ROOT/scripts/qemu-run.sh" -k "$1" -i "$work/initrd.cpio.gz" -l "$work/serial.log" \
		-s 2 -t 300 -a "pool_ext.mode=smoke" || echo "   qemu exited with an error"
	grep -E '^POOL_EXT: (insmod|rmmod)' "$work/serial.log" | sed 's/^/   /'
	python3 "$POOL_EXT_ROOT/scripts/ktap_parse.py" "$work/serial.log" | sed 's/^/   /'
	return "${PIPESTATUS[0]}"
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
