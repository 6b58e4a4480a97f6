#!/usr/bin/env python3
"""check-cycles.py - modules of the library that depend on each other.

A module is one object file of libirmfleet.a.  Module A depends on B when
A uses a function or object that B defines (nm: A has it undefined, B
defined).  Two modules in one cycle cannot be understood, tested or
replaced apart (issue 11 found ssh.c <-> knownhosts.c, compare.c <-> the
reporters, rules.c <-> rules_*.c).  Prints every cycle (strongly
connected set of more than one module) and exits 1 if there is one.

usage: check-cycles.py LIBIRMFLEET_A [ALLOWED_FILE]
ALLOWED_FILE lists accepted cycles, one per line, modules sorted and
separated by spaces (a cycle is accepted only as a whole).
"""
import subprocess
import sys


def symbols(lib):
    defs, uses = {}, {}
    out = subprocess.run(["nm", "-A", "--defined-only", "-g", lib],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        where, _, rest = line.rpartition(": ") if ": " in line else ("", "", "")
        parts = line.split()
        if len(parts) < 3:
            continue
        obj = parts[0].rsplit(":", 2)[-2]
        defs[parts[-1]] = obj
    out = subprocess.run(["nm", "-A", "--undefined-only", lib],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        obj = parts[0].rsplit(":", 2)[-2]
        uses.setdefault(obj, set()).add(parts[-1])
    return defs, uses


def sccs(graph):
    """Tarjan's algorithm, iterative."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = n[0]
        n[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = n[0]
                    n[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    defs, uses = symbols(sys.argv[1])
    allowed = set()
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            allowed = {" ".join(sorted(l.split())) for l in f
                       if l.strip() and not l.startswith("#")}
    graph = {}
    for obj, syms in uses.items():
        graph[obj] = {defs[s] for s in syms if s in defs and defs[s] != obj}
    for obj in set(defs.values()):
        graph.setdefault(obj, set())
    bad = [c for c in sccs(graph) if " ".join(c) not in allowed]
    for c in bad:
        print("cycle: " + " <-> ".join(m.replace(".c.o", ".c") for m in c))
    print(f"{len(graph)} modules, {len(bad)} cycles")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
