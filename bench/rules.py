#!/usr/bin/env python3
"""Per-rule cost on a generated monorepo: times `irsalint lint --select RULE` for every rule
against the parse floor (`--ignore all`) in the same run, and lists the rules by their cost
above the floor. A rule that scans all objects once per ServiceAccount shows up here at
10,000 apps long before anyone notices it in a pre-commit run.

Usage: bench/rules.py [--bin target/release/irsalint] [--apps 10000] [--reps 3] [--top 15]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def wall(cmd, reps):
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/irsalint")
    ap.add_argument("--apps", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    rules = subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True, check=True)
    import json
    names = [r["name"] for r in json.loads(rules.stdout)]
    work = tempfile.mkdtemp(prefix="irsalint-rules-")
    try:
        corpus = os.path.join(work, "corpus")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--apps", str(a.apps), corpus], check=True)
        base = [binary, "lint", "--format", "json", corpus]
        wall(base + ["--ignore", "all"], 1)  # warm the page cache
        floor = wall(base + ["--ignore", "all"], a.reps)
        costs = [(wall(base + ["--select", n], a.reps) - floor, n) for n in names]
        full = wall(base, a.reps)
        print(f"{a.apps} apps: parse floor {floor * 1000:.0f} ms, all rules {full * 1000:.0f} ms (median of {a.reps})")
        print(f"{'rule':<40} {'cost above the floor':>22}")
        for cost, n in sorted(costs, reverse=True)[: a.top]:
            print(f"{n:<40} {cost * 1000:>19.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
