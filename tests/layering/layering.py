#!/usr/bin/env python3
"""Fails when the objects of a library depend on each other in a cycle.

    layering.py [--nm NM] [--nm-output FILE]... [OBJECT-OR-ARCHIVE]...

The graph is derived from `nm`: each object's defined global symbols and
its undefined ones, with an edge A -> B when A uses a symbol that B
defines.  A static archive stands for its members.  --nm-output reads a
listing that `nm -A -P` already made (meson cannot hand a target's
objects to a test, but it can run nm on them).

Exit status: 0 when the graph is acyclic (the objects are printed in
layers, each depending only on layers above it), 1 when there is a cycle
(each one printed with the symbols behind its edges), 2 when the input
cannot be read.  Layers are what the code is meant to keep; a cycle means
two files cannot be understood, tested or replaced one without the other.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

# `nm -A -P`: "FILE: NAME TYPE [VALUE [SIZE]]", FILE being
# "ARCHIVE[MEMBER]" for an archive member.
LINE = re.compile(r'^(?P<file>.+?): (?P<name>\S+) (?P<type>\S)(?: .*)?$')
# Undefined: U, and the weak references w and v, which bind to a
# definition elsewhere when there is one.
USES = set('Uwv')
# Local symbols (lowercase, bar those above and the unique/indirect
# globals u and i) cannot be what another object uses.
GLOBAL_DEFINED = set('ABCDGIRSTVWiu')


def parse_nm(text, source, objects):
    for line in text.splitlines():
        if not line.strip() or line.endswith(':'):
            continue
        m = LINE.match(line)
        if not m:
            raise ValueError('%s: cannot read nm line %r' % (source, line))
        obj = m.group('file')
        kind = m.group('type')
        defs, uses = objects.setdefault(obj, (set(), set()))
        if kind in USES:
            uses.add(m.group('name'))
        elif kind in GLOBAL_DEFINED:
            defs.add(m.group('name'))


def run_nm(nm, path, objects):
    try:
        out = subprocess.run([nm, '-A', '-P', path], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        stderr = getattr(e, 'stderr', '') or ''
        raise ValueError('%s: nm failed: %s %s' % (path, e, stderr.strip()))
    parse_nm(out, path, objects)


def short_names(objects):
    """The member (or file) base name, unless two objects share it."""
    def member(obj):
        m = re.match(r'^.*\[(.*)\]$', obj)
        return os.path.basename(m.group(1) if m else obj)
    names = {obj: member(obj) for obj in objects}
    counts = defaultdict(int)
    for n in names.values():
        counts[n] += 1
    return {obj: (n if counts[n] == 1 else obj) for obj, n in names.items()}


def build_graph(objects):
    definer = defaultdict(set)
    for obj, (defs, _) in objects.items():
        for sym in defs:
            definer[sym].add(obj)
    edges = defaultdict(lambda: defaultdict(set))   # a -> b -> symbols
    for a, (defs, uses) in objects.items():
        for sym in uses:
            for b in definer.get(sym, ()):
                if b != a:
                    edges[a][b].add(sym)
    return edges


def strongly_connected(nodes, edges):
    """Tarjan's algorithm, iteratively (no recursion limit to hit)."""
    index, low, on_stack = {}, {}, set()
    stack, components, counter = [], [], [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                components.append(component)
    return components


def shortest_cycle(component, edges):
    """A shortest cycle through the component's smallest node."""
    members = set(component)
    start = min(component)
    previous = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(edges[node]):
                if child not in members:
                    continue
                if child == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return path[::-1] + [start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return [start]


def layers(nodes, edges):
    """Layer 0 uses nothing of the others, layer n only layers below n
    (for an acyclic graph)."""
    level = {}
    for node in sorted(nodes):
        pending = [node]
        while pending:
            top = pending[-1]
            if top in level:
                pending.pop()
                continue
            missing = [c for c in edges[top] if c not in level]
            if missing:
                pending.extend(sorted(missing))
                continue
            level[top] = 1 + max((level[c] for c in edges[top]), default=-1)
            pending.pop()
    grouped = defaultdict(list)
    for node, n in level.items():
        grouped[n].append(node)
    return [sorted(grouped[n]) for n in sorted(grouped)]


def shown_symbols(symbols):
    symbols = sorted(symbols)
    shown = ', '.join(symbols[:4])
    if len(symbols) > 4:
        shown += ', ... (%d symbols)' % len(symbols)
    return shown


def main(argv):
    parser = argparse.ArgumentParser(
        description='Fail on a dependency cycle between the objects of a '
                    'library, as nm sees them.')
    parser.add_argument('--nm', default=os.environ.get('NM', 'nm'))
    parser.add_argument('--nm-output', action='append', default=[],
                        metavar='FILE', help='a listing made by nm -A -P')
    parser.add_argument('inputs', nargs='*', metavar='OBJECT-OR-ARCHIVE')
    args = parser.parse_args(argv)

    objects = {}
    try:
        for path in args.nm_output:
            with open(path, encoding='utf-8', errors='replace') as f:
                parse_nm(f.read(), path, objects)
        for path in args.inputs:
            run_nm(args.nm, path, objects)
    except (OSError, ValueError) as e:
        print('layering: %s' % e, file=sys.stderr)
        return 2
    if len(objects) < 2:
        print('layering: %d object(s) found: nothing to check'
              % len(objects), file=sys.stderr)
        return 2

    edges = build_graph(objects)
    name = short_names(objects)
    nodes = sorted(objects, key=lambda o: name[o])
    cycles = [c for c in strongly_connected(nodes, edges) if len(c) > 1]
    if cycles:
        for component in sorted(cycles, key=lambda c: min(name[o] for o in c)):
            cycle = shortest_cycle(component, edges)
            print('cycle: ' + ' -> '.join(name[o] for o in cycle))
            for a, b in zip(cycle, cycle[1:]):
                print('  %s -> %s: %s'
                      % (name[a], name[b], shown_symbols(edges[a][b])))
            if len(component) > len(cycle) - 1:
                # the other edges that keep the component together, each
                # one a candidate for breaking
                print('  that is one cycle among %s; the other uses between them:'
                      % ', '.join(sorted(name[o] for o in component)))
                members = set(component)
                on_cycle = set(zip(cycle, cycle[1:]))
                for a in sorted(component, key=lambda o: name[o]):
                    for b in sorted(edges[a], key=lambda o: name[o]):
                        if b in members and (a, b) not in on_cycle:
                            print('    %s -> %s: %s'
                                  % (name[a], name[b], shown_symbols(edges[a][b])))
        print('layering: %d cycle%s among %d objects'
              % (len(cycles), '' if len(cycles) == 1 else 's', len(objects)))
        return 1

    for n, layer in enumerate(layers(nodes, edges)):
        print('layer %d: %s' % (n, ' '.join(sorted(name[o] for o in layer))))
    print('layering: no cycle among %d objects' % len(objects))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
