#!/usr/bin/env python3
"""Checks of procsim explore that no fixed output can pin down.

    check-explore.py PROCSIM CASEDIR [CHECK...]

Each check runs procsim explore and looks at what it did, by the
meaning of the output rather than its bytes: counterexamples replay,
threads and shards reach the same verdict, JSON parses, a limit makes the
search incomplete, progress shows on a terminal only.  With no CHECK,
all of them run.
"""

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile

PROCSIM = None
CASEDIR = None
FAILED = []


def run(args, cwd=None, check_status=None):
    p = subprocess.run([PROCSIM] + args, cwd=cwd, capture_output=True,
                       text=True)
    if check_status is not None and p.returncode != check_status:
        fail('%s: status %d, wanted %d\nstderr: %s'
             % (' '.join(args), p.returncode, check_status, p.stderr))
    return p


def fail(msg):
    FAILED.append(msg)
    print('FAIL: ' + msg, file=sys.stderr)


def expect(cond, msg):
    if not cond:
        fail(msg)


def replay_counterexamples():
    """Every counterexample among the cases replays as written."""
    work = tempfile.mkdtemp(prefix='explore-replay.')
    try:
        seen = 0
        for f in sorted(os.listdir(CASEDIR)):
            if not f.endswith('.out'):
                continue
            text = open(os.path.join(CASEDIR, f)).read()
            m = re.search(r'^# replay: procsim (--compare )?FILE$', text, re.M)
            if not m:
                continue
            seen += 1
            path = os.path.join(work, f[:-4] + '.scn')
            with open(path, 'w') as out:
                out.write(text)
            for g in os.listdir(CASEDIR):
                if g.endswith('.scn'):
                    shutil.copy(os.path.join(CASEDIR, g), work)
            p = run([path])
            expect(p.returncode == 0, '%s does not replay: %s' % (f, p.stderr))
            if m.group(1):
                p = run(['--compare', path])
                expect(p.returncode == 0,
                       '%s does not replay under --compare: %s' % (f, p.stderr))
        expect(seen >= 5, 'only %d counterexamples among the cases' % seen)
    finally:
        shutil.rmtree(work)


def threads_agree():
    """1, 2 and 3 threads store the same states and print the same."""
    args = ['explore', '--profile', 'v11-posted', '--property', 'P-FREE',
            '--depth', '6', '--format', 'json']
    outs = [run(args + ['--threads', str(t)], check_status=1) for t in (1, 2, 3)]
    docs = [json.loads(p.stdout) for p in outs]
    for d in docs[1:]:
        for key in ('counterexample', 'states', 'transitions', 'length'):
            expect(d[key] == docs[0][key],
                   'threads disagree on %s: %r, %r' % (key, d[key], docs[0][key]))
    args = ['explore', '--property', 'P-PRIV', '--tasks', '3', '--depth', '5',
            '--format', 'json']
    one, two = (json.loads(run(args + ['--threads', t], check_status=0).stdout)
                for t in ('1', '2'))
    expect(one['states'] == two['states'] and
           one['transitions'] == two['transitions'],
           'threads disagree on a search that holds')


def shards_merge():
    """Shards, merged as docs/explore.md says, give the whole verdict."""
    for base, status in (
            (['explore', '--profile', 'v11-posted', '--property', 'P-FREE',
              '--depth', '6'], 1),
            (['explore', '--compare', 'v11,v11-posted', '--depth', '5'], 1),
            (['explore', '--property', 'P-PRIV', '--tasks', '3',
              '--depth', '5'], 0)):
        whole = json.loads(run(base + ['--format', 'json'],
                               check_status=status).stdout)
        for n in (2, 3, 5):
            parts = []
            for i in range(1, n + 1):
                p = run(base + ['--format', 'json', '--shard', '%d/%d' % (i, n)])
                expect(p.returncode in (0, 1), 'shard %d/%d: status %d'
                       % (i, n, p.returncode))
                parts.append((p.returncode, json.loads(p.stdout)))
            merged = max(s for s, _ in parts)
            expect(merged == status, '%s: shards of %d merge to %d, not %d'
                   % (' '.join(base), n, merged, status))
            if status == 1:
                shortest = min(d['length'] for s, d in parts if s == 1)
                expect(shortest == whole['length'],
                       'shards of %d: shortest %d, whole %d'
                       % (n, shortest, whole['length']))
            else:
                expect(sum(d['states'] for _, d in parts) >= whole['states'],
                       'shards of %d store fewer states than the whole' % n)


