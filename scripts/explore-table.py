#!/usr/bin/env python3
"""Prints docs/explore.md's table: each built-in property under each profile.

    scripts/explore-table.py PROCSIM [EXPLORE-OPTION...]

Runs `PROCSIM explore --profile P --property Q --format json OPTIONS` for
every profile P and property Q, then `--compare v11,v11-posted`, and
prints the Markdown table and the difference as docs/explore.md shows
them: "holds", "violated (N)" with N the length of the shortest
counterexample, or "incomplete".  Without options the bounds are the
documented ones (--tasks 4 --depth 6).  kernel-alloc creates IDs only when
0 is written, so its column is searched with --values 0,1,2 (added after
the other options, which it overrides).
"""

import json
import subprocess
import sys

PROPERTIES = ['P-INVARIANTS', 'P-PRIV', 'P-CONTAIN', 'P-OWNER', 'P-FREE']
DEFAULT_BOUNDS = ['--tasks', '4', '--depth', '6']


def explore(procsim, args):
    p = subprocess.run([procsim, 'explore', '--format', 'json', '--quiet'] + args,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1, 3):
        sys.exit('explore %s: status %d: %s' % (' '.join(args), p.returncode,
                                                p.stderr))
    return json.loads(p.stdout)


def cell(d):
    if d['verdict'] == 'holds':
        return 'holds'
    if d['verdict'] == 'violated':
        return 'violated (%d)' % d['length']
    return 'incomplete'


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    procsim, bounds = argv[0], argv[1:] or DEFAULT_BOUNDS
    profiles = subprocess.run([procsim, '--help'], capture_output=True,
                              text=True).stdout
    names = profiles.split('(known: ', 1)[1].split(')', 1)[0].split(', ')
    states = 0
    seconds = 0.0
    print('| property | ' + ' | '.join('`%s`' % p for p in names) + ' |')
    print('|---|' + '---|' * len(names))
    for prop in PROPERTIES:
        row = []
        for prof in names:
            extra = ['--values', '0,1,2'] if prof == 'kernel-alloc' else []
            d = explore(procsim, ['--profile', prof, '--property', prop] +
                        bounds + extra)
            states += d['states']
            seconds += float(d['seconds'])
            row.append(cell(d))
        print('| %s | %s |' % (prop, ' | '.join(row)))
    d = explore(procsim, ['--compare', 'v11,v11-posted'] + bounds)
    print()
    print('Bounds: `%s`; %d states in all, %.1f s.' % (' '.join(bounds), states,
                                                      seconds))
    print()
    if d['verdict'] == 'violated':
        print('The shortest story after which v11 and v11-posted answer '
              'differently (%d operations):' % d['length'])
        print()
        print('```')
        print(d['counterexample'], end='')
        print('```')
    else:
        print('v11 and v11-posted: %s within these bounds.' % d['verdict'])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
