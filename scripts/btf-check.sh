#!/bin/bash
# Check that the suite's modules carry BTF that describes their pools, so
# that bpftrace and BPF CO-RE programs can read them.
#
# usage: scripts/btf-check.sh KDIR MODULE_DIR
#
# KDIR is the build tree the modules were built against, MODULE_DIR the
# built suite (genpool_ext/genpool_ext.ko etc. under it). For each module,
# bpftool must load its .BTF as split BTF on top of its base and find the
# pool structure with a member whose type lives in the base (the kernel's
# own struct device, list_head...). The base is the module's own
# .BTF.base section when it has one (kbuild 6.15+ "distils" the base types
# a module uses into it, so that the module's BTF outlives a rebuilt
# vmlinux), otherwise KDIR/vmlinux.
#
# Exit status: 0 when every module passed, 1 when one has no or unusable
# BTF, 77 when KDIR has no vmlinux with BTF (then kbuild cannot generate
# module BTF: "Skipping BTF generation ... due to unavailability of
# vmlinux"; Debian's 6.1 headers and the debug test kernels are such).
set -uo pipefail

[ $# = 2 ] || { echo "usage: $0 KDIR MODULE_DIR" >&2; exit 2; }
kdir=$1 dir=$2

# The structure each module's BTF must describe, and one member of it.
checks="genpool_ext:genpool_ext:chunks mempool_ext:mempool_ext:wait dmapool_ext:dmapool_ext:dev"

command -v bpftool > /dev/null || { echo "btf: bpftool missing: run scripts/install-deps.sh" >&2; exit 1; }
# has_section FILE NAME: FILE has ELF section NAME. readelf's output is
# read whole first: with pipefail, "readelf | grep -q" fails at random,
# when grep exits at the match and readelf dies of SIGPIPE.
has_section() {
	local sections
	sections=$(readelf -S "$1" 2>/dev/null) || return 1
	grep -q " $2 " <<< "$sections"
}

if ! has_section "$kdir/vmlinux" '\.BTF'; then
	echo "btf: $kdir has no vmlinux with BTF: modules built against it carry none"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for c in $checks; do
	IFS=: read -r mod st member <<< "$c"
	ko=$dir/$mod/$mod.ko
	if ! has_section "$ko" '\.BTF'; then
		echo "btf: $mod.ko: FAIL, no .BTF section"
		rc=1
		continue
	fi
	base=$kdir/vmlinux
	if has_section "$ko" '\.BTF\.base'; then
		objcopy --dump-section .BTF.base="$tmp/$mod.base" "$ko" "$tmp/$mod.ko"
		base=$tmp/$mod.base
	fi
	if ! bpftool -B "$base" btf dump file "$ko" > "$tmp/$mod.dump" 2> "$tmp/$mod.err"; then
		echo "btf: $mod.ko: FAIL, bpftool cannot load its BTF: $(cat "$tmp/$mod.err")"
		rc=1
		continue
	fi
	# "[N] STRUCT 'name' size=S vlen=V" and its member lines, indented.
	awk -v s="$st" '
		/^\[/ { on = ($2 == "STRUCT" && $3 == "\x27" s "\x27") }
		on' "$tmp/$mod.dump" > "$tmp/$mod.struct"
	if ! grep -q "^[[:space:]]'$member' type_id=" "$tmp/$mod.struct"; then
		echo "btf: $mod.ko: FAIL, no struct $st with member $member"
		rc=1
		continue
	fi
	echo "btf: $mod.ko: ok, $(wc -c < "$tmp/$mod.dump") bytes of dump, base ${base##*/}:" \
		"$(head -1 "$tmp/$mod.struct" | cut -d' ' -f2-)," \
		"$(grep -c "^[[:space:]]'" "$tmp/$mod.struct") members incl. $member"
done
exit $rc
