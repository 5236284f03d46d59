#!/usr/bin/env python3
"""Hostile-size inputs of issue #18 §3, with peak RSS and wall time for each.

Writes each input into a temporary directory, runs irsalint on it under `/usr/bin/time -v`
and prints one row per input: exit code, wall seconds, peak RSS (MiB) and output bytes.
Each run gets at most 6 GiB of address space and --timeout seconds. An exit code other than 0, 1 or 2 (101 is a panic, 134/137 an abort or the OOM killer) is a
failure of the tool, whatever the figures.

Usage: bench/stress.py [--bin target/release/irsalint] [--only NAME,..] [--big] [--timeout S]
  --big adds the 100k-file directory of ServiceAccounts sharing one role (slow to write).
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

SA = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: ns-{i}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shared
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def statements(n, pretty):
    stmt = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    body = [json.dumps(stmt, separators=(",", ":")) for _ in range(n)]
    if pretty:
        return '{"Version": "2012-10-17", "Statement": [\n' + ",\n".join(body) + "\n]}\n"
    return '{"Version":"2012-10-17","Statement":[' + ",".join(body) + "]}\n"


def inputs(big):
    """(name, files {relative path: text}, extra arguments)."""
    yield "sa-shared-4000", {"sa.yaml": "---\n".join(SA.format(i=i) for i in range(4000))}, ["--format", "json"]
    yield "sa-shared-4000-human", {"sa.yaml": "---\n".join(SA.format(i=i) for i in range(4000))}, []
    yield "kv-300k", {"kv.yaml": "k: v\n" * 300_000}, ["--format", "json"]
    yield "kv-300k-human", {"kv.yaml": "k: v\n" * 300_000}, []
    yield "flow-5m-ints", {"flow.yaml": "[" + "1," * 4_999_999 + "1]\n"}, ["--format", "json"]
    yield "statements-150k-json", {"policy.json": statements(150_000, pretty=True)}, ["--format", "json"]
    yield "minified-32k-human", {"policy.json": statements(32_000, pretty=False)}, []
    yield "minified-1000-human", {"policy.json": statements(1_000, pretty=False)}, []
    # One body of many attributes (a generated `locals`): the fast HCL reader's duplicate
    # test was quadratic in them (60,000 took 4.7 s).
    locals_300k = "".join(f'  k{i} = "v{i}\\n${{var.x}}"\n' for i in range(300_000))
    yield "tf-locals-300k", {"main.tf": "locals {\n" + locals_300k + "}\n"}, ["--format", "json"]
    # One object of many keys that a resource reads (its reader's key test alike: 3.6 s at 60,000).
    object_300k = "".join(f'    k{i} = "v{i}"\n' for i in range(300_000))
    role = 'resource "aws_iam_role" "r" {\n  name = local.o.k5\n}\n'
    yield "tf-object-300k", {"main.tf": "locals {\n  o = {\n" + object_300k + "  }\n}\n" + role}, ["--format", "json"]
    # Many `templatefile()` calls evaluation never reads, each of a template among the inputs
    # (a copy of the file per call to find them was quadratic: 34 s at 20,000 calls).
    calls = "".join(f'  t{i} = templatefile("${{path.module}}/t{i % 100}.tpl", {{}})\n' for i in range(100_000))
    templates = {f"t{i}.tpl": "kind: ServiceAccount\n" for i in range(100)}
    yield "tf-templatefile-100k", {"main.tf": "locals {\n" + calls + "}\n", **templates}, ["--format", "json"]
    # A large local module with a `templatefile()` call, called for 60 instances: its file is
    # parsed whole once, not once per instance (0.50 s and 278 MiB when it was, at 2 MB).
    names = ", ".join(f'n{i} = "x"' for i in range(60))
    call = 'module "m" {\n  source = "./m"\n  for_each = {' + names + '}\n  name = each.key\n}\n'
    big_locals = "".join(f'  x{i} = "{"v" * 40}"\n' for i in range(100_000))
    module = (
        'variable "name" {}\nlocals {\n' + big_locals + '}\n'
        'resource "local_file" "f" {\n  content = templatefile("${path.module}/sa.yaml.tpl", { n = var.name })\n}\n'
    )
    yield "tf-module-templatefile-60", {"main.tf": call, "m/main.tf": module, "m/sa.yaml.tpl": "kind: ServiceAccount\n"}, ["--format", "json"]
    if big:
        files = {f"sa/{i // 1000}/sa-{i}.yaml": SA.format(i=i) for i in range(100_000)}
        yield "sa-shared-100k-files", files, ["--format", "json"]


MEMORY_LIMIT = 6 << 30


def limit_memory():
    """Address space capped (6 GiB) so that a quadratic run aborts rather than take the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(binary, path, extra, timeout):
    cmd = ["/usr/bin/time", "-v", binary, "lint", *extra, path]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile(mode="w+") as errf:
        p = subprocess.Popen(cmd, stdout=out, stderr=errf, start_new_session=True, preexec_fn=limit_memory)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return f"timeout {timeout} s", float(timeout), float("nan"), out.seek(0, os.SEEK_END)
        size = out.seek(0, os.SEEK_END)
        errf.seek(0)
        err = errf.read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    code = re.search(r"Exit status: (\d+)", err)
    sig = re.search(r"Command terminated by signal (\d+)", err)
    status = f"signal {sig.group(1)}" if sig else code.group(1)
    return status, secs, rss, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/irsalint")
    ap.add_argument("--only", default="")
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--timeout", type=int, default=300, help="seconds before a run is killed")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    only = set(filter(None, a.only.split(",")))
    work = tempfile.mkdtemp(prefix="irsalint-stress-")
    try:
        print("| input | input MB | exit | wall | peak RSS | output |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, files, extra in inputs(a.big):
            if only and name not in only:
                continue
            root = os.path.join(work, name)
            for rel, text in files.items():
                write(os.path.join(root, rel), text)
            mb = sum(len(t.encode()) for t in files.values()) / 1e6
            target = root if len(files) > 1 else os.path.join(root, next(iter(files)))
            status, secs, rss, size = run(binary, target, extra, a.timeout)
            print(f"| {name} | {mb:.1f} | {status} | {secs:.2f} s | {rss:.0f} MiB | {size / 1e6:.1f} MB |", flush=True)
            shutil.rmtree(root, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