def json_output():
    """--format json: one object; the counterexample in it or in --output."""
    p = run(['explore', '--profile', 'v11-posted', '--format', 'json'],
            check_status=1)
    lines = p.stdout.splitlines()
    expect(len(lines) == 1, 'JSON is not one line')
    d = json.loads(p.stdout)
    expect(d['verdict'] == 'violated' and d['property'] == 'P-PRIV' and
           d['length'] == 3 and d['profiles'] == ['v11-posted'],
           'JSON verdict: %r' % d)
    expect(d['counterexample'].startswith('# procsim explore found this: P-PRIV'),
           'JSON counterexample: %r' % d['counterexample'])
    for key in ('states', 'transitions', 'depth', 'seconds',
                'states_per_second', 'bytes_per_state', 'threads'):
        expect(key in d, 'JSON lacks %s' % key)
    work = tempfile.mkdtemp(prefix='explore-json.')
    try:
        p = run(['explore', '--profile', 'v11-posted', '--format', 'json',
                 '--output', 'cex.scn'], cwd=work, check_status=1)
        d2 = json.loads(p.stdout)
        expect(open(os.path.join(work, 'cex.scn')).read() == d2['counterexample'],
               '--output and the JSON counterexample differ')
    finally:
        shutil.rmtree(work)
    p = run(['explore', '--property', 'P-PRIV', '--tasks', '2', '--depth', '3',
             '--format', 'json'], check_status=0)
    d = json.loads(p.stdout)
    expect(d['verdict'] == 'holds' and d['counterexample'] is None and
           d['property'] is None, 'JSON of a search that holds: %r' % d)


def summary_and_streams():
    """The counterexample alone on standard output, the summary on error."""
    work = tempfile.mkdtemp(prefix='explore-out.')
    try:
        p = run(['explore', '--profile', 'v11-posted'], cwd=work, check_status=1)
        expect(p.stdout.startswith('# procsim explore found this:'),
               'stdout: %r' % p.stdout[:80])
        lines = p.stderr.splitlines()
        expect(len(lines) == 2, 'summary: %r' % p.stderr)
        expect(lines[0] == 'procsim explore: v11-posted: P-PRIV violated after 3 '
               'operations; the counterexample is in standard output',
               'summary line 1: %r' % lines[0])
        expect(re.fullmatch(r'procsim explore: \d+ states, \d+ transitions, depth 3, '
                            r'\d+\.\d\d s, \d+ states/s, \d+\.\d bytes/state, '
                            r'\d+ threads?(, (pid|task)( and value)? symmetry)?', lines[1]) is not None,
               'summary line 2: %r' % lines[1])
        p = run(['explore', '--profile', 'v11-posted', '-o', 'c.scn'], cwd=work,
                check_status=1)
        expect(p.stdout == '', '--output: stdout not empty')
        expect('the counterexample is in c.scn' in p.stderr, p.stderr)
        expect(open(os.path.join(work, 'c.scn')).read().startswith('# procsim'),
               '--output file')
        p = run(['explore', '--property', 'P-PRIV', '--tasks', '3', '--depth', '3'],
                check_status=0)
        expect(p.stdout == '' and 'no violation of P-PRIV within the bounds'
               in p.stderr, 'holds: %r' % p.stderr)
        p = run(['explore', '--help'], check_status=0)
        expect(p.stdout.startswith('Usage: procsim explore') and p.stderr == '',
               '--help')
    finally:
        shutil.rmtree(work)


def limits_make_incomplete():
    """A limit never lets the search claim the space holds."""
    for extra in (['--max-states', '50'], ['--max-memory', '1K']):
        p = run(['explore', '--property', 'P-PRIV'] + extra, check_status=3)
        expect(p.stdout == '', 'incomplete: stdout %r' % p.stdout)
        expect(re.search(r'incomplete: %s reached at depth \d+; no verdict'
                         % extra[0], p.stderr) is not None, p.stderr)
        expect('no violation' not in p.stderr, p.stderr)
        d = json.loads(run(['explore', '--property', 'P-PRIV', '--format', 'json']
                           + extra, check_status=3).stdout)
        expect(d['verdict'] == 'incomplete' and d['limit'] == extra[0], repr(d))


def progress_on_terminal():
    """Progress once a second on a terminal; never into a pipe or --quiet."""
    # a search that takes several seconds even on a fast, idle machine:
    # the line comes once a second
    args = [PROCSIM, 'explore', '--property', 'P-PRIV', '--depth', '7',
            '--threads', '1']

    def on_pty(extra):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(PROCSIM, args + extra)
        data = b''
        while True:
            try:
                r, _, _ = select.select([fd], [], [], 60)
                if not r:
                    break
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        os.waitpid(pid, 0)
        return data.decode(errors='replace')

    shown = on_pty([])
    expect(re.search(r'\rdepth \d+, \d+ states, \d+ states/s, frontier \d+/\d+, '
                     r'[\d.]+ MiB', shown) is not None,
           'no progress line on a terminal: %r' % shown[:300])
    expect('\r\x1b[K' in shown, 'the progress line is not cleared')
    expect('\rdepth' not in on_pty(['--quiet']), 'progress despite --quiet')
    p = run(args[1:], check_status=0)
    expect('\r' not in p.stderr, 'progress into a pipe')


CHECKS = {
    'replay': replay_counterexamples,
    'threads': threads_agree,
    'shards': shards_merge,
    'json': json_output,
    'streams': summary_and_streams,
    'limits': limits_make_incomplete,
    'progress': progress_on_terminal,
}


def main(argv):
    global PROCSIM, CASEDIR
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 99
    PROCSIM, CASEDIR = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    for name in argv[2:] or sorted(CHECKS):
        CHECKS[name]()
    return 1 if FAILED else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
