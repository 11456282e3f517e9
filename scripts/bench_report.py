#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the serial logs of `make bench` into a table, a CSV and a plot.

usage: scripts/bench_report.py [--kernels "NAME:SET ..."] [--csv FILE]
                               [--markdown FILE] [--plot FILE.svg] LOG...

Each benchmark module prints one line per row, for example

  pool_ext_bench: row=genpool_fill90_ff_8 suite_ns=812.3 kernel_ns=20411.0 ...
  pool_ext_bench: row=genpool_metadata_1x16MiB suite_bytes=... kernel_bytes=...

and notes ("pool_ext_bench: row=NAME note: ..."). The kernel a row ran on
comes from the guest's "POOL_EXT: begin mode=bench cpus=N kernel=R" marker,
and is named as in scripts/kernels.list: series, plus the flavour when it is
not the plain one (6.12.118+deb12-rt-amd64 is "6.12-rt", 7.2.13+deb14-amd64
is "7.2"). --kernels says which kernels were measured and with which set of
rows: "full" (every genpool, dmapool and mempool row) or "dmapool" (the
dma_pool rows only). A second table puts the kernels side by side: one
column of ratios per kernel.
The ratio is kernel / suite: above 1 the suite is faster (or, for the
metadata rows, smaller). Each row is compared with its target from issue 7
and marked met or not met. "spread" is the interquartile range over the
median of the repetitions, for the noisier of the two sides: a large one
means the host was busy and the ratio is less certain.

Logs named *-icount.log come from a one-vCPU boot under QEMU's
-icount shift=0, where the guest clock advances one nanosecond per
instruction: their rows are instructions per operation. They are reported
in a table of their own (and in the CSV with the unit instr/op), never
judged against a target: the targets are about time. Every one-vCPU row a
kernel has must then be in its instruction-count log too.

