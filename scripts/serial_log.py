# SPDX-License-Identifier: GPL-2.0
"""Reading a guest's serial log: the one place that knows its shape.

The log is the console of a QEMU guest booted by scripts/qemu-run.sh: kernel
lines carry a "[    1.234567] " timestamp, the console adds carriage
returns, and the guest init (scripts/guest-init.sh) prints its own lines,
"POOL_EXT: begin mode=M cpus=N kernel=R", "POOL_EXT: insmod M rc=N", ...,
"POOL_EXT: done", without a timestamp. scripts/ktap_parse.py (the verdict)
and scripts/bench_report.py (the benchmark table) both read logs through
this module.
"""

import re

TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\] ?')
MARK = 'POOL_EXT: '
BEGIN = re.compile(r'^POOL_EXT: begin mode=(?P<mode>\S+) cpus=(?P<cpus>\d+) '
                   r'kernel=(?P<kernel>\S+)')


def clean(line):
    """One log line without its line end, carriage returns and timestamp."""
    line = line.rstrip('\r\n').replace('\r', '')
    return TIMESTAMP.sub('', line, count=1)


def read_lines(path):
    """The cleaned lines of the log at PATH (OSError if it cannot be read)."""
    with open(path, encoding='utf-8', errors='replace') as f:
        return [clean(line) for line in f]


EMBEDDED_TIMESTAMP = re.compile(r'\[\s*\d+\.\d+\] ')


def untear(line):
    """The lines a cleaned LINE holds. The guest init and the kernel share
    the console, and a kernel that prints from a thread of its own
    (PREEMPT_RT's console printer) can start a line before the init's has
    ended, or the other way round: "POOL_EXT: insmod M rc=0[   49.17]
    pool_ext_bench: row=...". Such a line is cut wherever another line
    starts inside it (a kernel timestamp or an init marker after its first
    character), and each part cleaned. Text of one line that lands in the
    middle of another cannot be told apart and is not mended. (Line
    numbers in reports count the log's own lines, so only readers that need
    no numbers use this.)"""
    cuts = [m.start() for m in EMBEDDED_TIMESTAMP.finditer(line) if m.start() > 0]
    i = line.find(MARK, 1)
    if i > 0:
        cuts.append(i)
    if not cuts:
        return [line]
    cut = min(cuts)
    return [line[:cut]] + untear(clean(line[cut:]))


def marker(line):
    """The text after "POOL_EXT: " of a guest-init line, else None."""
    return line[len(MARK):] if line.startswith(MARK) else None


def begin(line):
    """(mode, cpus, kernel release) of a begin marker line, else None."""
    m = BEGIN.match(line)
    return (m.group('mode'), int(m.group('cpus')), m.group('kernel')) if m else None


def between(lines, first, last, data=False):
    """LINES are (raw, cleaned) pairs: each line as read, without its line
    end and carriage returns, and as clean() makes it. The cleaned lines
    from each "POOL_EXT: FIRST..." marker to the next
    "POOL_EXT: LAST..." marker, both included. With DATA, only what the
    guest printed itself strictly between them (a payload such as
    base64): no markers and no kernel (timestamped) lines."""
    out, inside = [], False
    for raw, line in lines:
        text = marker(line)
        if not inside:
            if text is not None and text.startswith(first):
                inside = True
                if not data:
                    out.append(line)
            continue
        if text is not None and text.startswith(last):
            inside = False
            if not data:
                out.append(line)
            continue
        if data and (text is not None or TIMESTAMP.match(raw)):
            continue
        out.append(line)
    return out


def main():
    import argparse
    ap = argparse.ArgumentParser(description='Print a part of a guest serial log.')
    ap.add_argument('--between', nargs=2, metavar=('FIRST', 'LAST'), required=True,
                    help='POOL_EXT markers (prefixes) that open and close the part')
    ap.add_argument('--data', action='store_true',
                    help='only the guest\'s own lines strictly between the markers')
    ap.add_argument('log')
    args = ap.parse_args()
    with open(args.log, encoding='utf-8', errors='replace') as f:
        lines = [(raw.rstrip('\r\n').replace('\r', ''), clean(raw)) for raw in f]
    for line in between(lines, *args.between, data=args.data):
        print(line)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
