#!/usr/bin/env python3
"""PyTorch estimators of the companion papers' scores for `oracle fuzz`, vectorised over the interventions.

    oracle fuzz --exec "python3 examples/companion_torch.py" --task ic-scores --startup-timeout 30
    oracle fuzz --exec "python3 examples/companion_torch.py" --task cage-scores --startup-timeout 30
    oracle fuzz --exec "python3 examples/companion_torch.py --float32" --task cage-scores --precision 32

The same scores as examples/companion_numpy.py (docs/fuzzing.md, "Companion scores"), written the way a PyTorch
evaluation would batch them: every intervention (m, v) at once as a tensor [n, V, K, n]. float64 by default;
--float32 computes in single precision, to be judged with --precision 32.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
from oracle_protocol import UndefinedScore, serve  # noqa: E402

DTYPE = torch.float32 if "--float32" in sys.argv else torch.float64


def tensor(x):
    return torch.as_tensor(x, dtype=DTYPE)


def ic_scores(matrix, offset, prior, xblock, interventions):
    """002, §2.1: INV, EQV [n (m), n (i)], SCN [n], L_INV, L_EQV; U read at m, sigma the population std."""
    a, b, noise, lower, values = map(tensor, (matrix, offset, prior, xblock, interventions))
    n, k = b.shape[0], noise.shape[0]
    eye = torch.eye(n, dtype=DTYPE)
    keep, put = (1 - eye)[:, None, None, :], eye[:, None, None, :]
    per_m = values.T[:, :, None, None]  # v for every (m, j), broadcast over the samples and the entries

    def respond(x):
        return x @ a.T + b

    def causes(x):
        z = torch.zeros_like(x)
        for i in range(n):
            z[..., i] = lower[i, i] * x[..., i] + z[..., :i] @ lower[i, :i]
        return z

    r = respond(noise)
    sigma = r.std(dim=0, correction=0)
    if (sigma == 0).any():
        raise UndefinedScore("a constant response dimension: sigma_i = 0")
    u = (noise.T[:, None, :] - values.T[:, :, None]).abs().mean(dim=2)  # [n (m), V]
    if (u == 0).any():
        raise UndefinedScore("an intervention that changes no prior sample: U = 0")
    intervened = noise[None, None] * keep + per_m * put  # N with N_m <- v: [n, V, K, n]
    r_tilde = respond(intervened)
    d_inv = (r[None, None] - r_tilde).abs()
    d_eqv = (causes(r[None, None] * keep + per_m * put) - causes(r_tilde)).abs()
    inv = 1 - (d_inv.mean(dim=2) / (u[:, :, None] * sigma)).mean(dim=1)
    eqv = 1 - (d_eqv.mean(dim=2) / u[:, :, None]).mean(dim=1)
    scn = 1 - (r - noise).abs().mean(dim=0) / sigma
    off = keep  # i != m

    def loss(d):
        return ((d * off).sum(dim=(2, 3)) / (n * k)).mean()

    return {"inv": inv, "eqv": eqv, "scn": scn, "l_inv": loss(d_inv), "l_eqv": loss(d_eqv)}


def cage_scores(wc, bc, we, be, z, alpha):
    """004, eqs. (5)-(7) with logit classifiers: GATE(c->e), GATE(e->c), delta tau."""
    wc, we, z = map(tensor, (wc, we, z))

    def gate(w, b, w2, b2):
        norm = torch.linalg.vector_norm(w)
        if norm == 0:
            raise UndefinedScore("a zero normal w: no do-operation direction")
        step = alpha * (w / norm)
        here = z @ w2 + b2
        treated, untreated = ((z + step) @ w2 + b2) - here, here - ((z - step) @ w2 + b2)
        return torch.where(z @ w + b > 0, untreated, treated).mean()

    forward, backward = gate(wc, bc, we, be), gate(we, be, wc, bc)
    return {"gate_ce": forward, "gate_ec": backward, "delta_tau": forward.abs() - backward.abs()}


if __name__ == "__main__":
    serve(ic_scores=ic_scores, cage_scores=cage_scores)
