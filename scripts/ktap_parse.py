#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a guest serial log: KUnit (KTAP) results plus everything else the
kernel printed that means the run is not clean.

usage: scripts/ktap_parse.py LOG [--kunit] [--suites-from DIR] [--expect-suite NAME]...
                              [--filter GLOB] [--kcsan-only-in MODULE]...

A log passes only if all of these hold:
  * the guest init printed its "begin" and "done" markers (no hang, no
    truncation) and every insmod/rmmod succeeded;
  * with --kunit: every expected suite reported a final result, every case
    passed or was skipped, no suite was cut off mid-run, and every "1..N"
    plan (of a module's suites, of a suite's cases) was met by exactly N
    results; a parameterised case is listed with its parameters;
  * no oops, BUG, panic, KASAN, KCSAN, UBSAN, lockdep, RCU-stall, hung-task
    or kmemleak report anywhere in the log. With --kcsan-only-in, a KCSAN
    report counts only if a frame of either stack lies in one of the named
    modules; one wholly inside the kernel's own code is listed as a note.
  * every WARNING block and every bare Call Trace was printed inside an
    expected-warning window (tests/pool_ext_test.h) whose pattern it contains.

With --kunit the last line is "N passed, N failed, N skipped". Exit status
is 0 for a clean pass and 1 otherwise.
"""

import argparse
import fnmatch
import os
import re
import sys

import serial_log
from serial_log import MARK

RESULT = re.compile(r'^(?P<indent>\s*)(?P<ok>ok|not ok) (?P<num>\d+)(?: (?P<name>[^#]*?))?\s*(?:#\s*(?P<directive>.*))?$')
SUBTEST = re.compile(r'^(?P<indent>\s*)# Subtest: (?P<name>\S+)')
PLAN = re.compile(r'^(?P<indent>\s*)1\.\.(?P<n>\d+)\s*$')
HEADER = re.compile(r'^(?P<indent>\s*)KTAP version \d+\s*$')
EXPECT = re.compile(r'pool_ext-expect-warning: (?P<what>begin|end) (?P<pattern>.*)$')

# Reports that no test may declare as expected.
FATAL = [
    # KCSAN's "BUG: KCSAN:" reports are judged on their own (kcsan_report).
    (re.compile(r'(^|\s)BUG:(?! KCSAN:)'), 'BUG'),
    (re.compile(r'Oops(:| -)'), 'oops'),
    (re.compile(r'Kernel panic - not syncing'), 'panic'),
    (re.compile(r'general protection fault'), 'general protection fault'),
    (re.compile(r'Unable to handle kernel'), 'bad kernel access'),
    (re.compile(r'KASAN:'), 'KASAN report'),
    (re.compile(r'UBSAN:'), 'UBSAN report'),
    (re.compile(r'possible circular locking dependency'), 'lockdep splat'),
    (re.compile(r'possible recursive locking'), 'lockdep splat'),
    (re.compile(r'inconsistent lock state'), 'lockdep splat'),
    (re.compile(r'possible irq lock inversion'), 'lockdep splat'),
    (re.compile(r'suspicious RCU usage'), 'lockdep (RCU) splat'),
    (re.compile(r'lock held when returning to user space'), 'lockdep splat'),
    (re.compile(r'bad unlock balance detected'), 'lockdep splat'),
    (re.compile(r'held lock freed'), 'lockdep splat'),
    (re.compile(r'rcu: INFO: .* detected stalls'), 'RCU stall'),
    (re.compile(r'INFO: task .* blocked for more than'), 'hung task'),
    (re.compile(r'soft lockup'), 'soft lockup'),
    (re.compile(r'unreferenced object 0x'), 'kmemleak leak'),
    (re.compile(r'new suspected memory leaks'), 'kmemleak leak'),
]


# A KCSAN report: "BUG: KCSAN: data-race in a / b" (or "assert: race in
# a"), both stacks, and a closing line of '=' signs.
KCSAN_START = re.compile(r'BUG: KCSAN: (?P<what>.*)$')
KCSAN_END = re.compile(r'^={20,}$')
FRAME_MODULE = re.compile(r'^\s*\S+\+0x[0-9a-f]+/0x[0-9a-f]+ \[(?P<mod>\w+)\]')


def suites_in(directory):
    """Names of the KUnit suites declared in DIR/*.c."""
    names = []
    decl = re.compile(r'struct kunit_suite\s+\w+\s*=\s*\{(?P<body>.*?)\};', re.S)
    for fname in sorted(os.listdir(directory)):
        if not fname.endswith('.c'):
            continue
        with open(os.path.join(directory, fname), encoding='utf-8', errors='replace') as f:
            text = f.read()
        for m in decl.finditer(text):
            n = re.search(r'\.name\s*=\s*"([^"]+)"', m.group('body'))
            if n:
                names.append(n.group(1))
    return names


class Verdict:
    def __init__(self):
        self.problems = []
        self.notes = []
        self.suites = {}        # name -> dict(result, cases=[(name, state)])
        self.order = []

    def problem(self, text):
        if text not in self.problems:
            self.problems.append(text)


def parse_ktap(lines, v):
    """Collect suites (top-level results), their cases (one level down) and
    the parameters of parameterised cases (two levels down), and check every
    "1..N" plan against the results that follow it at its level."""
    current = None          # the suite being read
    case_params = []        # results of the parameterised case being read
    # Per indentation level: [plan N or None, results seen, what, line]
    levels = {}

    def close_level(depth):
        lv = levels.pop(depth, None)
        if lv and lv[0] is not None and lv[0] != lv[1]:
            v.problem(f'{lv[2]}: plan 1..{lv[0]} at log line {lv[3]} '
                      f'but {lv[1]} result(s)')

    for num, line in enumerate(lines, 1):
        m = HEADER.match(line)
        if m:
            depth = len(m.group('indent'))
            if depth == 0:
                # A new KTAP document (one per test module): the previous
                # one's plan must have been met.
                for d in sorted(levels, reverse=True):
                    close_level(d)
            continue
        m = SUBTEST.match(line)
        if m:
            depth = len(m.group('indent'))
            if depth == 4:
                if current and v.suites[current]['result'] is None:
                    v.problem(f'suite {current}: cut off before its result')
                current = m.group('name')
                if current in v.suites:
                    v.problem(f'suite {current}: reported twice')
                v.suites[current] = {'result': None, 'cases': [], 'params': {}}
                v.order.append(current)
                levels[4] = [None, 0, f'suite {current}', num]
            elif depth == 8 and current:
                case_params = []
                levels[8] = [None, 0, f'case {current}.{m.group("name")}', num]
            continue
        m = PLAN.match(line)
        if m:
            depth = len(m.group('indent'))
            what = f'suite {current}' if depth == 4 and current else \
                   ('the list of suites' if depth == 0 else 'a subtest')
            if depth in levels and levels[depth][0] is None:
                levels[depth][0] = int(m.group('n'))
                levels[depth][3] = num
            else:
                levels[depth] = [int(m.group('n')), 0, what, num]
            continue
        m = RESULT.match(line)
        if not m:
            continue
        depth = len(m.group('indent'))
        directive = (m.group('directive') or '').strip()
        state = 'skip' if directive.upper().startswith('SKIP') else \
                ('pass' if m.group('ok') == 'ok' else 'fail')
        name = (m.group('name') or '').strip()
        if depth in levels:
            levels[depth][1] += 1
        if depth == 8 and current:
            case_params.append((name, state))
        elif depth == 4 and current:
            v.suites[current]['cases'].append((name, state))
            if 8 in levels:
                close_level(8)
                v.suites[current]['params'][name] = case_params
                case_params = []
        elif depth == 0 and current and name == current:
            close_level(4)
            v.suites[current]['result'] = state
            current = None
    if current and v.suites[current]['result'] is None:
        v.problem(f'suite {current}: cut off before its result')
    elif levels:
        for d in sorted(levels, reverse=True):
            close_level(d)


def kcsan_report(lines, start, v, only_in):
    """Judge the KCSAN report starting at lines[start]; return its end."""
    what = KCSAN_START.search(lines[start]).group('what').strip()
    end = start + 1
    mods = set()
    while end < len(lines) and end - start < 200:
        if KCSAN_END.match(lines[end].strip()) or KCSAN_START.search(lines[end]):
            break
        m = FRAME_MODULE.match(lines[end])
        if m:
            mods.add(m.group('mod'))
        end += 1
    if only_in is None or mods & set(only_in):
        v.problem(f'KCSAN report at log line {start + 1}: {what}')
    else:
        v.notes.append(f'KCSAN report in the kernel\'s own code at log line {start + 1}, '
                       f'no frame in {", ".join(only_in)}: {what}')
    return end


def scan_reports(lines, v, kcsan_only_in=None):
    """Fatal reports anywhere; WARNING blocks only inside a matching window."""
    windows = []
    block = None          # (start line number, text lines, window patterns)
    in_kmemleak = kmemleak_seen = False

    def close(blk):
        start, text, pats = blk
        body = '\n'.join(text)
        if not any(p in body for p in pats):
            first = next((t for t in text if 'WARNING:' in t or 'Call Trace' in t), text[0])
            why = f' (expected only "{pats[-1]}")' if pats else ''
            v.problem(f'unexpected warning at log line {start}: {first.strip()}{why}')

    for num, line in enumerate(lines, 1):
        if KCSAN_START.search(line):
            kcsan_report(lines, num - 1, v, kcsan_only_in)
        for rx, what in FATAL:
            if rx.search(line):
                v.problem(f'{what} at log line {num}: {line.strip()}')
        m = EXPECT.search(line)
        if m:
            pat = m.group('pattern').strip()
            if m.group('what') == 'begin':
                windows.append(pat)
            elif pat in windows:
                windows.remove(pat)
            else:
                v.problem(f'expect-warning end without begin: {pat}')
            continue
        if line.startswith(MARK + 'kmemleak-begin'):
            in_kmemleak = True
            continue
        if line.startswith(MARK + 'kmemleak-end'):
            in_kmemleak = False
            continue
        if in_kmemleak and line.strip() and not kmemleak_seen:
            kmemleak_seen = True
            v.problem(f'kmemleak reported a leak at log line {num}: {line.strip()}')
        if block is None:
            if 'cut here' in line or 'WARNING:' in line or 'Call Trace:' in line:
                block = (num, [line], list(windows))
            continue
        block[1].append(line)
        if '---[ end trace' in line or (line.strip() == '</TASK>' and
                                        not any('cut here' in t or 'WARNING:' in t for t in block[1])):
            close(block)
            block = None
    if block:
        close(block)
    for pat in windows:
        v.problem(f'expect-warning window never closed: {pat}')


def scan_markers(lines, v):
    begun = done = False
    for line in lines:
        if not line.startswith(MARK):
            continue
        rest = line[len(MARK):]
        if rest.startswith('begin'):
            begun = True
        elif rest == 'done':
            done = True
        m = re.match(r'(insmod|rmmod) (\S+) rc=(\d+)', rest)
        if m and m.group(3) != '0':
            v.problem(f'{m.group(1)} {m.group(2)} failed (rc={m.group(3)})')
    if not begun:
        v.problem('guest never reached the test init (no begin marker)')
    elif not done:
        v.problem('log is truncated: the guest never printed its done marker (hang, crash or timeout)')


def main():
    ap = argparse.ArgumentParser(description='Judge a pool_ext guest serial log.')
    ap.add_argument('log')
    ap.add_argument('--kunit', action='store_true', help='require KUnit results')
    ap.add_argument('--suites-from', help='directory whose *.c declare the expected suites')
    ap.add_argument('--expect-suite', action='append', default=[], help='an expected suite name')
    ap.add_argument('--filter', help='only suites matching this glob are expected (kunit.filter_glob)')
    ap.add_argument('--kcsan-only-in', action='append', metavar='MODULE',
                    help='judge only KCSAN reports with a frame in MODULE (repeatable)')
    args = ap.parse_args()

    try:
        lines = serial_log.read_lines(args.log)
    except OSError as e:
        print(f'error: cannot read log: {e}')
        print('0 passed, 0 failed' if args.kunit else 'FAIL')
        return 1

    v = Verdict()
    scan_markers(lines, v)
    scan_reports(lines, v, args.kcsan_only_in)
    expected = list(args.expect_suite)
    if args.suites_from:
        expected += suites_in(args.suites_from)
    if args.filter:
        expected = [n for n in expected if fnmatch.fnmatchcase(n, args.filter)]

    passed = failed = skipped = 0
    if args.kunit:
        parse_ktap(lines, v)
        for name in expected:
            if name not in v.suites:
                v.problem(f'suite {name}: expected but never reported')
        if not v.suites:
            v.problem('no KUnit suite reported')
        for name in v.order:
            s = v.suites[name]
            p = sum(1 for _, st in s['cases'] if st == 'pass')
            fl = sum(1 for _, st in s['cases'] if st == 'fail')
            sk = sum(1 for _, st in s['cases'] if st == 'skip')
            passed, failed, skipped = passed + p, failed + fl, skipped + sk
            res = s['result'] or 'incomplete'
            print(f'  suite {name:28s} {res:10s} {p} passed, {fl} failed, {sk} skipped')
            for cname, st in s['cases']:
                params = s['params'].get(cname)
                if params:
                    pp = sum(1 for _, pst in params if pst == 'pass')
                    pf = sum(1 for _, pst in params if pst == 'fail')
                    ps = sum(1 for _, pst in params if pst == 'skip')
                    print(f'    {cname}: {len(params)} parameters, '
                          f'{pp} passed, {pf} failed, {ps} skipped')
                    for pname, pst in params:
                        if pst == 'fail':
                            print(f'    FAILED: {name}.{cname}[{pname}]')
                if st == 'fail':
                    print(f'    FAILED: {name}.{cname}')
            if s['result'] == 'fail' and fl == 0:
                v.problem(f'suite {name}: reported not ok')
        if failed:
            v.problem(f'{failed} KUnit case(s) failed')

    for n in v.notes:
        print(f'  note: {n}')
    for p in v.problems:
        print(f'  problem: {p}')
    if args.kunit:
        print(f'{passed} passed, {failed} failed, {skipped} skipped')
    else:
        print('clean' if not v.problems else 'FAIL')
    return 1 if v.problems else 0


if __name__ == '__main__':
    sys.exit(main())
