#!/usr/bin/env python3
"""A numpy SDR estimator for every task of `oracle fuzz` (see docs/fuzzing.md).

    oracle fuzz --exec "python3 examples/sdr_numpy.py" --task sdr1d
    oracle fuzz --exec "python3 examples/sdr_numpy.py --bug zero-frequency" --task sdr1d

The protocol loop is python/oracle_protocol.py's `serve`: this file holds only the estimator.
Without --bug it is correct. Each --bug plants one classic mistake:
  zero-frequency   averages include the zero frequency (the paper's <.> excludes it)
  normalisation    divides the kernel's average power by N instead of N - 1 (a 1/d slip)
  upsampling-index reads x̂(s·u mod m) instead of x̂(u mod m) in eq. (24) (the wrong up-sampling index)
  ignores-grid     averages the activation power on the up-sampled grid even when a request asks for the
                   native one (found only with `oracle fuzz --grid native` or `--grid both`)

Each function takes the request's conventions as keyword arguments: `averaging` ("nonzero", the paper's,
or "all") and, for eq. (24), `grid` ("upsampled" or "native"); `oracle fuzz --averaging both --grid both`
asks for every one.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
from oracle_protocol import UndefinedSDR, serve  # noqa: E402

BUGS = ("zero-frequency", "normalisation", "upsampling-index", "ignores-grid")
BUG = sys.argv[sys.argv.index("--bug") + 1] if "--bug" in sys.argv else None
if BUG is not None and BUG not in BUGS:
    sys.exit(f"unknown --bug {BUG}; the bugs are {', '.join(BUGS)}")


def mean_nonzero(
    power: np.ndarray, normaliser: "int | None" = None, *, joint: bool = False, averaging: str = "nonzero"
) -> float:
    """Mean over the non-zero frequencies (all of them with `averaging="all"`, or with the zero-frequency bug)."""
    flat = power.reshape(-1)
    if BUG == "zero-frequency" or averaging == "all":
        return flat.sum() / (normaliser + 1 if normaliser is not None else flat.size)
    rest = flat[1:].sum()
    # An exactly-zero coefficient comes out of the FFT as roundoff, about 64u of the total's magnitude at most
    # (u = 2^-53): power below (64u)^2 of the total is no power (a constant kernel), not a tiny genuine one.
    # (Only for a kernel's own power: a product of two spectra can be legitimately tiny against its zero term.)
    if not joint and rest <= 2.0 ** -94 * flat.sum():
        return 0.0
    return rest / (normaliser if normaliser is not None else flat.size - 1)


def ratio(joint: float, first: float, second: float) -> float:
    if first == 0 or second == 0:
        raise UndefinedSDR("SDR undefined: a kernel has no power at the non-zero frequencies")
    return joint / (first * second)


def normaliser(power: np.ndarray) -> "int | None":
    """The normalisation bug's count: N where N - 1 frequencies are averaged."""
    return power.size if BUG == "normalisation" else None


def sdr(k1: np.ndarray, k2: np.ndarray, averaging: str = "nonzero") -> float:
    """ρ(k1, k2) of two kernels of the same 2D shape."""
    p1, p2 = np.abs(np.fft.fft2(k1)) ** 2, np.abs(np.fft.fft2(k2)) ** 2
    first = mean_nonzero(p1, normaliser(p1), averaging=averaging)
    joint = mean_nonzero(p1 * p2, joint=True, averaging=averaging)
    return ratio(joint, first, mean_nonzero(p2, averaging=averaging))


def sdr1d(k1: np.ndarray, k2: np.ndarray, averaging: str = "nonzero") -> float:
    """Eq. (8) on Z_d: a 1 × d kernel pair."""
    return sdr(k1[None, :], k2[None, :], averaging)


def sdr2d(k1: np.ndarray, k2: np.ndarray, averaging: str = "nonzero") -> float:
    return sdr(k1, k2, averaging)


def batch(kernel: np.ndarray, samples: np.ndarray, averaging: str = "nonzero") -> float:
    """Eq. (23): the kernel against the samples' mean power spectrum."""
    pk = np.abs(np.fft.fft2(kernel)) ** 2
    ps = np.mean([np.abs(np.fft.fft2(v)) ** 2 for v in samples], axis=0)
    joint = mean_nonzero(pk * ps, joint=True, averaging=averaging)
    return ratio(joint, mean_nonzero(pk, normaliser(pk), averaging=averaging), mean_nonzero(ps, averaging=averaging))


def strided(
    filt: np.ndarray, samples: np.ndarray, s: int, averaging: str = "nonzero", grid: str = "upsampled"
) -> float:
    """Eq. (24): the n × n filter against the activation power on the up-sampled grid (or the maps' own)."""
    n = filt.shape[0]
    m = n // s
    pf = np.abs(np.fft.fft2(filt)) ** 2
    u = np.arange(n)
    index = (s * u) % m if BUG == "upsampling-index" else u % m
    native = np.mean([np.abs(np.fft.fft2(x)) ** 2 for x in samples], axis=0)
    px = native[np.ix_(index, index)]
    joint = mean_nonzero(pf * px, joint=True, averaging=averaging)
    activation = px if grid == "upsampled" or BUG == "ignores-grid" else native
    if activation.size == 1 and averaging == "nonzero":
        raise UndefinedSDR("SDR undefined: a native grid of one point has no non-zero frequency")
    return ratio(joint, mean_nonzero(pf, normaliser(pf), averaging=averaging), mean_nonzero(activation, averaging=averaging))


def layer(
    weights: np.ndarray, activations: np.ndarray, s: int, averaging: str = "nonzero", grid: str = "upsampled"
) -> np.ndarray:
    """The [Cout, Cin] matrix of strided SDRs: filter W[o, c] zero-padded to the n x n output map."""
    cout, cin, h, w = weights.shape
    n0, n1 = s * activations.shape[2], s * activations.shape[3]
    out = np.zeros((cout, cin))
    for o in range(cout):
        for c in range(cin):
            padded = np.zeros((n0, n1))
            padded[:h, :w] = weights[o, c]
            out[o, c] = strided(padded, activations[:, c], s, averaging, grid)
    return out


if __name__ == "__main__":
    serve(sdr1d=sdr1d, sdr2d=sdr2d, batch=batch, strided=strided, layer=layer)
