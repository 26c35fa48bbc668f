#!/usr/bin/env python3
"""Peer of `oracle bench fft1d`: X [N, D] real rows, complex FFT of every row (numpy.fft.fft, or
FFTW complex one thread via pyfftw with --backend fftw; --real for the r2c paths).
Checksum = sum of |X̂|² over the full spectra."""
import argparse

import numpy as np

from splitmix import doubles, emit, timed

ap = argparse.ArgumentParser()
ap.add_argument("--d", type=int, default=101)
ap.add_argument("--count", type=int, default=10000)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--repeat", type=int, default=5)
ap.add_argument("--backend", choices=["numpy", "fftw"], default="numpy")
ap.add_argument("--real", action="store_true")
a = ap.parse_args()

X = doubles(a.seed, 0, a.count * a.d).reshape(a.count, a.d)
h = a.d // 2 + 1
wt = np.full(h, 2.0)
wt[0] = 1.0
if a.d % 2 == 0:
    wt[-1] = 1.0

if a.backend == "fftw":
    import pyfftw
    if a.real:
        inp = pyfftw.empty_aligned((a.count, a.d), dtype="float64")
        plan = pyfftw.builders.rfft(inp, axis=1, threads=1, planner_effort="FFTW_MEASURE")
    else:
        inp = pyfftw.empty_aligned((a.count, a.d), dtype="complex128")
        plan = pyfftw.builders.fft(inp, axis=1, threads=1, planner_effort="FFTW_MEASURE")

    def transform():
        inp[...] = X
        return plan()
else:
    def transform():
        return np.fft.rfft(X, axis=1) if a.real else np.fft.fft(X, axis=1)


def task():
    Y = transform()
    p = Y.real ** 2 + Y.imag ** 2
    return float((p * wt).sum()) if a.real else float(p.sum())


timing, checksum = timed(task, a.repeat)
emit("fft1d", timing, checksum, impl=a.backend, path="real" if a.real else "complex", d=a.d, count=a.count)
