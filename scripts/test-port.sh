#!/bin/bash
# Self-test of the porting tool (scripts/port-driver, scripts/pool_ext.cocci)
# on the fixture drivers in tests/port-fixtures/.
#
# usage: scripts/test-port.sh [-u]
#
# The fixtures use every name of the kernel's gen_pool, mempool and
# dma_pool APIs the tool converts, indirect.c has the kernel's headers only
# through others (the suite's must be added), and listed.c holds what it
# must list, not convert. The test copies them, ports the copy and requires:
#  - each file equal to its expected/FILE.expected (the committed expected
#    output: not named .c or .h, being machine output, not for the lint);
#  - the places listed equal to expected/listed.txt (file:line and why);
#  - no kernel pool name left in the files not expected to list anything;
#  - a second run that changes no file and lists nothing.
# -u rewrites expected/ from the tool's current output (review the diff!).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fx=$root/tests/port-fixtures
exp=$fx/expected
update=0
[ "${1:-}" = -u ] && update=1

command -v spatch > /dev/null || {
	echo "test-port: spatch missing: install coccinelle (scripts/install-deps.sh)"
	exit 1
}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cp "$fx"/*.c "$fx"/*.h "$w/"
cd "$w" || exit 1
files=$(ls *.c *.h)

rc=0
problem() { echo "   problem: $*"; rc=1; }

# shellcheck disable=SC2086
"$root/scripts/port-driver" $files 2> run1.err
[ $? = 0 ] || problem "port-driver failed: $(cat run1.err)"
sed -n 's/^  \([^ ]*:[0-9]*:.*\)/\1/p' run1.err > listed.txt
tail -1 run1.err | sed 's/^/   first run: /'

if [ $update = 1 ]; then
	mkdir -p "$exp"
	for f in $files; do cp "$f" "$exp/$f.expected"; done
	cp listed.txt "$exp/listed.txt"
	echo "test-port: expected output rewritten in $exp"
	exit 0
fi

for f in $files; do
	if ! diff -u "$exp/$f.expected" "$f" > "$f.diff"; then
		problem "$f differs from its expected output:"
		sed 's/^/      /' "$f.diff" | head -40
	fi
done
if ! diff -u "$exp/listed.txt" listed.txt > listed.diff; then
	problem "the places listed differ from the expected ones:"
	sed 's/^/      /' listed.diff
fi
[ -s listed.txt ] || problem "nothing was listed: listed.c must be"
# Any kernel pool name that survived (comments aside: none in the
# fixtures' code lines mention them).
left=$(grep -nE '\b(gen_pool_[a-z_]+|devm_gen_pool_create|of_gen_pool_get|genpool_(algo_t|data_[a-z]+)|mempool_t|mempool_(s|alloc_t|free_t)|struct mempool\b|mempool_[a-z_]+|dma_pool_[a-z_]+|dmam_pool_[a-z_]+|struct dma_pool|linux/(genalloc|mempool|dmapool)\.h)' \
	$(ls *.c *.h | grep -v '^listed\.') | grep -vE '(genpool_ext|mempool_ext|dmapool_ext)_?[a-z_]*' |
	grep -v ':\s*/\?\*\|://')
[ -z "$left" ] || problem "kernel names left after the port:
$left"

# Idempotence: the same files again, nothing to do.
for f in $files; do cp "$f" "$f.once"; done
# shellcheck disable=SC2086
"$root/scripts/port-driver" $files 2> run2.err
tail -1 run2.err | sed 's/^/   second run: /'
for f in $files; do
	cmp -s "$f" "$f.once" || problem "a second run changed $f"
done
grep -q 'needs a person' run2.err && problem "a second run listed places again"
grep -q ', 0 changed, 0 places listed$' run2.err || problem "unexpected second-run summary: $(tail -1 run2.err)"

[ $rc = 0 ] && echo "test-port: PASS ($(echo $files | wc -w) fixture files, $(wc -l < listed.txt) places listed)" ||
	echo "test-port: FAIL"
exit $rc
