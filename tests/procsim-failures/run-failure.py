#!/usr/bin/env python3
"""Runs one of procsim's failure cases and checks exactly what it printed.

    run-failure.py [--valgrind VALGRIND SUPPRESSIONS] PROCSIM CASEDIR NAME

A case is NAME.out (standard output), NAME.err (standard error) and
NAME.status (the exit status), all byte for byte, for procsim run in a
scratch directory that holds a copy of every CASEDIR/*.scn and *.props, with the
arguments in NAME.args (one per line, scenario files included) or else
just NAME.scn.  When NAME.records exists, procsim also gets
--records records.log and the log must be exactly that.

The held-output cases are made here instead, since their inputs and
outputs pass 16 MiB: see held_case().  With --valgrind, procsim runs
under Memcheck, which must report no error and no unfreed block.
"""

import difflib
import os
import shutil
import subprocess
import sys
import tempfile

# scn-run.c lets held-back output go once it passes this, after checking
# the rest of the file.
HELD_MAX = 16 << 20

HELD_CASES = ('held-output-valid', 'held-output-syntax-error')
# about 935 bytes held per event: 16 MiB pass at about the 18000th
HELD_EVENTS = 25000


def usage():
    print(__doc__, file=sys.stderr)
    return 99


def held_case(name):
    """A file whose held-back output passes 16 MiB long before its end.

    orch labels c1 with 100, then c1 makes HELD_EVENTS audited syscalls,
    each expected (wrongly) to be EPERM: every one writes two records, a
    JSON object with them and a message, which is what procsim holds back
    while the file might still turn out not to parse.  run with
    --format json and --records, all three streams are held.

    held-output-valid must print all of it, in order, as if nothing had
    been held.  held-output-syntax-error has a name error at its end: the
    check of the rest of the file, made when the held output passes
    16 MiB, finds it, and nothing of the file may be shown.
    """
    path = name + '.scn'
    lines = ['fork orch from init', 'fork c1 from orch',
             'set-contid orch c1 100']
    lines += ['event c1 => EPERM'] * HELD_EVENTS
    out, err, records = [], [], []

    def stamp(op, serial):
        # the Nth operation is stamped N-1 ms after 1700000000.000
        return 'msg=audit(%d.%03d:%d)' % (1700000000 + (op - 1) // 1000,
                                          (op - 1) % 1000, serial)

    def json_str(s):
        return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

    def statement(line, expected, outcome, recs):
        # none of these operations is refused: no rule, no reason
        out.append('{"file":%s,"profile":"v11","line":%d,"statement":%s,'
                   '"expected":%s,"outcome":%s,"rule":null,"reason":null,'
                   '"ok":%s,"skipped":false,"records":[%s]}\n'
                   % (json_str(path), line, json_str(lines[line - 1]),
                      json_str(expected), json_str(outcome),
                      'true' if expected == outcome else 'false',
                      ','.join(json_str(r) for r in recs)))
        records.extend(r + '\n' for r in recs)
        if expected != outcome:
            err.append('%s:%d: expected %s, got %s\n'
                       % (path, line, expected, outcome))

    common = ('items=0 ppid=%d pid=%d auid=4294967295 uid=0 gid=0 euid=0 '
              'suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) '
              'ses=4294967295 comm="%s" exe="/usr/bin/%s" key=(null)')
    statement(1, 'ok', 'ok', [])                       # orch: pid 2
    statement(2, 'ok', 'ok', [])                       # c1: pid 3
    statement(3, 'ok', 'ok', [                         # op 3, serial 1
        'type=CONTAINER_OP %s: op=set opid=3 contid=100 old-contid=-1'
        % stamp(3, 1),
        'type=SYSCALL %s: arch=c000003e syscall=1 success=yes exit=3 '
        'a0=3 a1=0 a2=3 a3=0 ' % stamp(3, 1)
        + common % (1, 2, 'orch', 'orch')])
    for i in range(HELD_EVENTS):
        op, serial = 4 + i, 2 + i
        statement(4 + i, 'EPERM', 'ok', [
            'type=CONTAINER_ID %s: record=1 contid=100' % stamp(op, serial),
            'type=SYSCALL %s: arch=c000003e syscall=257 success=yes exit=3 '
            'a0=ffffff9c a1=0 a2=0 a3=0 ' % stamp(op, serial)
            + common % (2, 3, 'c1', 'c1') + ' record=1'])
    held = sum(len(s) for s in out + err + records)
    if held < HELD_MAX + (4 << 20):
        # the fallback must happen well before the end of the file
        raise SystemExit('run-failure.py: %s holds only %d bytes' % (name, held))

    if name == 'held-output-syntax-error':
        lines.append('fork c2 from nobody')
        lines += ['event c1'] * 10
        records = []
        err = ['%s:%d:14: error: unknown task \'nobody\'\n'
               '%5d | fork c2 from nobody\n'
               '      |              ^\n'
               % (path, HELD_EVENTS + 4, HELD_EVENTS + 4)]
        # nothing of the file but the JSON line that says it did not run
        out = ['{"file":%s,"error":{"line":%d,"column":14,"message":'
               '"unknown task \'nobody\'"}}\n' % (json_str(path), HELD_EVENTS + 4)]
        status = 2
    else:
        status = 1
    text = ''.join(l + '\n' for l in lines)
    args = ['--format', 'json', path]
    return (text, args, ''.join(out), ''.join(err), status, ''.join(records))


