#!/usr/bin/env python3
"""Self-test of layering.py on tiny objects built for it (meson.build).

    self-test.py LAYERING NM CYCLE-ARCHIVE CYCLE-NM RING-ARCHIVE
                 ACYCLIC-ARCHIVE ACYCLIC-NM

Two objects that call each other must fail (status 1) with the cycle
printed, from the archive and from an nm listing alike; so must a ring of
three; a pair where only one uses the other must pass (status 0) with the
user in the layer above; an input that cannot be read is status 2, so a
crash is never mistaken for a cycle found.
"""

import subprocess
import sys


def run(layering, nm, *args):
    p = subprocess.run([sys.executable, layering, '--nm', nm] + list(args),
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main(argv):
    if len(argv) != 7:
        print(__doc__, file=sys.stderr)
        return 99
    layering, nm, cycle_ar, cycle_nm, ring_ar, acyclic_ar, acyclic_nm = argv
    cases = [
        ('cycle (archive)', [cycle_ar], 1,
         ['cycle: cycle-a.c.o -> cycle-b.c.o -> cycle-a.c.o',
          '  cycle-a.c.o -> cycle-b.c.o: cycle_b',
          '  cycle-b.c.o -> cycle-a.c.o: cycle_a']),
        ('cycle (nm listing)', ['--nm-output', cycle_nm], 1,
         ['cycle: cycle-a.c.o -> cycle-b.c.o -> cycle-a.c.o']),
        ('ring of three', [ring_ar], 1,
         ['cycle: ring-a.c.o -> ring-b.c.o -> ring-c.c.o -> ring-a.c.o',
          '  ring-c.c.o -> ring-a.c.o: ring_a']),
        ('acyclic (archive)', [acyclic_ar], 0,
         ['layer 0: acyclic-low.c.o', 'layer 1: acyclic-high.c.o']),
        ('acyclic (nm listing)', ['--nm-output', acyclic_nm], 0,
         ['layer 0: acyclic-low.c.o', 'layer 1: acyclic-high.c.o']),
        ('unreadable input', ['--nm-output', acyclic_nm + '.missing'], 2, []),
    ]
    failed = 0
    for name, args, status, lines in cases:
        got, out, err = run(layering, nm, *args)
        missing = [l for l in lines if l not in out.splitlines()]
        if got != status or missing:
            failed += 1
            print('FAIL: %s: status %d (want %d), missing lines %r'
                  % (name, got, status, missing))
            print(out + err)
        else:
            print('ok: %s' % name)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
