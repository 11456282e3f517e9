#!/bin/bash
# Self-test of the kernel matrix: the table (scripts/kernels.list) is well
# formed, and kernels are chosen by exact series and flavour.
#
# usage: scripts/test-kernels.sh
#
# The selection runs against a made-up /boot (POOL_EXT_BOOT) holding the
# releases that once fooled a "6.12.*, take the last" glob: with the RT
# flavour installed, 6.12 picked 6.12.*-rt-amd64.
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
bad=0
fail() { echo "   FAIL: $*"; bad=1; }

# --- the table ---
names=$(kernel_names)
[ -n "$names" ] || fail "no kernels in $POOL_EXT_KERNELS"
dups=$(echo "$names" | sort | uniq -d)
[ -z "$dups" ] || fail "kernel names used twice: $dups"
while read -r line; do
	set -- $line
	[ $# = 7 ] || { fail "row '$line': $# columns, not 7"; continue; }
	case "$2" in stock|debug) ;; *) fail "$1: kind '$2' is not stock or debug" ;; esac
	[[ "$3" =~ ^[0-9]+\.[0-9]+$ ]] || fail "$1: series '$3' is not N.N"
	[[ "$5" = installed || "$5" =~ ^[a-z-]+:$3\.[0-9]+ ]] ||
		fail "$1: origin '$5' is not installed or SUITE:ABI of series $3"
	[[ "$6" =~ ^[1-8]$ ]] || fail "$1: smp '$6' is not 1-8"
	case "$7" in -|stress) ;; *) fail "$1: extra '$7' is not - or stress" ;; esac
	if [ "$2" = debug ]; then
		grep -qE "^${4//./\\.}\) series=${3//./\\.} " "$root/scripts/build-test-kernel.sh" ||
			fail "$1: scripts/build-test-kernel.sh has no flavour $4 of series $3"
	fi
done < <(grep -vE '^\s*(#|$)' "$POOL_EXT_KERNELS")

# --- selection by exact flavour ---
boot=$(mktemp -d)
trap 'rm -rf "$boot"' EXIT
for r in 6.1.0-56-amd64 6.1.0-57-amd64 6.1.0-57-cloud-amd64 \
	 6.12.9+deb12-amd64 6.12.118+deb12-amd64 6.12.118+deb12-rt-amd64 \
	 6.12.118+deb12-cloud-amd64 6.12.118+deb12-amd64.dpkg-bak; do
	touch "$boot/vmlinuz-$r"
done
# series flavour expected ("" for none)
cases=(
	"6.1  amd64        6.1.0-57-amd64"
	"6.1  cloud-amd64  6.1.0-57-cloud-amd64"
	"6.1  rt-amd64     "
	"6.12 amd64        6.12.118+deb12-amd64"
	"6.12 rt-amd64     6.12.118+deb12-rt-amd64"
	"6.12 cloud-amd64  6.12.118+deb12-cloud-amd64"
	"6.13 amd64        "
)
for c in "${cases[@]}"; do
	set -- $c
	got=$(POOL_EXT_BOOT=$boot installed_release "$1" "$2")
	if [ "$got" = "${3:-}" ]; then
		echo "   ok   $1 $2 -> ${got:-none}"
	else
		fail "$1 $2 -> ${got:-none}, expected ${3:-none}"
	fi
done

[ $bad = 0 ] && echo "kernel matrix self-test: PASS" || echo "kernel matrix self-test: FAIL"
exit $bad
