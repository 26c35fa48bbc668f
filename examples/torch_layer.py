#!/usr/bin/env python3
"""From an nn.Module to the SVG histogram of its layer's SDRs (docs/pytorch.md, "The recipe").

    python3 examples/torch_layer.py [--svg sdr.svg] [--layer 3] [--batch 64] [--seed 0] [--oracle PATH]

A DCGAN-like generator (ConvTranspose2d, k = 4, s = 2, p = 1, BatchNorm, ReLU), seeded. The input of one of its
conv-transpose layers is captured with a forward hook; python/oracle_torch.py writes the weight (as PyTorch
stores it, [Cin, Cout, h, w]) and the activations, runs `oracle layer --layout torch --json --svg`, and the
summary is printed. Needs torch and numpy, and the oracle (ORACLE=PATH, or the package's .build).
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
from oracle_torch import analyze, capture_inputs  # noqa: E402


class Generator(nn.Module):
    """DCGAN's generator at a small width: a 1×1 code up to a 32×32 image."""

    def __init__(self, code: int = 32, width: int = 16) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(code, width * 4, 4, 1, 0, bias=False),  # 1 → 4
            nn.BatchNorm2d(width * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(width * 4, width * 2, 4, 2, 1, bias=False),  # 4 → 8
            nn.BatchNorm2d(width * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(width * 2, width, 4, 2, 1, bias=False),  # 8 → 16
            nn.BatchNorm2d(width),
            nn.ReLU(True),
            nn.ConvTranspose2d(width, 3, 4, 2, 1, bias=False),  # 16 → 32
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.main(z)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--svg", default="sdr.svg", help="where to write the histogram")
    parser.add_argument("--layer", type=int, default=3, help="index of the ConvTranspose2d in model.main")
    parser.add_argument("--batch", type=int, default=64, help="codes in the batch")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed")
    parser.add_argument("--oracle", default=None, help="the oracle binary (default: $ORACLE or the package's)")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    model = Generator().eval()
    layer = model.main[args.layer]
    z = torch.randn(args.batch, 32, 1, 1)

    x = capture_inputs(model, layer, z)  # the layer's input [B, Cin, m, m], by a forward hook
    result = analyze(layer, x, svg=args.svg, oracle=args.oracle)

    cin, cout = layer.in_channels, layer.out_channels
    print(f"model.main[{args.layer}]: ConvTranspose2d({cin}, {cout}, {layer.kernel_size[0]}, "
          f"stride {layer.stride[0]}), input {list(x.shape)}")
    print(f"{result['definedPairs']} of {cout * cin} pairs defined: mean SDR {result['mean']:.4f}, "
          f"median {result['median']:.4f}, {result['aboveOne']} above 1")
    for pair in result["undefined"][:5]:
        print(f"  undefined (out {pair['out']}, in {pair['in']}): {pair['reason']}")
    if result["layoutAmbiguous"]:
        print("  (Cin = Cout: the weight was read as PyTorch's [Cin, Cout, h, w], --layout torch)")
    print(f"histogram written to {args.svg}")


if __name__ == "__main__":
    main()
