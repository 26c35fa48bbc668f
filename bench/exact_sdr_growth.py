#!/usr/bin/env python3
"""`oracle bench exact-sdr` against the FLINT autocorrelation peer (exact_sdr_flint.py) side by side in one run, at
each length d, with the fitted growth exponent of each (least squares of log time on log d). With --before, a second
oracle binary (e.g. an older build) runs in the same loop, so before and after see the same machine load.

Usage: bench/exact_sdr_growth.py [--oracle PATH] [--before PATH] [--d 101,1009,10007,100003] [--pairs 2]
                                 [--repeat 5] [--before-max-d D]
Prints a Markdown table; exit 1 when a checksum differs."""
import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--oracle", default=os.path.join(HERE, "..", ".build", "release", "oracle"))
ap.add_argument("--before", help="a second oracle binary timed in the same loop")
ap.add_argument("--before-max-d", type=int, default=10**9, help="skip --before above this d (it may be quadratic)")
ap.add_argument("--d", default="101,1009,10007,100003")
ap.add_argument("--pairs", type=int, default=2)
ap.add_argument("--repeat", type=int, default=5)
a = ap.parse_args()


def run(command):
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True, cwd=HERE).stdout)


def fit(points):
    """Slope of log t on log d (None with fewer than two points)."""
    if len(points) < 2:
        return None
    xs, ys = [math.log(d) for d, _ in points], [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


args = ["--count", str(a.pairs), "--repeat", str(a.repeat)]
rows, ok = [], True
series = {"ours": [], "flint": [], "before": []}
for d in [int(x) for x in a.d.split(",")]:
    ours = run([os.path.abspath(a.oracle), "bench", "exact-sdr", "--d", str(d), *args, "--json"])
    flint = run([sys.executable, "exact_sdr_flint.py", "--d", str(d), *args])
    before = None
    if a.before and d <= a.before_max_d:
        before = run([os.path.abspath(a.before), "bench", "exact-sdr", "--d", str(d), *args, "--json"])
    same = flint["checksum"] == ours["checksum"] and (before is None or before["checksum"] == ours["checksum"])
    ok &= same
    series["ours"].append((d, ours["median_s"]))
    series["flint"].append((d, flint["median_s"]))
    cells = [f"{d}", f"{ours['median_s'] * 1e3:.3f}", f"{flint['median_s'] * 1e3:.3f}",
             f"{flint['median_s'] / ours['median_s']:.1f}"]
    if a.before:
        if before:
            series["before"].append((d, before["median_s"]))
            cells += [f"{before['median_s'] * 1e3:.3f}", f"{before['median_s'] / ours['median_s']:.1f}"]
        else:
            cells += ["-", "-"]
    rows.append(cells + ["ok" if same else "DIFFERS"])

head = ["d", "ours (ms)", "FLINT (ms)", "FLINT / ours"]
if a.before:
    head += ["before (ms)", "before / ours"]
head.append("checksums")
print(f"exact-sdr, {a.pairs} pair(s) per run, median of {a.repeat}")
print("| " + " | ".join(head) + " |")
print("|" + " --- |" * len(head))
for cells in rows:
    print("| " + " | ".join(cells) + " |")
exponents = {name: fit(points) for name, points in series.items()}
print("fitted exponent (time ∝ d^e): " + ", ".join(
    f"{name} {e:.2f}" for name, e in exponents.items() if e is not None))
sys.exit(0 if ok else 1)
