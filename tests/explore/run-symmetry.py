#!/usr/bin/env python3
"""procsim explore with and without --no-symmetry: the same verdicts.

    run-symmetry.py [--valgrind VALGRIND SUPPRESSIONS] PROCSIM

States that differ only in the numbering of their live pids are one state
by default (docs/semantics.md choice (q)), and so are states that differ
only in which of the --values they use, where that is sound (choice (s):
one profile among v6, v8, v11 and v11-posted, from init, plain numbers);
--no-symmetry stores them apart.  The JSON report must say which
reduction was used, exactly where it may be.  On small bounds (--tasks 3 --depth 5), under every profile and for
each built-in property alone, under --compare all, and from a setup, the
two searches must reach the same verdict, for the same property, with a
counterexample of the same length, which replays as a scenario that holds;
the reduced search must never store more states, and fewer in most runs.
The reduced search must also come out the same with two threads.

With --valgrind, a few of these searches run under Memcheck instead, which
must report no error and no unfreed block (exit 77 when Valgrind is
missing).
"""

import json
import os
import subprocess
import sys
import tempfile

PROFILES = ('v11', 'v6', 'v8', 'v11-posted', 'bits', 'kernel-alloc')
PROPERTIES = ('P-INVARIANTS', 'P-PRIV', 'P-CONTAIN', 'P-OWNER', 'P-FREE')
BOUNDS = ['--tasks', '3', '--depth', '5']

SETUP = """\
# a setup for the explorer: every task it leaves has a name
fork orch from init
fork c1 from orch
set-contid orch c1 100
fork gone from orch
exit gone
reap gone
"""

failures = []


def fail(what):
    failures.append(what)
    print('FAIL: ' + what, file=sys.stderr)


def explore(procsim, args, prefix=(), cex=None):
    cmd = list(prefix) + [procsim, 'explore'] + BOUNDS + args + [
        '--format', 'json', '-q']
    if cex:
        cmd += ['-o', cex]
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         check=False)
    if run.returncode not in (0, 1):
        fail('%s: exit %d: %s' % (' '.join(cmd), run.returncode,
                                  run.stderr.decode(errors='replace')))
        return None
    return json.loads(run.stdout)


def replays(procsim, path, compare):
    cmd = [procsim] + (['--compare'] if compare else []) + [path]
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         check=False)
    return run.returncode == 0


def check_pair(procsim, tmp, name, args, compare=False):
    """One search with symmetry and one without; returns whether the
    reduced one stored fewer states."""
    cex = os.path.join(tmp, 'cex.scn')
    red = explore(procsim, args + ['-j', '1'], cex=cex)
    full = explore(procsim, args + ['-j', '1', '--no-symmetry'])
    if red is None or full is None:
        return False
    if not red['symmetry'] or full['symmetry']:
        fail('%s: symmetry %s with, %s without --no-symmetry'
             % (name, red['symmetry'], full['symmetry']))
    for key in ('verdict', 'property', 'length'):
        if red.get(key) != full.get(key):
            fail('%s: %s %r with symmetry, %r without'
                 % (name, key, red.get(key), full.get(key)))
    if red['states'] > full['states']:
        fail('%s: %d states with symmetry, %d without'
             % (name, red['states'], full['states']))
    if red['verdict'] == 'violated' and not replays(procsim, cex, compare):
        fail('%s: the counterexample found with symmetry does not replay'
             % name)
    return red['states'] < full['states']


VALUE_PROFILES = ('v11', 'v6', 'v8', 'v11-posted')


def check_value_symmetry(procsim, tmp):
    """value_symmetry in the report exactly where choice (s) allows it."""
    setup = os.path.join(tmp, 'setup.scn')
    with open(setup, 'w', encoding='utf-8') as f:
        f.write(SETUP)
    cases = [(['--profile', p], p in VALUE_PROFILES) for p in PROFILES]
    cases += [
        (['--values', '1,2,3'], True),
        (['--values', '1,2,unset'], True),
        (['--values', '1,01'], False),           # one value: nothing to swap
        (['--values', '1,"2\\n"'], False),       # a quoted buffer
        (['--compare', 'v11,v8'], False),
        ([setup], False),
        (['--no-symmetry'], False),
    ]
    for args, expected in cases:
        res = explore(procsim, args + ['--depth', '2'])
        if res is not None and res.get('value_symmetry') != expected:
            fail('%s: value_symmetry %r, expected %r'
                 % (' '.join(args), res.get('value_symmetry'), expected))


def run_checks(procsim):
    fewer = runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        check_value_symmetry(procsim, tmp)
        for profile in PROFILES:
            for prop in PROPERTIES:
                runs += 1
                fewer += check_pair(procsim, tmp, '%s %s' % (profile, prop),
                                    ['--profile', profile, '--property', prop])
        # three values to permute
        for profile in ('v11', 'v11-posted'):
            for prop in PROPERTIES:
                runs += 1
                fewer += check_pair(procsim, tmp, '%s %s, values 1,2,3'
                                    % (profile, prop),
                                    ['--profile', profile, '--property', prop,
                                     '--values', '1,2,3', '--depth', '4'])
        runs += 1
        fewer += check_pair(procsim, tmp, '--compare all',
                            ['--compare', 'all'], compare=True)
        setup = os.path.join(tmp, 'setup.scn')
        with open(setup, 'w', encoding='utf-8') as f:
            f.write(SETUP)
        runs += 1
        fewer += check_pair(procsim, tmp, 'from a setup', [setup])
        # the reduced search is the same whatever the number of threads
        one = explore(procsim, ['--profile', 'v6', '-j', '1'])
        two = explore(procsim, ['--profile', 'v6', '-j', '2'])
        if one and two:
            for key in ('verdict', 'property', 'length', 'states',
                        'transitions', 'counterexample'):
                if one.get(key) != two.get(key):
                    fail('threads: %s %r with one thread, %r with two'
                         % (key, one.get(key), two.get(key)))
    if fewer * 2 < runs:
        fail('symmetry stored fewer states in only %d of %d searches'
             % (fewer, runs))
    return runs


def run_valgrind(valgrind, suppressions, procsim):
    if not valgrind:
        print('SKIP: valgrind not found', file=sys.stderr)
        return 77
    prefix = [valgrind, '--quiet', '--error-exitcode=99', '--leak-check=full',
              '--show-leak-kinds=all', '--errors-for-leak-kinds=all',
              '--suppressions=' + suppressions]
    with tempfile.TemporaryDirectory() as tmp:
        setup = os.path.join(tmp, 'setup.scn')
        with open(setup, 'w', encoding='utf-8') as f:
            f.write(SETUP)
        for args in (['--profile', 'v11', '-j', '1'],
                     ['--profile', 'v11', '-j', '2', '--no-symmetry'],
                     ['--profile', 'v6', '--property', 'P-OWNER', '-j', '1'],
                     ['--compare', 'v11,v8', '-j', '1'],
                     [setup, '-j', '1']):
            explore(procsim, args, prefix=prefix)
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 4 and argv[1] == '--valgrind':
        if len(argv) != 5:
            print(__doc__, file=sys.stderr)
            return 99
        return run_valgrind(argv[2], argv[3], argv[4])
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 99
    runs = run_checks(argv[1])
    if failures:
        return 1
    print('ok: %d searches agree with and without symmetry' % runs)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
