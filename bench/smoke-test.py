#!/usr/bin/env python3
"""Smoke test of the benchmarks (meson test --suite bench).

Runs contid-bench on a small world and checks that its plain-text and JSON
reports parse and that the world passed contid_world_check(); checks that a
record callback does not change the world; runs the deep-chain mode; and
replays scenarios from scn-generate with procsim, which must find every
expectation held.

usage: smoke-test.py CONTID_BENCH SCN_GENERATE PROCSIM
"""
import json
import os
import re
import subprocess
import sys
import tempfile

KINDS = ["fork", "fork-thread", "fork-newuser", "unshare-user", "set-new",
         "set-nested", "set-inject", "set-denied", "get", "exit", "reap"]


def run(*args):
    p = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        sys.exit("FAIL: %s exited %d\n%s%s" % (" ".join(args), p.returncode,
                                              p.stdout, p.stderr))
    return p.stdout


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def main():
    bench, generate, procsim = sys.argv[1:4]
    small = ["--tasks", "1000", "--ops", "10000", "--pid-max", "65536"]

    # JSON report
    out = run(bench, *small, "--json", "--digest", "--check-every", "1000")
    r = json.loads(out)
    check(r["check"] == "ok", "world check")
    check(r["mode"] == "workload" and r["profile"] == "v11", "mode and profile")
    check(r["tasks"] == 1000 and r["ops"] == 10000, "sizes")
    check(r["ops_per_sec"] > 0 and r["ns_per_op"] > 0, "speed figures")
    check(r["ops_per_cpu_sec"] > 0 and r["samples_dropped"] >= 0, "CPU-time figures")
    check(r["peak_rss_bytes"] >= r["baseline_rss_bytes"] > 0, "RSS figures")
    check(isinstance(r["bytes_per_task"], (int, float)), "bytes per task")
    check(abs(r["live_tasks"] - (1000 + 17)) <= 2, "steady population")
    check(sorted(r["kinds"]) == sorted(KINDS), "operation kinds")
    check(sum(k["count"] for k in r["kinds"].values()) == 10000, "kind counts")
    for name, k in r["kinds"].items():
        check(k["count"] > 0, "kind %s never ran" % name)
        check(k["ns_per_op"] >= 0 and k["errors"] <= k["count"], "kind %s" % name)
    check(r["kinds"]["set-new"]["errors"] == 0, "set-new refused")

    # A record callback changes nothing in the world (serials included).
    rr = json.loads(run(bench, *small, "--json", "--digest", "--records"))
    check(rr["records"] > 0, "records reached the callback")
    check(rr["digest"] == r["digest"], "the callback changed the world")

    # Plain text report
    text = run(bench, *small)
    m = re.search(r"^steady: 10000 ops in [0-9.]+ s: ([0-9]+) ops/s, ([0-9.]+) ns/op",
                  text, re.M)
    check(m and int(m.group(1)) > 0, "text report: steady line")
    for name in KINDS:
        check(re.search(r"^%s +[0-9.]+%% +[0-9]+ +[0-9]+ +[0-9.]+$" % re.escape(name),
                        text, re.M), "text report: kind %s" % name)
    check(re.search(r"^memory: .* ([0-9.]+) bytes per live task", text, re.M),
          "text report: memory line")
    check(re.search(r"^check: +ok$", text, re.M), "text report: check")

    # An unknown profile is refused before anything runs, with the list.
    p = subprocess.run([bench, "--profile", "v12"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    check(p.returncode == 2 and p.stdout == "" and p.stderr ==
          "contid-bench: unknown profile 'v12' (known: v11, v6, v8, "
          "v11-posted, bits, kernel-alloc)\n", "unknown profile message")

    # Other profiles run too (their rules refuse more of the workload).
    for profile in ["v6", "v8", "bits", "kernel-alloc", "v11-posted"]:
        p = json.loads(run(bench, "--tasks", "300", "--ops", "3000", "--pid-max",
                           "4096", "--json", "--profile", profile))
        check(p["check"] == "ok" and p["profile"] == profile, "profile " + profile)

    # Deep chain
    c = json.loads(run(bench, "--chain", "33", "--ops", "200", "--json"))
    check(c["check"] == "ok" and c["unexpected_results"] == 0, "chain mode")
    check(c["depth"] == 33 and c["write-nest"]["mean"] > 0, "chain figures")

    # Generated scenarios replay with every expectation held.
    with tempfile.TemporaryDirectory() as tmp:
        for seed, extra in [(1, []), (2, ["--tasks", "40", "--pid-max", "200"])]:
            path = os.path.join(tmp, "gen%d.scn" % seed)
            run(generate, "--statements", "5000", "--seed", str(seed),
                "--output", path, *extra)
            again = run(generate, "--statements", "5000", "--seed", str(seed), *extra)
            with open(path) as f:
                check(f.read() == again, "the generator is deterministic")
            out = run(procsim, path)
            check(re.search(r": 5000 statements, [0-9]+ expectations, 0 failed", out),
                  "procsim replay of seed %d: %s" % (seed, out))
    print("bench smoke test: ok")


if __name__ == "__main__":
    main()