def compare(what, want, got):
    if want == got:
        return True
    print('FAIL: %s differs (%d bytes expected, %d got):' % (what, len(want), len(got)))
    diff = difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                'expected', 'got', n=1)
    for i, line in enumerate(diff):
        if i == 20:
            print('...')
            break
        sys.stdout.write(line[:300] + ('\n' if len(line) > 300 else ''))
    return False


def main(argv):
    valgrind = None
    if argv[:1] == ['--valgrind']:
        if len(argv) < 3:
            return usage()
        valgrind, suppressions = argv[1], os.path.abspath(argv[2])
        argv = argv[3:]
        if not valgrind or not os.access(valgrind, os.X_OK):
            print('SKIP: valgrind not found')
            return 77
    if len(argv) != 3:
        return usage()
    procsim, casedir, name = (os.path.abspath(argv[0]),
                              os.path.abspath(argv[1]), argv[2])

    work = tempfile.mkdtemp(prefix='procsim-failure.')
    try:
        for f in os.listdir(casedir):
            if f.endswith(('.scn', '.props')):
                shutil.copy(os.path.join(casedir, f), work)
        want_records = None
        if name in HELD_CASES:
            text, args, want_out, want_err, want_status, want_records = \
                held_case(name)
            with open(os.path.join(work, name + '.scn'), 'w') as f:
                f.write(text)
        else:
            def read(suffix):
                with open(os.path.join(casedir, name + suffix),
                          encoding='utf-8', newline='') as f:
                    return f.read()
            args_path = os.path.join(casedir, name + '.args')
            args = (read('.args').splitlines() if os.path.exists(args_path)
                    else [name + '.scn'])
            want_out, want_err = read('.out'), read('.err')
            want_status = int(read('.status'))
            if os.path.exists(os.path.join(casedir, name + '.records')):
                want_records = read('.records')
        if want_records is not None:
            args = ['--records', 'records.log'] + args

        cmd = [procsim] + args
        if valgrind:
            cmd = [valgrind, '-q', '--error-exitcode=99', '--leak-check=full',
                   '--show-leak-kinds=all', '--errors-for-leak-kinds=all',
                   '--suppressions=' + suppressions,
                   '--log-file=valgrind.log'] + cmd
        env = dict(os.environ, LC_ALL='C')
        p = subprocess.run(cmd, cwd=work, stdin=subprocess.DEVNULL,
                           capture_output=True, env=env)
        got_out = p.stdout.decode('utf-8', 'replace')
        got_err = p.stderr.decode('utf-8', 'replace')

        ok = True
        if p.returncode != want_status:
            print('FAIL: exit status %d, expected %d' % (p.returncode, want_status))
            ok = False
        ok &= compare('standard output', want_out, got_out)
        ok &= compare('standard error', want_err, got_err)
        if want_records is not None:
            log = os.path.join(work, 'records.log')
            got_records = ''
            if os.path.exists(log):
                with open(log, encoding='utf-8', errors='replace') as f:
                    got_records = f.read()
            ok &= compare('the --records log', want_records, got_records)
        if valgrind:
            log = os.path.join(work, 'valgrind.log')
            if os.path.exists(log) and os.path.getsize(log):
                with open(log) as f:
                    print('FAIL: valgrind reported:\n' + f.read())
                ok = False
        if ok:
            print('ok: %s' % name)
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
