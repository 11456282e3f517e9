#!/bin/bash
# Copy a kernel driver's files out of Debian's linux-source and port them
# to the suite with scripts/port-driver alone, at build time: the project
# keeps no kernel source text, only the tool and the glue around it.
#
# usage: scripts/port-from-source.sh SERIES OUTDIR FILE...
#
# SERIES: the linux-source series (scripts/unpack-kernel-source.sh), FILE:
# paths inside that source (drivers/misc/sram.c). The ported files go to
# OUTDIR under their base names; OUTDIR/port.patch is what the tool
# changed (unified diff against the kernel's text), and one summary line
# goes to stdout. Fails, leaving no ported file behind, when the tool
# fails, lists a place that needs a person, or leaves a kernel pool call
# unconverted. Needs spatch (coccinelle: scripts/install-deps.sh).
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 SERIES OUTDIR FILE..." >&2; exit 2; }
series=$1 outdir=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
ksrc=$("$here/unpack-kernel-source.sh" "$series" | tail -1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/orig" "$tmp/port"
names=()
for f in "$@"; do
	[ -f "$ksrc/$f" ] || { echo "port-from-source: no $f in $ksrc" >&2; exit 1; }
	cp "$ksrc/$f" "$tmp/orig/"
	cp "$ksrc/$f" "$tmp/port/"
	names+=("$(basename "$f")")
done
# The tool's own report, kept to see whether it listed anything.
(cd "$tmp/port" && "$here/port-driver" "${names[@]}") 2> "$tmp/report" ||
	{ cat "$tmp/report" >&2; exit 1; }
if grep -q '^port-driver: needs a person:' "$tmp/report"; then
	cat "$tmp/report" >&2
	echo "port-from-source: the tool left places to port by hand" >&2
	exit 1
fi
if grep -nE '\b(gen_pool_|devm_gen_pool_|of_gen_pool_|dma_pool_|dmam_pool_|mempool_(alloc|free|create|destroy)\b|struct (gen_pool|dma_pool)\b|mempool_t\b)' \
	"$tmp/port"/* | grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)' >&2; then
	echo "port-from-source: kernel pool API left after the port" >&2
	exit 1
fi
(cd "$tmp" && diff -ru orig port) > "$tmp/port.patch" || true
mkdir -p "$outdir"
for n in "${names[@]}"; do
	cp "$tmp/port/$n" "$outdir/$n"
done
cp "$tmp/port.patch" "$outdir/port.patch"
echo "port-from-source: linux-source-$series ${*}: $(tail -1 "$tmp/report" | sed 's/^port-driver: //'), $(grep -c '^-[^-]' "$tmp/port.patch") lines out, $(grep -c '^+[^+]' "$tmp/port.patch") in"
