#!/usr/bin/env python3
"""Peer of `oracle bench layer`: the [Cout, Cin] strided SDRs of eq. (24) (non-zero frequencies,
activation average on the up-sampled grid), natural vectorised numpy (rfft2), or FFTW's r2c path
(pyfftw, one thread) with --backend fftw. Checksum = sum of all SDRs."""
import argparse

import numpy as np

from splitmix import doubles, emit, timed

ap = argparse.ArgumentParser()
ap.add_argument("--cin", type=int, default=64)
ap.add_argument("--cout", type=int, default=32)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--map", type=int, default=16)
ap.add_argument("--stride", type=int, default=2)
ap.add_argument("--kernel", type=int, default=5)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--repeat", type=int, default=5)
ap.add_argument("--backend", choices=["numpy", "fftw"], default="numpy")
a = ap.parse_args()

n, s, h = a.map, a.stride, a.kernel
m = n // s
nw = a.cout * a.cin * h * h
W = doubles(a.seed, 0, nw).reshape(a.cout, a.cin, h, h)
X = doubles(a.seed, nw, a.batch * a.cin * m * m).reshape(a.batch, a.cin, m, m)
N = n * n
# Hermitian weights of the half spectrum along the last axis.
wt = np.full(n // 2 + 1, 2.0)
wt[0] = 1.0
if n % 2 == 0:
    wt[-1] = 1.0

if a.backend == "fftw":
    import pyfftw
    wp = pyfftw.empty_aligned((a.cout, a.cin, n, n), dtype="float64")
    xp = pyfftw.empty_aligned((a.batch, a.cin, m, m), dtype="float64")
    fw = pyfftw.builders.rfft2(wp, axes=(2, 3), threads=1, planner_effort="FFTW_MEASURE")
    fx = pyfftw.builders.rfft2(xp, axes=(2, 3), threads=1, planner_effort="FFTW_MEASURE")

    def rfft_w(Wp):
        wp[...] = Wp
        return fw()

    def rfft_x(X):
        xp[...] = X
        return fx()
else:
    def rfft_w(Wp):
        return np.fft.rfft2(Wp)

    def rfft_x(X):
        return np.fft.rfft2(X)


def layer():
    Wp = np.zeros((a.cout, a.cin, n, n))
    Wp[:, :, :h, :h] = W
    Fw = rfft_w(Wp)
    F = Fw.real ** 2 + Fw.imag ** 2                         # [Cout, Cin, n, n/2+1]
    Xf = rfft_x(X)
    P = (Xf.real ** 2 + Xf.imag ** 2).mean(axis=0)           # [Cin, m, m/2+1]
    # Up-sampled grid: x̂(u mod m, v mod m) on the n x n grid (full spectrum rebuilt, then tiled).
    Pfull = np.concatenate([P, P[:, (-np.arange(m)) % m][:, :, (-np.arange(m // 2 + 1, m)) % m]], axis=2) \
        if m > 1 else P
    Pup = np.tile(Pfull, (1, s, s))[:, :, : n // 2 + 1]      # [Cin, n, n/2+1]
    joint = np.einsum("ocuv,cuv,v->oc", F, Pup, wt) - F[:, :, 0, 0] * Pup[None, :, 0, 0]
    fpow = np.einsum("ocuv,v->oc", F, wt) - F[:, :, 0, 0]
    apow = np.einsum("cuv,v->c", Pup, wt) - Pup[:, 0, 0]
    return (joint / (N - 1)) / ((fpow / (N - 1)) * (apow / (N - 1))[None, :])


timing, sdr = timed(layer, a.repeat)
emit("layer", timing, float(sdr.sum()), impl=a.backend, cin=a.cin, cout=a.cout, batch=a.batch,
     map=n, stride=s, kernel=h)
