#!/usr/bin/env python3
"""The progress line of procsim, contid-bench and scn-generate.

    check-progress.py PROCSIM CONTID_BENCH SCN_GENERATE SCENARIO FAILING

Each program runs with its standard error on a pseudo-terminal, on a pipe
and with --quiet.  CONTID_PROGRESS_INTERVAL_MS=0 (the knob scn-progress.h
documents for tests) makes a line due at every step, so that small runs
show lines at once and the test does not depend on the machine's speed.

On a terminal a line must appear (carriage return, no newline), and what
the terminal shows at the end must be exactly what the program prints
without it: the test replays the bytes on a small model of a terminal
(a carriage return goes back to the start of the row, a newline down a
row, any other byte overwrites a cell) and compares the rows.  FAILING is
a scenario whose failed expectations print messages while lines are
shown.  On a pipe, or with --quiet, standard error must not hold a single
byte of progress.
"""

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

KNOB = 'CONTID_PROGRESS_INTERVAL_MS'
failures = 0


def fail(what):
    global failures
    failures += 1
    print('FAIL: ' + what)


def run_on_tty(args, knob='0', stdout_too=False, columns=200):
    """Runs @args with standard error (and output) on a pseudo-terminal
    @columns wide (wide by default, so that where the test runs, which
    the paths on the lines show, does not cut them); returns the
    terminal's bytes, standard output's bytes and the status."""
    env = dict(os.environ)
    env.pop(KNOB, None)
    if knob is not None:
        env[KNOB] = knob
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, columns, 0, 0))
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                         stdout=slave if stdout_too else subprocess.PIPE,
                         stderr=slave, env=env)
    os.close(slave)
    tty = b''
    out = b''
    # the outputs are small: standard output's pipe never fills while the
    # terminal is read to its end first
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:      # EIO: every writer has gone
            break
        if not data:
            break
        tty += data
    if not stdout_too:
        out = p.stdout.read()
        p.stdout.close()
    status = p.wait()
    os.close(master)
    return tty, out, status


def run_on_pipes(args, knob='0'):
    env = dict(os.environ)
    env[KNOB] = knob
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env)
    return p.stdout, p.stderr, p.returncode


