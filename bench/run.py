#!/usr/bin/env python3
"""Benchmark irsalint on seeded synthetic monorepos (bench/gen_corpus.py).

For each corpus size it times whole-process runs of `irsalint lint --format json`, of the
same binary with every rule ignored (`--ignore all`: discovery, reading, parsing into trees,
world building, no rules) and of the raw parse floor (`bench/parse_floor.rs`: the same walk,
reading every file and pulling every YAML event through saphyr-parser and every JSON file
through serde_json, in parallel, no tree). The three are run in turn, several repetitions
each, so that load on the machine hits them alike; the table gives median wall times, the
highest peak RSS, files/s, MB/s and the ratio of irsalint to the raw floor. It also times a
single file (the pre-commit case) and, if `checkov` is on PATH, checkov on the 1k corpus.

With --terraform K the corpora carry Terraform roots (gen_corpus.py --terraform K) and the
run also compares the cost per MB of loading YAML and HCL, irsalint with every rule off
(`--ignore all`) and the raw parse floor, timed in the same rounds, in two ways:

- as generated: the YAML manifests (k8s/: one file of about 1.4 KB per app, all in one
  directory) against the Terraform roots (tf/: three files of about 0.5 KB on average in a
  directory per root). This mixes the format with the layout: per MB, tf/ has about three
  times as many files to open and a directory per 1.5 KB to walk and group.
- at equal layout: tf/ against its YAML twin, written by this script next to the corpus
  (not in it): for every directory of tf/ a directory of the same name, for every file of it
  (`main.tf`, `variables.tf`, `terraform.tfvars`) a YAML file of the same stem (`main.yaml`,
  `variables.yaml`, `terraform.yaml`) of about the same size, made of the first whole lines
  of a k8s/ file of the corpus (the next one, after a `---` line, when that one is too short)
  until it is at least as long; the k8s/ files are drawn with `random.Random(seed)`, so the
  twin is the same for the same seed. Same number of directories and of files in each, sizes
  within a line of each other's: what is left between the two is the format. Wall and CPU
  time (user + system, medians) per MB of each, and their ratio.

With --before BIN a second irsalint binary (an older build) is timed in the same rounds, and a
second table compares the two: before/after figures from one run, under the same load; with
--terraform the per-MB tables get a row for it too (its YAML and HCL timed in the same rounds
as this build's; the floors are the same).

Usage: bench/run.py [--bin target/release/irsalint] [--floor target/release/examples/parse-floor]
                    [--sizes 1000,10000] [--reps 7] [--terraform K] [--before BIN]
"""
import argparse
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


# Median CPU seconds (user + system) of each command `measure_side_by_side` ran, by command:
# on a machine shared with other work, CPU time moves less than wall time.
CPU = {}


def run_once(cmd, cpu=None):
    """Wall seconds and peak RSS (MiB) of one process; its CPU seconds appended to `cpu`."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {code}")
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    return wall, usage.ru_maxrss / 1024.0


def measure(cmd, reps):
    run_once(cmd)  # warm the page cache
    samples = [run_once(cmd) for _ in range(reps)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def measure_side_by_side(cmds, reps):
    """Runs the commands in turn, `reps` rounds: (median wall, max RSS) of each."""
    for cmd in cmds:
        run_once(cmd)  # warm the page cache
    samples = [[] for _ in cmds]
    cpus = [[] for _ in cmds]
    for _ in range(reps):
        for i, cmd in enumerate(cmds):
            samples[i].append(run_once(cmd, cpus[i]))
    for cmd, cpu in zip(cmds, cpus):
        CPU[tuple(cmd)] = statistics.median(cpu)
    return [(statistics.median(s[0] for s in x), max(s[1] for s in x)) for x in samples]


def yaml_twin(tf, k8s, out, seed):
    """Writes `out`, tf/'s YAML twin (see the docstring): same directories, same number of
    files in each, each file about as long, made of k8s/'s YAML."""
    rng = random.Random(seed)
    manifests = sorted(os.listdir(k8s))
    cache = {}

    def lines_of(name):
        if name not in cache:
            with open(os.path.join(k8s, name), encoding="utf-8") as f:
                cache[name] = f.read().splitlines(keepends=True)
        return cache[name]

    for d in sorted(os.listdir(tf)):
        src = os.path.join(tf, d)
        if not os.path.isdir(src):
            continue
        os.makedirs(os.path.join(out, d))
        for name in sorted(os.listdir(src)):
            want = os.path.getsize(os.path.join(src, name))
            parts, size = [], 0
            while size < want:
                if parts:
                    parts.append("---\n")
                    size += 4
                for line in lines_of(rng.choice(manifests)):
                    if size >= want:
                        break
                    parts.append(line)
                    size += len(line.encode())
            stem = os.path.splitext(name)[0]
            with open(os.path.join(out, d, stem + ".yaml"), "w", encoding="utf-8") as f:
                f.write("".join(parts))


