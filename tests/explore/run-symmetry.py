#!/usr/bin/env python3
"""procsim explore at each --symmetry level: the same verdicts.

    run-symmetry.py [--valgrind VALGRIND SUPPRESSIONS] PROCSIM

States that differ by any renumbering of their live pids are one state by
default (docs/semantics.md choice (t), one profile), with --symmetry order
only those whose renumbering keeps the pids' order (choice (q), also what
--compare uses), and so are states that differ only in which of the
--values they use, where that is sound (choice (s): one profile among v6,
v8, v11 and v11-posted, from init, plain numbers); --symmetry none (or
--no-symmetry) stores them apart.  The JSON report must say which
reductions were used, exactly where they may be.  On small bounds
(--tasks 3 --depth 5), under every profile and for each built-in property
alone, under --compare all, and from a setup, the three searches must
reach the same verdict, for the same property, with a counterexample of
the same length, which replays as a scenario that holds; each reduction
must never store more states than a weaker one, and fewer in most runs.
The reduced search must also come out the same with two threads.  Every
search runs with --verify: each state expanded, rebuilt from the steps
that reached it, must be the state stored (a state reached again in
another numbering or with its values swapped must not stand in for it).

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
        '--format', 'json', '-q', '--verify']
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
    """One search at each symmetry level; returns whether each reduction
    stored fewer states than the weaker one (task symmetry than pid
    symmetry in the order of the pids, that than none)."""
    cex = os.path.join(tmp, 'cex.scn')
    any_ = explore(procsim, args + ['-j', '1'], cex=cex)
    order = explore(procsim, args + ['-j', '1', '--symmetry', 'order'])
    none = explore(procsim, args + ['-j', '1', '--no-symmetry'])
    if any_ is None or order is None or none is None:
        return False, False
    if not any_['symmetry'] or not order['symmetry'] or none['symmetry']:
        fail('%s: symmetry %s, %s with --symmetry order, %s without'
             % (name, any_['symmetry'], order['symmetry'], none['symmetry']))
    if any_['task_symmetry'] == compare or order['task_symmetry']:
        fail('%s: task_symmetry %s, %s with --symmetry order'
             % (name, any_['task_symmetry'], order['task_symmetry']))
    for key in ('verdict', 'property', 'length'):
        if not any_.get(key) == order.get(key) == none.get(key):
            fail('%s: %s %r with task symmetry, %r with pid symmetry, %r '
                 'without' % (name, key, any_.get(key), order.get(key),
                              none.get(key)))
    if not any_['states'] <= order['states'] <= none['states']:
        fail('%s: %d states with task symmetry, %d with pid symmetry, %d '
             'without' % (name, any_['states'], order['states'],
                          none['states']))
    if any_['verdict'] == 'violated' and not replays(procsim, cex, compare):
        fail('%s: the counterexample found with symmetry does not replay'
             % name)
    return (any_['states'] < order['states'] or compare,
            order['states'] < none['states'])


VALUE_PROFILES = ('v11', 'v6', 'v8', 'v11-posted')


def write_setup(tmp):
    setup = os.path.join(tmp, 'setup.scn')
    with open(setup, 'w', encoding='utf-8') as f:
        f.write(SETUP)
    return setup


def check_reported(procsim, tmp, setup):
    """task_symmetry and value_symmetry in the report exactly where choices
    (t) and (s) allow them."""
    props = os.path.join(tmp, 'one-level.props')
    with open(props, 'w', encoding='utf-8') as f:
        f.write('property one-level forall value v : '
                'check free v or check parent v none\n')
    # (arguments, task symmetry, value symmetry)
    cases = [(['--profile', p], True, p in VALUE_PROFILES) for p in PROFILES]
    cases += [
        (['--values', '1,2,3'], True, True),
        (['--values', '1,2,unset'], True, True),
        (['--values', '1,01'], True, False),     # one value: nothing to swap
        (['--values', '1,"2\\n"'], True, False),  # a quoted buffer
        (['--compare', 'v11,v8'], False, False),
        ([setup], True, False),
        (['--properties', props], False, False),  # it may name pids
        (['--symmetry', 'order'], False, True),
        (['--symmetry', 'none'], False, False),
        (['--no-symmetry'], False, False),
    ]
    for args, tasks, values in cases:
        res = explore(procsim, args + ['--depth', '2'])
        if res is None:
            continue
        if res.get('task_symmetry') != tasks:
            fail('%s: task_symmetry %r, expected %r'
                 % (' '.join(args), res.get('task_symmetry'), tasks))
        if res.get('value_symmetry') != values:
            fail('%s: value_symmetry %r, expected %r'
                 % (' '.join(args), res.get('value_symmetry'), values))


def run_checks(procsim):
    runs = 0
    fewer = [0, 0]

    def pair(name, args, compare=False):
        nonlocal runs
        runs += 1
        for i, less in enumerate(check_pair(procsim, tmp, name, args, compare)):
            fewer[i] += less

    with tempfile.TemporaryDirectory() as tmp:
        setup = write_setup(tmp)
        check_reported(procsim, tmp, setup)
        for profile in PROFILES:
            for prop in PROPERTIES:
                pair('%s %s' % (profile, prop),
                     ['--profile', profile, '--property', prop])
        # three values to permute
        for profile in ('v11', 'v11-posted'):
            for prop in PROPERTIES:
                pair('%s %s, values 1,2,3' % (profile, prop),
                     ['--profile', profile, '--property', prop,
                      '--values', '1,2,3', '--depth', '4'])
        pair('--compare all', ['--compare', 'all'], compare=True)
        pair('from a setup', [setup])
        # the reduced search is the same whatever the number of threads
        one = explore(procsim, ['--profile', 'v6', '-j', '1'])
        two = explore(procsim, ['--profile', 'v6', '-j', '2'])
        if one and two:
            for key in ('verdict', 'property', 'length', 'states',
                        'transitions', 'counterexample'):
                if one.get(key) != two.get(key):
                    fail('threads: %s %r with one thread, %r with two'
                         % (key, one.get(key), two.get(key)))
    for what, n in zip(('task symmetry than pid symmetry',
                        'pid symmetry than none'), fewer):
        if n * 2 < runs:
            fail('%s stored fewer states in only %d of %d searches'
                 % (what, n, runs))
    return runs


def run_valgrind(valgrind, suppressions, procsim):
    if not valgrind:
        print('SKIP: valgrind not found', file=sys.stderr)
        return 77
    prefix = [valgrind, '--quiet', '--error-exitcode=99', '--leak-check=full',
              '--show-leak-kinds=all', '--errors-for-leak-kinds=all',
              '--suppressions=' + suppressions]
    with tempfile.TemporaryDirectory() as tmp:
        setup = write_setup(tmp)
        for args in (['--profile', 'v11', '-j', '1'],
                     ['--profile', 'v11', '-j', '2', '--no-symmetry'],
                     ['--profile', 'v11', '-j', '1', '--symmetry', 'order'],
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
    print('ok: %d searches agree at every symmetry level' % runs)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