def screen(data):
    """What a terminal shows after @data: its rows, trailing blanks cut.
    A line feed goes down a row and keeps the column (the terminal's
    output processing made each newline a carriage return and a line
    feed), a carriage return goes back to the first column."""
    rows = [[]]
    row = col = 0
    for c in data.decode('utf-8', 'replace'):
        if c == '\r':
            col = 0
        elif c == '\n':
            row += 1
            if row == len(rows):
                rows.append([])
        else:
            cells = rows[row]
            while len(cells) <= col:
                cells.append(' ')
            cells[col] = c
            col += 1
    lines = [''.join(r).rstrip() for r in rows]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def plain_lines(data):
    lines = data.decode('utf-8', 'replace').split('\n')
    lines = [l.rstrip() for l in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check_tty(name, args, pattern, plain):
    """On a terminal: a progress line matching @pattern appears, is
    overwritten in place and leaves the screen as @plain (the rows that
    the run prints without progress) once it has been erased."""
    tty, _, status = run_on_tty(args, stdout_too=True)
    text = tty.decode('utf-8', 'replace')
    shown = [part for part in re.split(r'[\r\n]+', text) if part.strip()]
    if not any(re.search(pattern, part) for part in shown):
        fail('%s: no progress line /%s/ on the terminal: %r'
             % (name, pattern, text[:300]))
    if '\r' not in text.replace('\r\n', ''):
        fail('%s: no line written over in place' % name)
    got = screen(tty)
    if got != plain:
        fail('%s: the terminal shows\n  %s\nnot\n  %s'
             % (name, '\n  '.join(got), '\n  '.join(plain)))
    return status


def check_silent(name, args):
    """On a pipe, and with --quiet on a terminal: no progress at all."""
    out, err, _ = run_on_pipes(args)
    if b'\r' in err:
        fail('%s: progress on a pipe: %r' % (name, err[:200]))
    quiet = args[:1] + ['--quiet'] + args[1:]
    tty, _, _ = run_on_tty(quiet)
    if b'\r' in tty.replace(b'\r\n', b''):
        fail('%s --quiet: progress on the terminal: %r' % (name, tty[:200]))
    return out, err


def expected_screen(args):
    """The rows a terminal shows for a run without progress: standard
    error first (messages come before the summary), then standard output."""
    out, err, _ = run_on_pipes(args, knob='0')
    if b'\r' in err:
        fail('%s: progress on a pipe: %r' % (' '.join(args), err[:200]))
    return plain_lines(err + out)


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 99
    procsim, bench, generate, scenario, failing = argv

    # procsim: a file that passes, with the summary after the line
    args = [procsim, scenario]
    plain = expected_screen(args)
    status = check_tty('procsim', args, r': [0-9]+%, [0-9]+ statements?, ',
                       plain)
    if status != 0:
        fail('procsim exited %d on a terminal' % status)
    check_silent('procsim', args)

    # messages of failed expectations while lines are shown; --compare
    # reports them as the passes run, between lines
    for args, pattern in (
            ([procsim, failing], r': [0-9]+%, [0-9]+ statements?, '),
            ([procsim, '--compare', failing],
             r': v11, pass 1 of [0-9]+: [0-9]+%'),
            ([procsim, '--compare', scenario],
             r': kernel-alloc, check [0-9]+ of [0-9]+: parsing, [0-9]+%')):
        name = ' '.join(['procsim'] + args[1:-1])
        check_tty(name, args, pattern, expected_screen(args))
        check_silent(name, args)

    # a narrow terminal: every progress line fits in a row (one column is
    # left free, so that the cursor never wraps); the messages of
    # expectations that some profile breaks are whole lines
    args = [procsim, '--compare', scenario]
    tty, _, _ = run_on_tty(args, columns=30)
    parts = [p for p in re.split(r'[\r\n]+', tty.decode('utf-8', 'replace'))
             if p.strip() and not re.search(r'\.scn:[0-9]+: ', p)]
    if not parts or any(len(p) > 29 for p in parts):
        fail('procsim --compare on 30 columns: lines %r' % parts[:5])

    # contid-bench: the world being built, then the operations
    args = [bench, '--tasks', '200', '--ops', '3000', '--pid-max', '65536']
    tty, out, status = run_on_tty(args)
    text = tty.decode('utf-8', 'replace')
    for pattern in (r'contid-bench: building the world, [0-9]+ of 217 tasks',
                    r'contid-bench: [0-9]+ of 3000 operations \([0-9]+%\)'):
        if not re.search(pattern, text):
            fail('contid-bench: no line /%s/: %r' % (pattern, text[:300]))
    if screen(tty):
        fail('contid-bench: the terminal is not clean at the end: %r'
             % screen(tty))
    if status != 0 or b'steady: 3000 ops' not in out:
        fail('contid-bench exited %d: %r' % (status, out[:300]))
    check_silent('contid-bench', args)

    # scn-generate
    args = [generate, '--statements', '2000', '--tasks', '30',
            '--output', os.devnull]
    tty, _, status = run_on_tty(args)
    text = tty.decode('utf-8', 'replace')
    if not re.search(r'scn-generate: [0-9]+ of 2000 statements \([0-9]+%\)',
                     text):
        fail('scn-generate: no progress line: %r' % text[:300])
    if screen(tty) or status != 0:
        fail('scn-generate exited %d, leaving %r' % (status, screen(tty)))
    check_silent('scn-generate', args)

    # without the knob, the first line is due after a second: a short
    # run shows none
    tty, _, _ = run_on_tty([procsim, scenario], knob=None, stdout_too=True)
    if screen(tty) != plain or b'%' in tty:
        fail('procsim without the knob showed a line on a short run: %r'
             % tty[:200])

    if failures:
        print('%d failure(s)' % failures)
        return 1
    print('ok: progress on a terminal only, erased at the end')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