Exit status: 0 when every expected row is present exactly once, 1 otherwise
(a missed target never fails).
"""

import argparse
import csv
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

import serial_log

ROW = re.compile(r'^pool_ext_bench: row=(\S+) (?!note:)(.*)$')
NOTE = re.compile(r'^pool_ext_bench: row=(\S+) note: (.*)$')

FILLS = (0, 50, 90, 99)
ALGOS = (('ff', 'first-fit'), ('bf', 'best-fit'), ('oa', 'order-aligned'))
SIZES = (1, 8, 64)
DMA = ('dmapool_16_16', 'dmapool_64_64', 'dmapool_256_256',
       'dmapool_1024_1024', 'dmapool_4096_4096', 'dmapool_68_32_b4096')
MEMPOOL = ('mempool_kmalloc_healthy', 'mempool_reserve_failfn',
           'mempool_reserve_inject', 'mempool_prodcons',
           'mempool_prodcons_reserve')
# One dma_pool shared by a thread per vCPU, the same with one thread, and
# (derived, not printed by the guest) the suite's throughput on all vCPUs
# over its throughput on one.
DMA_SHARED = ('dmapool_shared_64', 'dmapool_shared_64_1t')
DMA_SCALING = 'dmapool_shared_64_scaling'
DMA_META = 'dmapool_metadata_64'
# gen_pool layouts beyond the first-fit fill sequence, each made by another
# process (tests/genpool_ext_bench.c, enum gpb_process), at 90% fill: only
# the rows with the 10x target.
GP_LAYOUTS = ('genpool_bfchurn_fill90', 'genpool_large_fill90', 'genpool_lifetimes_fill90')
GP_LAYOUT_ROWS = tuple(f'{p}_{a}_{z}' for p in GP_LAYOUTS for a in ('ff', 'bf') for z in (8, 64))
# One small gen_pool shared by two threads per vCPU and a hard-irq timer
# (two-vCPU boots); the _bitmap row is the A/B with the suite searching the
# bitmap as the kernel does, a diagnosis without a target.
GP_SHARED = ('genpool_shared_o5', 'genpool_shared_o5_bitmap')


# What scripts/bench.sh measures: kernel name (scripts/kernels.list) and
# row set, in column order.
DEFAULT_KERNELS = '6.12:full 6.12-rt:full 7.2:full 6.1:dmapool'


def parse_kernels(spec):
    """[(name, set)] from "NAME:SET ..."."""
    out = []
    for item in spec.split():
        name, _, rowset = item.partition(':')
        if rowset not in ('full', 'dmapool'):
            raise ValueError(f'kernel {name}: row set {rowset!r} is not full or dmapool')
        out.append((name, rowset))
    return out


def workloads(rowset):
    """The rows of one set, in table order."""
    if rowset == 'dmapool':
        return list(DMA)
    rows = ['genpool_metadata_1x16MiB', 'genpool_metadata_64x256KiB']
    for prefix in [f'genpool_fill{f}' for f in FILLS] + ['genpool_64chunk_fill90']:
        for a, _ in ALGOS:
            for z in SIZES:
                rows.append(f'{prefix}_{a}_{z}')
    rows += list(GP_LAYOUT_ROWS) + list(GP_SHARED)
    return (rows + list(DMA) + [DMA_META] + list(DMA_SHARED) + [DMA_SCALING]
            + list(MEMPOOL))


def expected_rows(kernels):
    """(row, kernel) pairs that a complete run prints, in table order."""
    return [(r, k) for k, rowset in kernels for r in workloads(rowset)]


def target(row, kernel):
    """(minimum ratio kernel/suite or None, label) for a row (issue 16).

    The dma_pool targets depend on the kernel's dma_pool: 6.1 scans pages
    for a free block, 6.4 and later (6.12, 6.12-rt, 7.2) keep a free list.
    """
    if row.startswith('genpool_metadata') or row == DMA_META:
        return 1 / 1.1, '>= 0.91x (suite <= 1.1x bytes)'
    if row in GP_LAYOUT_ROWS:
        return 10.0, '>= 10x'
    if row == 'genpool_shared_o5':
        return 1.0, '>= 1.0x (ops completed)'
    if row == 'genpool_shared_o5_bitmap':
        return None, '-'
    m = re.match(r'genpool_fill(\d+)_(\w+)_(\d+)$', row)
    if m:
        fill, algo, size = int(m.group(1)), m.group(2), int(m.group(3))
        if fill == 90 and algo in ('ff', 'bf') and size in (8, 64):
            return 10.0, '>= 10x'
        return 1.0, '>= 1.0x'
    m = re.match(r'genpool_64chunk_fill90_(\w+)_(\d+)$', row)
    if m and m.group(1) in ('ff', 'bf') and int(m.group(2)) in (8, 64):
        return 10.0, '>= 10x'
    if row.startswith('genpool_'):
        return 1.0, '>= 1.0x'
    if row == DMA_SCALING:
        return 1.6, '>= 1.6x (suite, all vCPUs over one)'
    if row == 'dmapool_shared_64':
        return 1.8, '>= 1.8x'
    if row.startswith('dmapool_'):
        if kernel_series(kernel) == '6.1':
            size = int(row.split('_')[1])
            if size >= 256:
                return 10.0, '>= 10x'
            return None, '-'
        if kernel in ('6.12', '7.2') and row in DMA:
            return 1.5, '>= 1.5x'
        return 1.0, '>= 1.0x'
    if row.startswith('mempool_'):
        return 1.0, '>= 1.0x'
    return None, '-'


def kernel_series(kernel):
    m = re.match(r'(\d+)\.(\d+)', kernel)
    return f'{m.group(1)}.{m.group(2)}' if m else kernel


def kernel_of(release):
    """The matrix name of a release: 6.12.118+deb12-amd64 -> 6.12,
    6.12.118+deb12-rt-amd64 -> 6.12-rt, 6.1.0-57-amd64 -> 6.1."""
    m = re.match(r'(\d+\.\d+)\.\d+(?:-\d+|\+deb\d+)?(?:-(.+))?$', release)
    if not m:
        return kernel_series(release)
    flavour = m.group(2) or 'amd64'
    if flavour == 'amd64':
        return m.group(1)
    return f"{m.group(1)}-{flavour.removesuffix('-amd64')}"


def parse_log(path, rows, notes, problems):
    release, cpus = None, None
    for line in (part for whole in serial_log.read_lines(path)
                 for part in serial_log.untear(whole)):
        b = serial_log.begin(line)
        if b:
            _, cpus, release = b
            continue
        m = NOTE.match(line)
        if m and release:
            notes.setdefault((m.group(1), kernel_of(release)), []).append(m.group(2))
            continue
        m = ROW.match(line)
        if not m:
            continue
        if not release:
            problems.append(f'{path}: a row before the begin marker')
            continue
        fields = dict(kv.split('=', 1) for kv in m.group(2).split() if '=' in kv)
        key = (m.group(1), kernel_of(release))
        if key in rows and rows[key][-1]['log'] == os.path.basename(path):
            problems.append(f'row {key[0]} on {key[1]} printed twice in one log')
        rec = {'row': key[0], 'kernel_name': key[1], 'release': release,
               'cpus': cpus, 'log': os.path.basename(path)}
        try:
            if 'suite_bytes' in fields:
                rec['unit'] = 'bytes'
                rec['suite'] = float(fields['suite_bytes'])
                rec['kernel'] = float(fields['kernel_bytes'])
            else:
                rec['unit'] = 'ns/op'
                for k in ('suite', 'kernel'):
                    rec[k] = float(fields[f'{k}_ns'])
                    for q in ('min', 'q1', 'q3', 'max'):
                        rec[f'{k}_{q}'] = float(fields[f'{k}_{q}'])
                    rec[f'{k}_n'] = int(fields[f'{k}_n'])
                rec['reps'] = int(fields['reps'])
        except (KeyError, ValueError) as e:
            problems.append(f'row {key[0]}: unreadable line ({e}): {line}')
            continue
        rows.setdefault(key, []).append(rec)
    if not release:
        problems.append(f'{path}: no "POOL_EXT: begin" marker (guest never started?)')
        return None, None
    return kernel_of(release), cpus


def ratio_of(rec):
    return rec['kernel'] / rec['suite'] if rec['suite'] > 0 else float('inf')


def merge_boots(raw):
    """One record per (row, kernel): a row measured in several boots is
    reported as the boot with the median ratio (the lower middle one), and
    carries every boot's ratio so the spread across boots can be printed."""
    rows = {}
    for key, recs in raw.items():
        recs = sorted(recs, key=ratio_of)
        rec = dict(recs[(len(recs) - 1) // 2])
        rec['boots'] = len(recs)
        rec['boot_ratios'] = [ratio_of(r) for r in recs]
        rows[key] = rec
    return rows


def add_scaling(rows):
    """The derived row DMA_SCALING per kernel: the suite's aggregate
    throughput with a thread per vCPU over its throughput with one thread,
    from the median boots of the two rows. Stored with suite = the
    all-vCPU time per op and kernel = the one-thread time per op, so that
    ratio = kernel / suite is the scaling."""
    for (row, k), rec in list(rows.items()):
        if row != 'dmapool_shared_64':
            continue
        one = rows.get(('dmapool_shared_64_1t', k))
        if not one:
            continue
        rows[(DMA_SCALING, k)] = dict(
            rec, row=DMA_SCALING, unit='ns/op', suite=rec['suite'], kernel=one['suite'],
            kernel_min=one['suite_min'], kernel_q1=one['suite_q1'],
            kernel_q3=one['suite_q3'], kernel_max=one['suite_max'],
            kernel_n=one['suite_n'], boots=min(rec['boots'], one['boots']),
            boot_ratios=[])


def fmt_num(v, unit):
    if unit == 'bytes':
        return f'{v:.0f}'
    return f'{v:.1f}' if v < 1000 else f'{v:.0f}'


def build_table(rows, notes, kernels):
    table = []
    for key in expected_rows(kernels):
        rec = rows.get(key)
        if not rec:
            continue
        ratio = rec['kernel'] / rec['suite'] if rec['suite'] > 0 else float('inf')
        tmin, tlabel = target(*key)
        met = '-' if tmin is None else ('met' if ratio >= tmin else 'NOT met')
        spread = spread_of(rec) if rec['unit'] == 'ns/op' else None
        boots = ''
        if rec.get('boots', 1) > 1 and rec.get('boot_ratios'):
            br = rec['boot_ratios']
            boots = f"median of {len(br)} boots, {min(br):.2f}x-{max(br):.2f}x"
        note = '; '.join([boots] if boots else [])
        table.append(dict(rec, ratio=ratio, target=tlabel, met=met, spread=spread,
                          boots_note=boots,
                          note='; '.join(x for x in [note] + notes.get(key, []) if x)))
    return table


def fmt_spread(r):
    s = '-' if r['spread'] is None else f"{100 * r['spread']:.0f}%"
    if r.get('boots_note'):
        s += f" ({r['boots_note']})"
    return s


def print_columns(hdr, lines):
    """A plain-text table: the header, a rule, then the lines, aligned."""
    w = [max(len(str(x)) for x in col) for col in zip(hdr, *lines)]
    print('  '.join(h.ljust(w[i]) for i, h in enumerate(hdr)))
    print('  '.join('-' * w[i] for i in range(len(hdr))))
    for line in lines:
        print('  '.join(str(x).ljust(w[i]) for i, x in enumerate(line)))


def print_table(table):
    hdr = ('workload', 'kernel', 'unit', 'suite', 'kernel', 'ratio', 'target', 'met', 'spread')
    lines = [[r['row'], r['release'], r['unit'], fmt_num(r['suite'], r['unit']),
              fmt_num(r['kernel'], r['unit']), f"{r['ratio']:.2f}x", r['target'], r['met'],
              fmt_spread(r)]
             for r in table]
    print_columns(hdr, lines)


def side_by_side(table, kernels):
    """(header, lines): one line per workload, one ratio column per kernel."""
    names = [k for k, _ in kernels]
    cell = {(r['row'], r['kernel_name']): r for r in table}
    order = []
    for k, rowset in kernels:
        for w in workloads(rowset):
            if w not in order:
                order.append(w)
    lines = []
    for w in order:
        line = [w]
        for k in names:
            r = cell.get((w, k))
            if not r:
                line.append('-')
            else:
                line.append(f"{r['ratio']:.2f}x" + (' (NOT met)' if r['met'] == 'NOT met' else ''))
        lines.append(line)
    return ['workload'] + names, lines


def print_side_by_side(table, kernels):
    hdr, lines = side_by_side(table, kernels)
    print()
    print('ratio kernel/suite per kernel (each measured against its own allocators, same boot):')
    print_columns(hdr, lines)


def is_icount_log(path):
    """A log of the instruction-count boot (scripts/bench.sh)."""
    return os.path.basename(path).endswith('-icount.log')


def spread_of(rec):
    """The interquartile range over the median, for the noisier side."""
    return max((rec[f'{k}_q3'] - rec[f'{k}_q1']) / rec[k] if rec[k] > 0 else 0
               for k in ('suite', 'kernel'))


def icount_table(rows_ic, rows, have):
    """(table, problems): the instruction-count rows, one record per row
    and kernel in the wall-time table's order. Every one-vCPU time row of
    a kernel in HAVE (the kernels with an instruction-count log) must be
    there, and nothing else."""
    table, problems = [], []
    for key, rec in rows.items():
        if rec['unit'] != 'ns/op' or str(rec.get('cpus')) != '1' or key[1] not in have:
            continue
        ic = rows_ic.get(key)
        if not ic:
            problems.append(f'row {key[0]} on {key[1]} missing from the instruction-count boot')
            continue
        table.append(dict(ic, unit='instr/op', ratio=ratio_of(ic), target='-', met='-',
                          spread=spread_of(ic), boots_note='', note=''))
    for key, ic in rows_ic.items():
        if ic['unit'] == 'ns/op' and key not in rows:
            problems.append(f'row {key[0]} on {key[1]} only in the instruction-count boot')
    return table, problems


def check_boots(raw, boots):
    """Problems: a row of a two-vCPU boot missing from another two-vCPU
    boot of its kernel (BOOTS: (kernel, cpus) -> number of logs), which
    would otherwise only shrink its median's sample."""
    problems = []
    for (row, k), recs in raw.items():
        want = boots.get((k, recs[0]['cpus']), 0)
        if recs[0]['cpus'] != 1 and len(recs) != want:
            problems.append(f'row {row} on {k} in {len(recs)} of the {want} '
                            f'{recs[0]["cpus"]}-vCPU boots')
    return problems


def print_icount(table_ic, kernels):
    names = {r['kernel_name'] for r in table_ic}
    hdr, lines = side_by_side(table_ic, [(k, s) for k, s in kernels if k in names])
    lines = [line for line in lines if any(c != '-' for c in line[1:])]
    print()
    print('instructions, ratio kernel/suite per kernel (QEMU -icount shift=0, one vCPU, '
          'same boot; not judged, the targets are about time):')
    print_columns(hdr, lines)
    return hdr, lines


def write_csv(table, path):
    cols = ['workload', 'kernel_release', 'cpus', 'unit', 'suite', 'kernel',
            'ratio_kernel_over_suite', 'target', 'met', 'spread', 'suite_min', 'suite_q1',
            'suite_q3', 'suite_max', 'kernel_min', 'kernel_q1', 'kernel_q3', 'kernel_max',
            'suite_n', 'kernel_n', 'reps', 'note']
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in table:
            w.writerow([r['row'], r['release'], r['cpus'], r['unit'], r['suite'], r['kernel'],
                        f"{r['ratio']:.3f}", r['target'], r['met'],
                        '' if r['spread'] is None else f"{r['spread']:.3f}",
                        *[r.get(f'{k}_{q}', '') for k in ('suite', 'kernel')
                          for q in ('min', 'q1', 'q3', 'max')],
                        r.get('suite_n', ''), r.get('kernel_n', ''), r.get('reps', ''),
                        r['note']])


def missed_lines(table):
    """One line per row and kernel that missed its target."""
    return [f"{r['row']} on {r['kernel_name']} ({r['release']}): {r['ratio']:.2f}x, "
            f"target {r['target']}" + (f" ({r['boots_note']})" if r.get('boots_note') else '')
            for r in table if r['met'] == 'NOT met']


def write_markdown(table, path, date, kernels, icount=None):
    releases = sorted({r['release'] for r in table})
    hdr, lines = side_by_side(table, kernels)
    out = ['Ratio kernel time / suite time per kernel, each against its own allocators '
           'in the same boot:',
           '',
           '| ' + ' | '.join(hdr) + ' |',
           '|---|' + '---:|' * (len(hdr) - 1)]
    for line in lines:
        out.append(f'| `{line[0]}` | ' + ' | '.join(line[1:]) + ' |')
    out += ['', f'Measured {date} on {", ".join(releases)} (stock Debian kernels, QEMU TCG; '
           'ratio = kernel time / suite time, >1 means the suite is faster or smaller; '
           'spread = interquartile range / median of the repetitions, noisier side).',
           '',
           '| workload | kernel | suite | kernel | ratio | target | | spread |',
           '|---|---|---:|---:|---:|---|---|---:|']
    for r in table:
        unit = ' B' if r['unit'] == 'bytes' else ' ns'
        out.append(f"| `{r['row']}` | {r['release']} | {fmt_num(r['suite'], r['unit'])}{unit} "
                   f"| {fmt_num(r['kernel'], r['unit'])}{unit} | {r['ratio']:.2f}x "
                   f"| {r['target']} | {r['met']} | {fmt_spread(r)} |")
    if icount:
        hdr, lines = icount
        out += ['', 'Instructions per operation, ratio kernel / suite per kernel (QEMU '
                '`-icount shift=0`, one vCPU, same boot; not judged):', '',
                '| ' + ' | '.join(hdr) + ' |', '|---|' + '---:|' * (len(hdr) - 1)]
        out += [f'| `{line[0]}` | ' + ' | '.join(line[1:]) + ' |' for line in lines]
    missed = missed_lines(table)
    out += ['', f'Targets missed ({len(missed)}):' if missed else 'Every target was met.']
    out += [f'- `{line.split(" ", 1)[0]}` {line.split(" ", 1)[1]}' for line in missed]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')


def plot_pair(dat, j, color, label):
    """The two gnuplot lines of data pair j (columns 2+2j and 3+2j of dat):
    the suite solid, the kernel dashed, both in one color."""
    return [f"'{dat}' using 1:{2 + 2 * j} with linespoints lw 2 pt 7 "
            f"lc rgb '{color}' dt 1 title 'suite {label}'",
            f"'{dat}' using 1:{3 + 2 * j} with linespoints lw 2 pt 6 "
            f"lc rgb '{color}' dt 2 title 'kernel {label}'"]


def run_gnuplot(gp, script, path):
    """Run gnuplot on script (a list of lines) writing path; False on error."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    res = subprocess.run([gp], input='\n'.join(script) + '\n', text=True,
                         capture_output=True, check=False)
    if res.returncode != 0:
        print(f'problem: gnuplot failed: {res.stderr.strip()}')
        return False
    return True


def plot_kernel(rows, kernels):
    """The kernel the gen_pool plot shows: 6.12 when it was measured, else
    the first kernel with gen_pool rows (a run on a subset of kernels)."""
    have = {k for (n, k) in rows if n.startswith('genpool_fill')}
    names = [k for k, rowset in kernels if rowset == 'full' and k in have]
    return '6.12' if '6.12' in names else (names[0] if names else '6.12')


def plot(rows, path, date, kernel='6.12'):
    """ns per pair against fill, per algorithm, both implementations, on
    one kernel."""
    gp = shutil.which('gnuplot')
    if not gp:
        print('problem: gnuplot not found (install gnuplot-nox)')
        return False
    release = next((r['release'] for (n, k), r in rows.items()
                    if n.startswith('genpool_fill') and k == kernel), '?')
    with tempfile.TemporaryDirectory() as tmp:
        for a, _ in ALGOS:
            with open(os.path.join(tmp, f'{a}.dat'), 'w', encoding='utf-8') as f:
                f.write('# fill ' + ' '.join(f'suite{z} kernel{z}' for z in SIZES) + '\n')
                for fill in FILLS:
                    vals = []
                    for z in SIZES:
                        rec = rows.get((f'genpool_fill{fill}_{a}_{z}', kernel))
                        vals += [f"{rec['suite']}", f"{rec['kernel']}"] if rec else ['NaN', 'NaN']
                    f.write(f'{fill} ' + ' '.join(vals) + '\n')
        colors = {1: '#1b9e77', 8: '#d95f02', 64: '#7570b3'}
        if path.endswith('.png'):
            term = "set terminal pngcairo size 1500,520 font 'sans,10' background '#ffffff'"
        else:
            term = "set terminal svg size 1200,420 dynamic font 'sans,11' background '#ffffff'"
        script = [
            term,
            f"set output '{os.path.abspath(path)}'",
            f"set multiplot layout 1,3 title 'gen\\_pool: ns per alloc+free pair vs fill (%), 16 MiB chunk at order 6 "
            f"({release}, QEMU TCG, {date}): solid = genpool\\_ext, dashed = in-kernel gen\\_pool'",
            "set logscale y", "set format y '%.0s%c'", "set grid ytics mytics xtics", "set xrange [-3:102]",
            "set xtics ('0' 0, '50' 50, '90' 90, '99' 99)",
            "unset xlabel", "set key below horizontal maxrows 2 font ',9'",
        ]
        for i, (a, label) in enumerate(ALGOS):
            script.append(f"set title '{label}'")
            script.append("set ylabel 'ns per pair (log)'" if i == 0 else "unset ylabel")
            parts = []
            for j, z in enumerate(SIZES):
                dat = os.path.join(tmp, f'{a}.dat')
                parts += plot_pair(dat, j, colors[z], f'{z}u')
            script.append('plot ' + ', \\\n     '.join(parts))
        script.append('unset multiplot')
        return run_gnuplot(gp, script, path)


def plot_dma(rows, path, date, kernels):
    """dma_pool ns per alloc+free pair, one line per kernel and side
    (suite solid, kernel dashed), the configurations along x."""
    gp = shutil.which('gnuplot')
    if not gp:
        print('problem: gnuplot not found (install gnuplot-nox)')
        return False
    configs = list(DMA) + list(DMA_SHARED)
    names = [k for k, _ in kernels]
    colors = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02']
    with tempfile.TemporaryDirectory() as tmp:
        dat = os.path.join(tmp, 'dma.dat')
        with open(dat, 'w', encoding='utf-8') as f:
            f.write('# config ' + ' '.join(f'suite_{k} kernel_{k}' for k in names) + '\n')
            for i, c in enumerate(configs):
                vals = []
                for k in names:
                    rec = rows.get((c, k))
                    vals += [f"{rec['suite']}", f"{rec['kernel']}"] if rec else ['NaN', 'NaN']
                f.write(f'{i} ' + ' '.join(vals) + '\n')
        labels = ', '.join(f"'{c.removeprefix('dmapool_')}' {i}"
                           for i, c in enumerate(configs)).replace('_', '\\_')
        if path.endswith('.png'):
            term = "set terminal pngcairo size 1200,520 font 'sans,10' background '#ffffff'"
        else:
            term = "set terminal svg size 1100,460 dynamic font 'sans,11' background '#ffffff'"
        script = [
            term,
            f"set output '{os.path.abspath(path)}'",
            f"set title 'dma\\_pool: ns per alloc+free pair per kernel and configuration "
            f"(QEMU TCG, {date}): solid = dmapool\\_ext, dashed = the kernel''s dma\\_pool; "
            f"shared rows: aggregate over one thread per vCPU'",
            "set logscale y", "set grid ytics mytics xtics",
            f"set xrange [-0.5:{len(configs) - 0.5}]",
            f"set xtics ({labels}) rotate by -20",
            "set ylabel 'ns per pair (log)'", "set key outside right",
        ]
        parts = []
        for j, k in enumerate(names):
            col = colors[j % len(colors)]
            parts += plot_pair(dat, j, col, k)
        script.append('plot ' + ', \\\n     '.join(parts))
        return run_gnuplot(gp, script, path)


def main():
    ap = argparse.ArgumentParser(description='Report the pool_ext benchmark logs.')
    ap.add_argument('logs', nargs='+')
    ap.add_argument('--kernels', default=DEFAULT_KERNELS,
                    help=f'kernels measured and their row sets (default "{DEFAULT_KERNELS}")')
    ap.add_argument('--csv', help='write the rows as CSV here')
    ap.add_argument('--markdown', help='write a Markdown table (for the README) here')
    ap.add_argument('--plot', help='write the gen_pool fill plot here (.svg, or .png)')
    ap.add_argument('--plot-dma', help='write the dma_pool per-kernel plot here (.svg, or .png)')
    args = ap.parse_args()
    try:
        kernels = parse_kernels(args.kernels)
    except ValueError as e:
        ap.error(str(e))

    raw, raw_ic, notes, problems = {}, {}, {}, []
    have_ic, boots = set(), {}
    for path in args.logs:
        try:
            if is_icount_log(path):
                k, _ = parse_log(path, raw_ic, {}, problems)
                if k:
                    have_ic.add(k)
            else:
                k, cpus = parse_log(path, raw, notes, problems)
                if k:
                    boots[(k, cpus)] = boots.get((k, cpus), 0) + 1
        except OSError as e:
            problems.append(f'cannot read {path}: {e}')
    problems += check_boots(raw, boots)
    rows = merge_boots(raw)
    add_scaling(rows)
    table_ic, p = icount_table(merge_boots(raw_ic), rows, have_ic)
    problems += p

    date = datetime.date.today().isoformat()
    table = build_table(rows, notes, kernels)
    print_table(table)
    print_side_by_side(table, kernels)
    icount = print_icount(table_ic, kernels) if table_ic else None
    for r in table:
        if 'placement=differs' in r['note']:
            print(f"note: {r['row']}: suite and kernel placed the probe block differently "
                  f"({r['note']})")
    # The derived scaling row is there whenever its two rows are.
    missing = [f'{n} ({s})' for n, s in expected_rows(kernels)
               if (n, s) not in rows and n != DMA_SCALING]
    if missing:
        problems.append(f'{len(missing)} row(s) missing: ' + ', '.join(missing))
    extra = [f'{n} ({s})' for n, s in rows if (n, s) not in set(expected_rows(kernels))]
    if extra:
        problems.append('unexpected row(s): ' + ', '.join(extra))

    noisy = [f"{r['row']} ({r['release']}{', instructions' if r['unit'] == 'instr/op' else ''})"
             for r in table + table_ic if r['spread'] is not None and r['spread'] > 0.2]
    if noisy:
        print(f'note: {len(noisy)} row(s) with a spread over 20% (busy host?): '
              + ', '.join(noisy))
    targets = [r for r in table if r['met'] != '-']
    met = sum(1 for r in targets if r['met'] == 'met')
    print(f'targets: {met} of {len(targets)} met (a missed target is reported, not an error)')
    for line in missed_lines(table):
        print(f'missed: {line}')

    if args.csv:
        write_csv(table + table_ic, args.csv)
        print(f'csv: {args.csv}')
    if args.markdown:
        write_markdown(table, args.markdown, date, kernels, icount)
        print(f'markdown: {args.markdown}')
    if args.plot:
        if plot(rows, args.plot, date, plot_kernel(rows, kernels)):
            print(f'plot: {args.plot}')
        else:
            problems.append('plot not written')
    if args.plot_dma:
        if plot_dma(rows, args.plot_dma, date, kernels):
            print(f'plot: {args.plot_dma}')
        else:
            problems.append('dma_pool plot not written')
    for p in problems:
        print(f'problem: {p}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
