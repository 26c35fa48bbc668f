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


def power(Z):
    """Σ|Z|² without temporaries the size of Z (vdot conjugates its first argument)."""
    return float(np.vdot(Z, Z).real)


def task():
    Y = transform()
    if not a.real:
        return power(Y)
    # Σ_u wt_u |Y_u|²: every bin twice, less the bins that appear once in the full spectrum.
    total = 2 * power(Y) - power(np.ascontiguousarray(Y[:, 0]))
    if a.d % 2 == 0:
        total -= power(np.ascontiguousarray(Y[:, -1]))
    return total


timing, checksum = timed(task, a.repeat)
emit("fft1d", timing, checksum, impl=a.backend, path="real" if a.real else "complex", d=a.d, count=a.count)
