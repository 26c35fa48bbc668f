#!/usr/bin/env python3
"""Peer of `oracle bench exact-sdr`: 2N integer kernels in [-100, 100] of length D, pair j = (2j, 2j+1),
the exact SDR of eq. (8) (non-zero frequencies) with python-flint: circular autocorrelations by fmpz_poly
products, one fmpq per pair. Checksum = sha256 of the fractions "p/q" joined by newlines."""
import argparse
import hashlib

from flint import fmpq, fmpz, fmpz_poly

from splitmix import emit, integers, timed

ap = argparse.ArgumentParser()
ap.add_argument("--d", type=int, default=101)
ap.add_argument("--count", "--pairs", dest="count", type=int, default=200)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--repeat", type=int, default=5)
a = ap.parse_args()

d = a.d
K = integers(a.seed, 0, 2 * a.count * d, 100).reshape(2 * a.count, d).tolist()


def autocorrelation(k):
    """r(τ) = Σ_m k[m] k[(m+τ) mod d] as an fmpz_poly in τ (c_i of k(x)·k_rev(x) is r_lin(d-1-i))."""
    c = (fmpz_poly(k) * fmpz_poly(k[::-1])).coeffs()
    c += [fmpz(0)] * (2 * d - 1 - len(c))
    return fmpz_poly([c[d - 1]] + [c[d - 1 - t] + c[2 * d - 1 - t] for t in range(1, d)])


def task():
    lines = []
    n = fmpz(d)
    for j in range(a.count):
        k1, k2 = K[2 * j], K[2 * j + 1]
        r1, r2 = autocorrelation(k1), autocorrelation(k2)
        # Σ_τ r1(τ) r2(τ) = coefficient d-1 of r1(x)·r2_rev(x).
        r2c = r2.coeffs() + [fmpz(0)] * (d - r2.degree() - 1)
        cross = (r1 * fmpz_poly(r2c[::-1]))[d - 1]
        s1, s2 = fmpz(sum(k1)) ** 2, fmpz(sum(k2)) ** 2
        joint = n * cross - s1 * s2
        first = n * r1[0] - s1
        second = n * r2[0] - s2
        rho = fmpq(joint * (n - 1), first * second)
        lines.append(f"{rho.p}/{rho.q}")
    return "\n".join(lines)


timing, text = timed(task, a.repeat)
emit("exact-sdr", timing, hashlib.sha256(text.encode()).hexdigest(), first=text.split("\n")[0],
     impl="python-flint", d=d, count=a.count)
