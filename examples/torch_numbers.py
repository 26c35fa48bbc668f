#!/usr/bin/env python3
"""The numbers of docs/pytorch.md, "What the numbers mean": one layer of the recipe's generator, four ways.

    python3 examples/torch_numbers.py [--layer 3] [--batch 64] [--seed 0] [--oracle PATH]

1. The conventions: `oracle layer` with the defaults, --native-grid, --all-frequencies, each on the captured
   activations and on the activations with each map's spatial mean removed.
2. The circular model against the real layer: for every pair (o, c), the SDR of eq. (24) against the same ratio
   with the numerator measured on the output of torch's conv_transpose2d (padding 1, cropped to n×n), and on
   that output folded circularly (which is the circular model, exactly).
3. The zero-frequency aliases: the share of the activations' average power on the up-sampled grid's non-zero
   frequencies that sits on the s² − 1 aliases of the zero frequency.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "python"))
sys.path.insert(0, HERE)
from oracle_torch import analyze, capture_inputs  # noqa: E402
from torch_layer import Generator  # noqa: E402


def ratio(output_power: np.ndarray, kernel_power: np.ndarray, up_power: np.ndarray, mask: np.ndarray) -> float:
    """⟨P_y⟩ / (⟨|ŵ|²⟩ ⟨P_up⟩) over the frequencies of `mask`."""
    return output_power[mask].mean() / (kernel_power[mask].mean() * up_power[mask].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layer", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oracle", default=None)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    model = Generator().eval()
    layer = model.main[args.layer]
    x = capture_inputs(model, layer, torch.randn(args.batch, 32, 1, 1)).double()
    w = layer.weight.detach().double()  # [Cin, Cout, h, h]
    s, p = layer.stride[0], layer.padding[0]
    b, cin, m, _ = x.shape
    cout, h = w.shape[1], w.shape[2]
    n = s * m
    print(f"model.main[{args.layer}]: ConvTranspose2d({cin}, {cout}, {h}, stride {s}, padding {p}); "
          f"input [{b}, {cin}, {m}, {m}], output n = {n}")

    # 1. The conventions, with and without the mean.
    print(f"\n{'convention':<30}{'mean removed':>13}{'mean SDR':>10}{'median':>8}{'above 1':>9}"
          f"{'change from the default (median, per pair)':>44}")
    default = None
    for removed in (False, True):
        for name, options in (("up-sampled grid (default)", {}), ("--native-grid", {"native_grid": True}),
                              ("--all-frequencies", {"all_frequencies": True})):
            r = analyze(layer, x, remove_mean=removed, oracle=args.oracle, **options)
            matrix = np.array(r["sdr"], dtype=float)
            if default is None:
                default = matrix
            change = np.median(np.abs(matrix - default) / default)
            print(f"{name:<30}{'yes' if removed else 'no':>13}{r['mean']:10.4f}{r['median']:8.4f}"
                  f"{r['aboveOne'] / r['definedPairs']:9.1%}{change:44.1%}")

    # 2. The circular model against the padded, cropped layer.
    mask = np.ones((n, n), bool)
    mask[0, 0] = False
    maps = np.abs(np.fft.fft2(x.numpy())) ** 2  # [B, Cin, m, m]
    up = np.tile(maps.mean(axis=0), (1, s, s))  # P_c(u mod m) on the n-grid: [Cin, n, n]
    full = (m - 1) * s + h  # the uncropped output size
    circular_sdr, cropped_sdr, folded_gap = [], [], 0.0
    for c in range(cin):
        # The outputs of every pair (c, o): [B, Cout, ·, ·], uncropped and as the layer crops them.
        whole = F.conv_transpose2d(x[:, c:c + 1], w[c:c + 1], stride=s).numpy()
        cropped = F.conv_transpose2d(x[:, c:c + 1], w[c:c + 1], stride=s, padding=p).numpy()
        folded = np.zeros((b, cout, n, n))
        for i in range(full):
            for j in range(full):
                folded[:, :, i % n, j % n] += whole[:, :, i, j]
        kernel = np.zeros((cout, n, n))
        kernel[:, :h, :h] = w[c].numpy()
        kernel_power = np.abs(np.fft.fft2(kernel)) ** 2  # [Cout, n, n]
        for o in range(cout):
            model_power = kernel_power[o] * up[c]
            folded_power = (np.abs(np.fft.fft2(folded[:, o])) ** 2).mean(axis=0)
            cropped_power = (np.abs(np.fft.fft2(cropped[:, o])) ** 2).mean(axis=0)
            scale = max(model_power.max(), 1e-300)
            folded_gap = max(folded_gap, np.abs(folded_power - model_power).max() / scale)
            circular_sdr.append(ratio(model_power, kernel_power[o], up[c], mask))
            cropped_sdr.append(ratio(cropped_power, kernel_power[o], up[c], mask))
    circular_sdr, cropped_sdr = np.array(circular_sdr), np.array(cropped_sdr)
    difference = np.abs(cropped_sdr - circular_sdr) / circular_sdr
    print(f"\ncircular model: the folded output's spectrum equals |ŵ|²·P_up to {folded_gap:.1e} (relative)")
    print(f"padded, cropped layer against the circular model, over {len(circular_sdr)} pairs: "
          f"relative difference median {np.median(difference):.1%}, 90th percentile "
          f"{np.quantile(difference, 0.9):.1%}; mean SDR {cropped_sdr.mean():.4f} (cropped) against "
          f"{circular_sdr.mean():.4f} (circular)")

    # 3. The aliases of the zero frequency on the up-sampled grid.
    aliases = np.zeros((n, n), bool)
    aliases[::m, ::m] = True
    aliases[0, 0] = False
    share = up[:, aliases].sum(axis=1) / up[:, mask].sum(axis=1)
    print(f"\nzero-frequency aliases: {aliases.sum()} of the {n * n - 1} non-zero frequencies of the {n}×{n} grid "
          f"hold {np.median(share):.1%} of the activation power there (median over channels; "
          f"{share.min():.1%} to {share.max():.1%})")
    print(f"activation mean over the batch: {x.mean().item():.4f}, "
          f"share of zeros (ReLU): {(x == 0).double().mean().item():.1%}")


if __name__ == "__main__":
    main()
