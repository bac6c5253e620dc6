#!/usr/bin/env python3
"""Times full builds of one generated corpus: guidebook, and Zola and Hugo when given.

The tools run interleaved (gb, zola, hugo, gb, zola, hugo, ...) so that a change in the
machine's load falls on all of them alike; each build starts from an empty output folder.
Wall time is measured around the process, peak memory is the process tree's maximum
resident set (`wait4`'s ru_maxrss, KiB on Linux), and the output's size is the sum of its
files' sizes (apparent bytes) after the last round. `guidebook check` is timed too.

Usage: builds.py --corpus DIR --bin GUIDEBOOK --rounds N --json OUT.json
                 [--zola PATH] [--hugo PATH]
Writes one JSON object (see `measure`) and prints one line per build.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def loadavg():
    """The 1, 5 and 15 minute load averages, from /proc/loadavg."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def run(cmd, cwd=None):
    """Runs `cmd`; returns (seconds, peak RSS in KiB, exit status, stderr's tail)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss, proc.returncode, err.decode(errors="replace")[-2000:]


def tree_bytes(folder):
    """The sum of the sizes of the files under `folder`, in bytes."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def hugo_args(hugo):
    """Hugo before 0.128 reads the generator's legacy configuration file."""
    out = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    m = re.search(r"v0\.(\d+)", out)
    return ["--config", "config-legacy.toml"] if m and int(m.group(1)) < 128 else []


def corpus_shape(site):
    """(pages, languages) of the guidebook layout: one file per page and language, sections'
    `_index` files not counted (as the generator counts)."""
    langs = {}
    for p in (site / "content").rglob("*.md"):
        parts = p.name.split(".")
        if len(parts) >= 3 and not p.name.startswith("_"):
            langs[parts[-2]] = langs.get(parts[-2], 0) + 1
    return sum(langs.values()), sorted(langs)


def measure(args):
    corpus = Path(args.corpus)
    site = corpus / "guidebook"
    outs = Path(args.work)
    tools = {"guidebook": lambda out: [args.bin, "build", "--root", str(site), "--out", str(out)]}
    if args.zola:
        tools["zola"] = lambda out: [args.zola, "--root", str(corpus / "zola"), "build", "--output-dir", str(out)]
    if args.hugo:
        extra = hugo_args(args.hugo)
        tools["hugo"] = lambda out: [args.hugo, "--quiet", "--source", str(corpus / "hugo"), "--destination", str(out), *extra]
    pages, languages = corpus_shape(site)
    result = {"pages": pages, "languages": languages, "rounds": args.rounds, "load_before": loadavg(), "tools": {}}
    runs = {name: [] for name in tools}
    for round_ in range(1, args.rounds + 1):
        for name, command in tools.items():
            out = outs / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            seconds, rss, code, err = run(command(out))
            print(f"  round {round_} {name}: {seconds:.2f} s, {rss / 1024:.0f} MiB peak", flush=True)
            if code != 0:
                print(f"{name} failed (exit {code}):\n{err}", file=sys.stderr)
                result["failed"] = name
                return result
            runs[name].append((seconds, rss))
    for name, samples in runs.items():
        result["tools"][name] = {
            "wall_s": [round(s, 3) for s, _ in samples],
            "median_s": round(statistics.median(s for s, _ in samples), 3),
            "peak_rss_mib": round(statistics.median(r for _, r in samples) / 1024, 1),
            "output_bytes": tree_bytes(outs / f"out-{name}"),
        }
    checks = []
    for _ in range(args.rounds):
        seconds, rss, code, err = run([args.bin, "check", "--root", str(site)])
        if code != 0:
            print(f"guidebook check failed (exit {code}):\n{err}", file=sys.stderr)
            result["failed"] = "check"
            return result
        print(f"  check: {seconds:.2f} s, {rss / 1024:.0f} MiB peak", flush=True)
        checks.append((seconds, rss))
    result["check"] = {"median_s": round(statistics.median(s for s, _ in checks), 3), "peak_rss_mib": round(max(r for _, r in checks) / 1024, 1)}
    result["load_after"] = loadavg()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", required=True, help="folder for the outputs")
    ap.add_argument("--json", required=True)
    ap.add_argument("--zola")
    ap.add_argument("--hugo")
    args = ap.parse_args()
    result = measure(args)
    Path(args.json).write_text(json.dumps(result, indent=1))
    return 1 if "failed" in result else 0


if __name__ == "__main__":
    sys.exit(main())