def corpus_stats(path):
    files = size = 0
    for root, _, names in os.walk(path):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(root, n))
    return files, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/irsalint")
    ap.add_argument("--floor", default="target/release/examples/parse-floor")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--terraform", type=int, default=0, help="a Terraform root for one app in K")
    ap.add_argument("--before", help="an older irsalint binary, timed side by side")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"bench: {binary} not found; run `cargo build --release` first")
    floor_bin = os.path.abspath(a.floor)
    if not os.access(floor_bin, os.X_OK):
        sys.exit(f"bench: {floor_bin} not found; run `cargo build --release --example parse-floor` first")
    before_bin = os.path.abspath(a.before) if a.before else None
    if before_bin and not os.access(before_bin, os.X_OK):
        sys.exit(f"bench: {before_bin} not found")
    load_before = os.getloadavg()[0]

    work = tempfile.mkdtemp(prefix="irsalint-bench-")
    try:
        rows = []
        before_rows = []
        times = {}
        per_mb = []
        twin_mb = []
        for n in [int(s) for s in a.sizes.split(",")]:
            corpus = os.path.join(work, f"apps-{n}")
            extra = ["--terraform", str(a.terraform)] if a.terraform else []
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--apps", str(n), "--seed", str(a.seed), *extra, corpus], check=True)
            if a.terraform:
                k8s, tf = os.path.join(corpus, "k8s"), os.path.join(corpus, "tf")
                twin = os.path.join(work, f"apps-{n}-yaml-twin")
                # In a child process: the twin's cache of k8s/'s lines would otherwise stay in
                # this process, and a child's peak RSS counts its parent's pages until it execs
                # (the single-file and floor rows read 53 MiB instead of their own 9 to 16).
                child = multiprocessing.Process(target=yaml_twin, args=(tf, k8s, twin, a.seed))
                child.start()
                child.join()
                if child.exitcode != 0:
                    sys.exit("bench: writing the YAML twin failed")
                cmds = [
                    [binary, "lint", "--format", "json", "--ignore", "all", k8s],
                    [binary, "lint", "--format", "json", "--ignore", "all", tf],
                    [floor_bin, k8s],
                    [floor_bin, tf],
                    [binary, "lint", "--format", "json", "--ignore", "all", twin],
                    [floor_bin, twin],
                ]
                if before_bin:
                    cmds += [
                        [before_bin, "lint", "--format", "json", "--ignore", "all", k8s],
                        [before_bin, "lint", "--format", "json", "--ignore", "all", tf],
                        [before_bin, "lint", "--format", "json", "--ignore", "all", twin],
                    ]
                measured = measure_side_by_side(cmds, a.reps)
                (_, (y_floor, _), (t_floor, _), _, (w_floor, _)) = measured[1:6]
                y_mb, t_mb = corpus_stats(k8s)[1] / 1e6, corpus_stats(tf)[1] / 1e6
                t_files, _ = corpus_stats(tf)
                w_mb = corpus_stats(twin)[1] / 1e6
                dirs = sum(1 for e in os.scandir(tf) if e.is_dir())
                # The build's rows, then (with --before) the older build's, same rounds.
                for label, (iy, it, iw) in [("", (0, 1, 4))] + ([(", before", (6, 7, 8))] if before_bin else []):
                    y_load, t_load, w_load = (measured[i][0] for i in (iy, it, iw))
                    t_cpu, w_cpu = CPU[tuple(cmds[it])], CPU[tuple(cmds[iw])]
                    per_mb.append((f"{n} apps{label}", y_mb, y_load / y_mb, y_floor / y_mb, t_mb, t_load / t_mb, t_floor / t_mb))
                    twin_mb.append((f"{n} apps{label}", dirs, t_files, w_mb, w_load / w_mb, w_cpu / w_mb, w_floor / w_mb, t_mb, t_load / t_mb, t_cpu / t_mb, t_floor / t_mb))
            files, size = corpus_stats(corpus)
            cmds = [
                [binary, "lint", "--format", "json", corpus],
                [binary, "lint", "--format", "json", "--ignore", "all", corpus],
                [floor_bin, corpus],
            ]
            if before_bin:
                cmds.append([before_bin, "lint", "--format", "json", corpus])
            measured = measure_side_by_side(cmds, a.reps)
            (full, full_rss), (norules, _), (floor, floor_rss) = measured[:3]
            if before_bin:
                cpu = [CPU[tuple(c)] for c in (cmds[3], cmds[0], cmds[2])]
                before_rows.append((f"{n} apps", measured[3], (full, full_rss), floor, cpu))
            times[n] = full
            rows.append((f"{n} apps", files, size, full, full_rss, norules, floor, floor_rss))
        single = os.path.join(work, "apps-%s" % a.sizes.split(",")[0], "k8s", "app-00000.yaml")
        one, one_rss = measure([binary, "lint", "--format", "json", single], a.reps * 3)
        if before_bin:
            one_before = measure([before_bin, "lint", "--format", "json", single], a.reps * 3)

        load_after = os.getloadavg()[0]
        print(f"irsalint benchmark ({os.cpu_count()} CPUs, median of {a.reps} runs, seed {a.seed}, load average {load_before:.1f} before, {load_after:.1f} after)")
        print()
        print("| corpus | files | MB | irsalint wall | peak RSS | files/s | MB/s | rules off | raw parse floor | floor RSS | ratio to floor |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, files, size, full, rss, norules, floor, frss in rows:
            mb = size / 1e6
            print(f"| {name} | {files} | {mb:.1f} | {full * 1000:.0f} ms | {rss:.0f} MiB | {files / full:,.0f} | {mb / full:.1f} | {norules * 1000:.0f} ms | {floor * 1000:.0f} ms | {frss:.0f} MiB | {full / floor:.2f}x |")
        print(f"| single file | 1 | - | {one * 1000:.1f} ms | {one_rss:.0f} MiB | | | | | | |")
        if before_bin:
            print()
            print(f"before: {before_bin}, timed in the same rounds")
            print()
            print("| corpus | before wall | before peak RSS | before ratio to floor | after wall | after peak RSS | after ratio to floor | CPU before / after / floor | CPU ratio to floor before / after |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for name, (bw, brss), (aw, arss), floor, (bc, ac, fc) in before_rows:
                print(f"| {name} | {bw * 1000:.0f} ms | {brss:.0f} MiB | {bw / floor:.2f}x | {aw * 1000:.0f} ms | {arss:.0f} MiB | {aw / floor:.2f}x | {bc * 1000:.0f} / {ac * 1000:.0f} / {fc * 1000:.0f} ms | {bc / fc:.2f}x / {ac / fc:.2f}x |")
            print(f"| single file | {one_before[0] * 1000:.1f} ms | {one_before[1]:.0f} MiB | | {one * 1000:.1f} ms | {one_rss:.0f} MiB | | | |")
        if per_mb:
            print()
            print("| corpus | YAML MB | YAML load ms/MB | YAML floor ms/MB | HCL MB | HCL load ms/MB | HCL floor ms/MB |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for n, ymb, yl, yf, tmb, tl, tf_ in per_mb:
                print(f"| {n} | {ymb:.1f} | {yl * 1000:.0f} | {yf * 1000:.0f} | {tmb:.1f} | {tl * 1000:.0f} | {tf_ * 1000:.0f} |")
        if twin_mb:
            print()
            print("At equal layout (tf/ and its YAML twin: same directories, files per directory and sizes):")
            print()
            print("| corpus | dirs | files | YAML MB | YAML wall ms/MB | YAML CPU ms/MB | YAML floor ms/MB | HCL MB | HCL wall ms/MB | HCL CPU ms/MB | HCL floor ms/MB | HCL/YAML wall | HCL/YAML CPU |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for n, dirs, files, wmb, wl, wc, wf, tmb, tl, tc, tf_ in twin_mb:
                print(f"| {n} | {dirs} | {files} | {wmb:.2f} | {wl * 1000:.1f} | {wc * 1000:.1f} | {wf * 1000:.1f} | {tmb:.2f} | {tl * 1000:.1f} | {tc * 1000:.1f} | {tf_ * 1000:.1f} | {tl / wl:.2f}x | {tc / wc:.2f}x |")
        sizes = sorted(times)
        if len(sizes) >= 2:
            lo, hi = sizes[0], sizes[-1]
            print()
            print(f"scaling {lo} -> {hi} apps: time x{times[hi] / times[lo]:.1f} for x{hi / lo:.0f} input")
        if shutil.which("checkov") and 1000 in times:
            corpus = os.path.join(work, "apps-1000")
            start = time.perf_counter()
            subprocess.run(["checkov", "-d", corpus, "--quiet", "--compact"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            ck = time.perf_counter() - start
            print(f"checkov on 1000 apps: {ck:.1f} s ({ck / times[1000]:.0f}x irsalint)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
