#!/usr/bin/env python3
"""A numpy SDR estimator speaking the oracle's JSON-lines protocol (see README, "Fuzzing estimators").

    oracle fuzz --exec "python3 examples/sdr_numpy.py" --task sdr1d
    oracle fuzz --exec "python3 examples/sdr_numpy.py --bug zero-frequency" --task sdr1d

Without --bug it is correct. Each --bug plants one classic mistake:
  zero-frequency   averages include the zero frequency (the paper's <.> excludes it)
  normalisation    divides the kernel's average power by N instead of N - 1 (a 1/d slip)
  upsampling-index reads x̂(s·u mod m) instead of x̂(u mod m) in eq. (24) (the wrong up-sampling index)
"""
import json
import sys

import numpy as np

BUG = sys.argv[sys.argv.index("--bug") + 1] if "--bug" in sys.argv else None


class Undefined(Exception):
    pass


def mean_nonzero(power, normaliser=None):
    """Mean over the non-zero frequencies (or all of them with the zero-frequency bug)."""
    flat = power.reshape(-1)
    if BUG == "zero-frequency":
        return flat.mean()
    return flat[1:].sum() / (normaliser if normaliser is not None else flat.size - 1)


def ratio(joint, first, second):
    if first == 0 or second == 0:
        raise Undefined("SDR undefined: a kernel has no power at the non-zero frequencies")
    return joint / (first * second)


def sdr(k1, k2):
    p1, p2 = np.abs(np.fft.fft2(k1)) ** 2, np.abs(np.fft.fft2(k2)) ** 2
    n = p1.size
    first = mean_nonzero(p1, n if BUG == "normalisation" else None)
    return ratio(mean_nonzero(p1 * p2), first, mean_nonzero(p2))


def batch(kernel, samples):
    pk = np.abs(np.fft.fft2(kernel)) ** 2
    ps = np.mean([np.abs(np.fft.fft2(v)) ** 2 for v in samples], axis=0)
    n = pk.size
    return ratio(mean_nonzero(pk * ps), mean_nonzero(pk, n if BUG == "normalisation" else None), mean_nonzero(ps))


def strided(filt, samples, s):
    n = filt.shape[0]
    m = n // s
    pf = np.abs(np.fft.fft2(filt)) ** 2
    u = np.arange(n)
    index = (s * u) % m if BUG == "upsampling-index" else u % m
    px = np.mean([(np.abs(np.fft.fft2(x)) ** 2)[np.ix_(index, index)] for x in samples], axis=0)
    return ratio(mean_nonzero(pf * px), mean_nonzero(pf, pf.size if BUG == "normalisation" else None), mean_nonzero(px))


def layer(weights, activations, s):
    """The [Cout, Cin] matrix of strided SDRs: filter W[o, c] zero-padded to the n x n output map."""
    cout, cin, h, w = weights.shape
    n0, n1 = s * activations.shape[2], s * activations.shape[3]
    out = np.zeros((cout, cin))
    for o in range(cout):
        for c in range(cin):
            padded = np.zeros((n0, n1))
            padded[:h, :w] = weights[o, c]
            out[o, c] = strided(padded, list(activations[:, c]), s)
    return out.tolist()


def answer(request):
    task = request["task"]
    if task == "sdr1d":
        return sdr(np.array(request["k1"])[None, :], np.array(request["k2"])[None, :])
    shape = tuple(request.get("shape", ()))
    if task == "sdr2d":
        return sdr(np.array(request["k1"]).reshape(shape), np.array(request["k2"]).reshape(shape))
    if task == "batch":
        return batch(np.array(request["kernel"]).reshape(shape), [np.array(v).reshape(shape) for v in request["samples"]])
    if task == "strided":
        s = request["stride"]
        small = (shape[0] // s, shape[1] // s)
        return strided(np.array(request["filter"]).reshape(shape), [np.array(x).reshape(small) for x in request["samples"]], s)
    if task == "layer":
        weights = np.array(request["weights"]).reshape(request["weights_shape"])
        activations = np.array(request["activations"]).reshape(request["activations_shape"])
        return layer(weights, activations, request["stride"])
    raise Undefined("unknown task " + task)


for line in sys.stdin:
    request = json.loads(line)
    try:
        value = answer(request)
        reply = {"id": request["id"], "value": value if isinstance(value, list) else float(value)}
    except Undefined as error:
        reply = {"id": request["id"], "error": str(error)}
    print(json.dumps(reply), flush=True)
