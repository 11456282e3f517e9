#!/bin/bash
# Check what scripts/poolstat printed in a smoke boot, from the host.
#
# usage: scripts/poolstat-check.sh SERIAL_LOG
#
# The guest (smoke mode) runs "poolstat --json" while the demo is loaded,
# between "POOL_EXT: poolstat-begin" and "-end". The demo keeps its ring
# pools and its request pool until it is unloaded, with known histories:
#   tx_desc (dmapool)  256 blocks allocated and freed: size 256 blocks,
#                      use 0, high water 256, 256 allocs and 256 frees,
#                      no failure, no refused free
#   the request pool   32 elements, all from the reserve under injected
#   (mempool)          faults, all freed: size 32, use 0, high water 32,
#                      32 reserve hits, 32 allocs and 32 frees
# and every row must have every column. Exit status 0 when all hold.
set -uo pipefail
[ $# = 1 ] || { echo "usage: $0 SERIAL_LOG" >&2; exit 2; }

tr -d '\r' < "$1" | sed -e 's/^\[ *[0-9.]*\] //' |
	sed -n '/^POOL_EXT: poolstat-begin/,/^POOL_EXT: poolstat-end/p' |
	grep -E '^\[(\{|\])' |
	python3 -c '
import json, sys
text = sys.stdin.read().strip()
fail = []
try:
    rows = json.loads(text)
except ValueError as e:
    print("poolstat: FAIL, not JSON (%s): %r" % (e, text[:200]))
    sys.exit(1)
cols = ["kind", "name", "unit", "size", "use", "high_water", "allocs",
        "frees", "failures", "reserve_hits", "refused_frees"]
for r in rows:
    missing = [c for c in cols if c not in r]
    if missing:
        fail.append("%s lacks %s" % (r.get("name"), missing))
def one(kind, pred, what):
    found = [r for r in rows if r.get("kind") == kind and pred(r)]
    if len(found) != 1:
        fail.append("%d %s pools %s (want 1)" % (len(found), kind, what))
        return None
    return found[0]
def expect(r, **want):
    for k, v in want.items():
        if r.get(k) != v:
            fail.append("%s: %s=%r, want %r" % (r["name"], k, r.get(k), v))
tx = one("dmapool", lambda r: r["name"].startswith("tx_desc-"), "named tx_desc")
if tx:
    expect(tx, unit="blocks", size=256, use=0, high_water=256, allocs=256,
           frees=256, failures=0, refused_frees=0, reserve_hits=None)
rq = one("mempool", lambda r: r.get("reserve_hits") == 32, "with 32 reserve hits")
if rq:
    expect(rq, unit="elements", size=32, use=0, high_water=32, allocs=32,
           frees=32)
print("poolstat: %d pools: %s" % (len(rows), ", ".join(
    "%s %s" % (r.get("kind"), r.get("name")) for r in rows)))
for f in fail:
    print("poolstat: FAIL " + f)
if not fail:
    print("poolstat: ok   tx_desc and the request pool as the demo left them")
sys.exit(1 if fail else 0)
'
