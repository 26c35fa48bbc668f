#!/usr/bin/env python3
"""Peer of `oracle bench layer`: the [Cout, Cin] strided SDRs of eq. (24) (non-zero frequencies,
activation average on the up-sampled grid), natural vectorised numpy (rfft2), or FFTW's r2c path
(pyfftw, one thread) with --backend fftw. Checksum = sum of all SDRs.

With --stream, the peer of `oracle bench layer-large`: the activations are drawn one map stack X[b] at a time
from the same stream and only their power spectra kept, the filters transformed one output channel at a time,
so memory grows with Cin·n² and not with the batch; the time leaves input generation out, no warm-up, and the
JSON adds the peak RSS (getrusage ru_maxrss)."""
import argparse
import resource
import time

import statistics

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
ap.add_argument("--stream", action="store_true")
a = ap.parse_args()

n, s, h = a.map, a.stride, a.kernel
m = n // s
nw = a.cout * a.cin * h * h
W = doubles(a.seed, 0, nw).reshape(a.cout, a.cin, h, h)
X = None if a.stream else doubles(a.seed, nw, a.batch * a.cin * m * m).reshape(a.batch, a.cin, m, m)
N = n * n
# Hermitian weights of the half spectrum along the last axis.
wt = np.full(n // 2 + 1, 2.0)
wt[0] = 1.0
if n % 2 == 0:
    wt[-1] = 1.0

if a.backend == "fftw" and not a.stream:
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


def upsampled(P):
    """The averaged power [Cin, m, m/2+1] on the up-sampled grid: x̂(u mod m, v mod m) on the n x n grid
    (full spectrum rebuilt, then tiled), half spectrum [Cin, n, n/2+1]."""
    Pfull = np.concatenate([P, P[:, (-np.arange(m)) % m][:, :, (-np.arange(m // 2 + 1, m)) % m]], axis=2) \
        if m > 1 else P
    return np.tile(Pfull, (1, s, s))[:, :, : n // 2 + 1]


def sdr(F, Pup):
    joint = np.einsum("ocuv,cuv,v->oc", F, Pup, wt) - F[:, :, 0, 0] * Pup[None, :, 0, 0]
    fpow = np.einsum("ocuv,v->oc", F, wt) - F[:, :, 0, 0]
    apow = np.einsum("cuv,v->c", Pup, wt) - Pup[:, 0, 0]
    return (joint / (N - 1)) / ((fpow / (N - 1)) * (apow / (N - 1))[None, :])


def layer():
    Wp = np.zeros((a.cout, a.cin, n, n))
    Wp[:, :, :h, :h] = W
    Fw = rfft_w(Wp)
    F = Fw.real ** 2 + Fw.imag ** 2                         # [Cout, Cin, n, n/2+1]
    Xf = rfft_x(X)
    P = (Xf.real ** 2 + Xf.imag ** 2).mean(axis=0)           # [Cin, m, m/2+1]
    return sdr(F, upsampled(P))


def layer_streamed():
    """Returns the SDRs and the seconds spent outside input generation."""
    seconds, stack = 0.0, a.cin * m * m
    P = np.zeros((a.cin, m, m // 2 + 1))
    for b in range(a.batch):
        x = doubles(a.seed, nw + b * stack, stack).reshape(a.cin, m, m)
        t0 = time.perf_counter()
        xf = np.fft.rfft2(x)
        P += xf.real ** 2 + xf.imag ** 2
        seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    Pup = upsampled(P / a.batch)
    out = np.empty((a.cout, a.cin))
    Wp = np.zeros((1, a.cin, n, n))
    for o in range(a.cout):
        Wp[0, :, :h, :h] = W[o]
        Fw = np.fft.rfft2(Wp)
        out[o] = sdr(Fw.real ** 2 + Fw.imag ** 2, Pup)[0]
    return out, seconds + time.perf_counter() - t0


if a.stream:
    times = []
    for _ in range(a.repeat):
        result, t = layer_streamed()
        times.append(t)
    timing = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}
    emit("layer-large", timing, float(result.sum()), impl="numpy", cin=a.cin, cout=a.cout, batch=a.batch,
         map=n, stride=s, kernel=h, peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
else:
    timing, result = timed(layer, a.repeat)
    emit("layer", timing, float(result.sum()), impl=a.backend, cin=a.cin, cout=a.cout, batch=a.batch,
         map=n, stride=s, kernel=h)
