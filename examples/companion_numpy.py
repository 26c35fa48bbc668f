#!/usr/bin/env python3
"""numpy estimators of the companion papers' scores for `oracle fuzz` (see docs/fuzzing.md, "Companion scores").

    oracle fuzz --exec "python3 examples/companion_numpy.py" --task ic-scores
    oracle fuzz --exec "python3 examples/companion_numpy.py" --task cage-scores
    oracle fuzz --exec "python3 examples/companion_numpy.py --bug sample-std" --task ic-scores

The protocol loop is python/oracle_protocol.py's `serve`: this file holds only the scores, written as the
papers print them. Without --bug it is correct. Each --bug plants one classic mistake:
  sample-std         002: sigma_i with ddof=1 (the sample std) instead of the population std of the response
  printed-index      002: U read at the response index i, as printed (zero off the diagonal: INV undefined there)
  unnormalised       004: the do-operation moves z by alpha*w instead of alpha*w/|w| (h not a unit normal)
  signed-delta       004: delta tau = GATE(c->e) - GATE(e->c), without the absolute values of eq. (7)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
from oracle_protocol import UndefinedScore, serve  # noqa: E402

BUGS = ("sample-std", "printed-index", "unnormalised", "signed-delta")
BUG = sys.argv[sys.argv.index("--bug") + 1] if "--bug" in sys.argv else None
if BUG is not None and BUG not in BUGS:
    sys.exit(f"unknown --bug {BUG}; the bugs are {', '.join(BUGS)}")


def ic_scores(matrix, offset, prior, xblock, interventions):
    """002, §2.1: INV[m, i], EQV[m, i], SCN[i], L_INV, L_EQV of R(N) = A N + b over the prior samples N^k.

    U_{I_m} = E_N |N_m - v| (read at the intervened index m), sigma_i the population std of R(N)_i,
    the XBlock Z_i = L_ii x_i + sum_{j<i} L_ij Z_j, the losses over i != m divided by n K (Alg. 1-2).
    """
    n, k = len(offset), len(prior)

    def respond(x):
        return x @ matrix.T + offset

    def causes(x):
        z = np.zeros_like(x)
        for i in range(n):
            z[:, i] = xblock[i, i] * x[:, i] + z[:, :i] @ xblock[i, :i]
        return z

    r = respond(prior)
    sigma = r.std(axis=0, ddof=1 if BUG == "sample-std" else 0)
    if np.any(sigma == 0):
        raise UndefinedScore("a constant response dimension: sigma_i = 0")
    inv, eqv = np.zeros((n, n)), np.zeros((n, n))
    losses_inv, losses_eqv = [], []
    others = lambda m: [i for i in range(n) if i != m]  # noqa: E731
    for m in range(n):
        e_inv, e_eqv = [], []
        for v in interventions[:, m]:
            intervened = prior.copy()
            intervened[:, m] = v
            magnitude = np.abs(prior - intervened).mean(axis=0)
            u = magnitude if BUG == "printed-index" else magnitude[m]
            if np.any(u == 0):
                raise UndefinedScore(f"the intervention N_{m} <- {v} changes no prior sample: U = 0")
            r_tilde = respond(intervened)
            r_hat = r.copy()
            r_hat[:, m] = v
            d_inv = np.abs(r - r_tilde)
            d_eqv = np.abs(causes(r_hat) - causes(r_tilde))
            e_inv.append(d_inv.mean(axis=0) / (u * sigma))
            e_eqv.append(d_eqv.mean(axis=0) / u)
            losses_inv.append(d_inv[:, others(m)].sum() / (n * k))
            losses_eqv.append(d_eqv[:, others(m)].sum() / (n * k))
        inv[m] = 1 - np.mean(e_inv, axis=0)
        eqv[m] = 1 - np.mean(e_eqv, axis=0)
    scn = 1 - np.abs(r - prior).mean(axis=0) / sigma
    return {"inv": inv, "eqv": eqv, "scn": scn, "l_inv": np.mean(losses_inv), "l_eqv": np.mean(losses_eqv)}


def cage_scores(wc, bc, we, be, z, alpha):
    """004, eqs. (5)-(7) with logit classifiers phi(z) = w.z + b: GATE both ways and delta tau.

    GITE(i) = phi_e(z + alpha h_c) - phi_e(z) where the factual m_c = [phi_c(z) > 0] is 0, and
    phi_e(z) - phi_e(z - alpha h_c) where it is 1; h_c = w_c / |w_c|.
    """

    def gate(w, b, w2, b2):
        norm = np.linalg.norm(w)
        if norm == 0:
            raise UndefinedScore("a zero normal w: no do-operation direction")
        h = w if BUG == "unnormalised" else w / norm
        here = z @ w2 + b2
        treated = ((z + alpha * h) @ w2 + b2) - here
        untreated = here - ((z - alpha * h) @ w2 + b2)
        factual = z @ w + b > 0
        return np.where(factual, untreated, treated).mean()

    forward, backward = gate(wc, bc, we, be), gate(we, be, wc, bc)
    delta = forward - backward if BUG == "signed-delta" else abs(forward) - abs(backward)
    return {"gate_ce": forward, "gate_ec": backward, "delta_tau": delta}


if __name__ == "__main__":
    serve(ic_scores=ic_scores, cage_scores=cage_scores)
