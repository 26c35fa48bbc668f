#!/usr/bin/env python3
"""Writes .npy files of every dtype the oracle reads, with the values it must read back.

    python3 make_fixtures.py OUTDIR          # every dtype × byte order × memory order (needs numpy)
    python3 make_fixtures.py OUTDIR --small  # the few files committed beside this script

Each file NAME.npy holds a [2, 3, 4] array (a [3, 1, 1, 1] one for the 1×1-kernel case); expected.json maps
NAME to {"shape": [...], "values": [float.hex() of each value in C order], "rawBFloat16": bool}. Every value
is chosen so that a float64 holds it exactly, so the reader must return exactly these values.
bfloat16 comes in two forms: ml_dtypes' (descr '<V2', when ml_dtypes is installed) and the raw one, the
bit patterns saved as uint16 or int16 (read with --raw-bfloat16).
"""

import json
import sys
from pathlib import Path

import numpy as np

SHAPE = (2, 3, 4)


def values_for(kind: str, width: int, rng: np.random.Generator) -> np.ndarray:
    """24 values of the dtype, with its extremes."""
    if kind == "f":
        dtype = {2: np.float16, 4: np.float32, 8: np.float64}[width]
        info = np.finfo(dtype)
        special = [info.max, -info.max, info.smallest_subnormal, -info.tiny, 0.5, -0.0, 1.0, 3.0]
        rest = rng.standard_normal(24 - len(special)) * 100
        return np.array(special + list(rest)).astype(dtype)
    if kind == "b":
        return rng.integers(0, 2, 24).astype(np.bool_)
    dtype = np.dtype(f"{kind}{width}")
    info = np.iinfo(dtype)
    top = int(info.max) if width < 8 else (1 << 62) + (1 << 10 if kind == "i" else 1 << 11)
    special = [int(info.min), top, 0, 1]
    if kind == "i":
        special += [-1]
    rest = rng.integers(max(int(info.min), -1000), min(int(info.max), 1000), 24 - len(special))
    return np.array(special + [int(v) for v in rest], dtype=object).astype(dtype)


def bfloat16_bits(rng: np.random.Generator) -> np.ndarray:
    """24 bfloat16 values as float32 (the top 16 bits of each), with the largest finite and a subnormal."""
    special = np.array([3.3895313892515355e38, -1.0, 2.0 ** -133, 0.5, 0.0], dtype=np.float32)
    rest = (rng.standard_normal(19) * 100).astype(np.float32)
    full = np.concatenate([special, rest]).view(np.uint32) & np.uint32(0xFFFF0000)
    return full.view(np.float32)


def expected(array: np.ndarray, raw: bool = False) -> dict:
    flat = np.ascontiguousarray(array).astype(np.float64).reshape(-1)
    return {"shape": list(array.shape), "values": [float(v).hex() for v in flat], "rawBFloat16": raw}


def write(out: Path, name: str, array: np.ndarray, values: np.ndarray, table: dict, raw: bool = False) -> None:
    np.save(out / f"{name}.npy", array)
    table[name] = expected(values, raw)


def main() -> None:
    out = Path(sys.argv[1])
    small = "--small" in sys.argv[2:]
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(15)
    table: dict = {}
    kinds = [("f", 2), ("f", 4), ("f", 8), ("b", 1)]
    kinds += [(k, w) for k in "iu" for w in (1, 2, 4, 8)]
    for kind, width in kinds:
        base = values_for(kind, width, rng).reshape(SHAPE)
        orders = ["|"] if width == 1 else ["<", ">"]
        for order in orders:
            typed = base.astype(np.dtype(f"{order}{kind}{width}"))
            for memory in ("C", "F"):
                if small and (kind, width, order, memory) not in {
                    ("f", 2, ">", "F"), ("u", 2, "<", "C"), ("i", 8, ">", "C"), ("f", 4, "<", "F"),
                }:
                    continue
                array = np.asfortranarray(typed) if memory == "F" else np.ascontiguousarray(typed)
                write(out, f"{kind}{width}-{'le' if order == '<' else 'be' if order == '>' else 'na'}-{memory}",
                      array, base, table)
    # bfloat16: the raw bit patterns as uint16 and int16 (both byte orders), and ml_dtypes' '<V2'.
    floats = bfloat16_bits(rng).reshape(SHAPE)
    bits = (floats.view(np.uint32) >> np.uint32(16)).astype(np.uint16)
    forms = [("bf16-raw-u2-le-C", bits.astype("<u2")), ("bf16-raw-i2-be-F", np.asfortranarray(bits.view("<i2").astype(">i2")))]
    for name, array in forms:
        if not small or name == "bf16-raw-u2-le-C":
            write(out, name, array, floats, table, raw=True)
    try:
        import ml_dtypes  # noqa: PLC0415 - optional

        write(out, "bf16-V2-C", floats.astype(ml_dtypes.bfloat16), floats, table)
        if not small:
            write(out, "bf16-V2-F", np.asfortranarray(floats.astype(ml_dtypes.bfloat16)), floats, table)
    except ImportError:
        pass
    # The README's old one-liner on a 1×1 kernel: a transposed view, which numpy saves in Fortran order.
    weight = (np.arange(3, dtype=np.float32) - 1.25).reshape(1, 3, 1, 1)
    write(out, "torch-1x1-transposed", weight.transpose(1, 0, 2, 3), weight.transpose(1, 0, 2, 3), table)
    (out / "expected.json").write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
