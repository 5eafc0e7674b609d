#!/usr/bin/env python3
"""procsim --junit FILE, read back with a real XML parser.

    check-junit.py PROCSIM CASEDIR

Replays scenarios of CASEDIR (failures, guards, a syntax error) and one
made here whose name and statements hold bytes XML cannot carry as they
are, with --junit report.xml; Python's XML parser must read the report,
and what it holds must agree with what procsim says on its other
streams: a suite per file in order, a case per expectation, a failure for
each "expected X, got Y" line, an error for each file that did not run.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 99
    procsim, casedir = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    work = tempfile.mkdtemp(prefix='procsim-junit.')
    failed = []

    def expect(cond, msg):
        if not cond:
            failed.append(msg)
            print('FAIL: ' + msg, file=sys.stderr)

    try:
        files = ['wrong-expectations.scn', 'tap-guards.scn', 'junit-bad.scn']
        for f in files:
            shutil.copy(os.path.join(casedir, f), work)
        # a name that is not UTF-8, a control character and markup in a
        # statement (inside quotes, where the language allows them)
        odd = b'odd-\xff<&>.scn'
        with open(os.path.join(work.encode(), odd), 'wb') as f:
            f.write(b'fork a from init\nset-contid init a "1\x01<&>" => EINVAL\n')
        p = subprocess.run([procsim, '--junit', 'report.xml'] +
                           [f.encode() for f in files] + [odd],
                           cwd=work, capture_output=True)
        expect(p.returncode == 2, 'status %d' % p.returncode)
        stdout = p.stdout.decode('utf-8', 'replace')
        stderr = p.stderr.decode('utf-8', 'replace')
        expect(stdout.endswith('2 passed, 2 failed\n'),
               'the summary stays on standard output: %r' % stdout)

        root = ET.parse(os.path.join(work, 'report.xml')).getroot()
        expect(root.tag == 'testsuites', 'root %s' % root.tag)
        suites = root.findall('testsuite')
        expect(len(suites) == 4, '%d suites' % len(suites))
        names = [s.get('name') for s in suites]
        expect(names[:3] == files, 'suite names %r' % names)
        expect(names[3] == 'odd-\ufffd<&>.scn', 'odd name %r' % names[3])
        for s in suites:
            cases = s.findall('testcase')
            for attr, tag in (('failures', 'failure'), ('errors', 'error'),
                              ('skipped', 'skipped')):
                n = sum(len(c.findall(tag)) for c in cases)
                expect(int(s.get(attr)) == n, '%s: %s=%s but %d <%s>'
                       % (s.get('name'), attr, s.get(attr), n, tag))
            expect(int(s.get('tests')) == len(cases), '%s: tests=%s, %d cases'
                   % (s.get('name'), s.get('tests'), len(cases)))

        # every "FILE:LINE: expected X, got Y" of standard error is a
        # failure with that message, and the failures are as many as the
        # summary counts (a statement about a task whose fork failed has
        # a failure but no line of its own on standard error)
        said = re.findall(r'^(wrong-expectations\.scn):(\d+): (expected .*)$',
                          stderr, re.M)
        got = [(s.get('name'), c.get('name').split(':')[0], f.get('message'))
               for s in suites for c in s.findall('testcase')
               for f in c.findall('failure')]
        expect(set(said) <= set(got), 'failures: %r vs %r' % (said, got))
        counted = re.search(r'^wrong-expectations\.scn: .* (\d+) failed$', stdout,
                            re.M)
        expect(counted is not None and
               int(counted.group(1)) == int(suites[0].get('failures')),
               'failures counted: %r' % stdout)
        # the guarded statement is skipped, the broken file one error
        guards = suites[1].findall('testcase')
        expect([c.find('skipped') is not None for c in guards] ==
               [False, True, False], 'skips in tap-guards.scn')
        err = suites[2].find('testcase/error')
        expect(err is not None and err.get('type') == 'syntax' and
               err.text == 'junit-bad.scn:1:10: error: unterminated quoted string',
               'the syntax error: %r' % (err.text if err is not None else None))
        odd_case = suites[3].findall('testcase')[1]
        expect(odd_case.get('name') == '2: set-contid init a "1\ufffd<&>"',
               'odd statement %r' % odd_case.get('name'))
    finally:
        shutil.rmtree(work)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
