"""Run ``oracle layer`` on a PyTorch ``nn.ConvTranspose2d``: capture its input, write the files, read the result.

The strided SDR (eq. 24 of Besserve et al., AAAI-21) of every (output channel, input channel) pair of a
conv-transpose layer needs the layer's weight and a batch of the activations that enter it. This module
gets both from a model and hands them to the oracle::

    import torch
    from oracle_torch import analyze, capture_inputs

    model = ...                               # any nn.Module holding the layer
    layer = model.main[3]                     # an nn.ConvTranspose2d
    x = capture_inputs(model, layer, torch.randn(64, 100, 1, 1))   # the layer's input, by a forward hook
    result = analyze(layer, x, svg="sdr.svg")                      # oracle layer --layout torch ... --json
    print(result["mean"], result["undefinedPairs"])

What it takes care of:

* **the layout.** PyTorch stores a ConvTranspose2d weight as ``[Cin, Cout, h, w]``; the file is written as
  it is and read with ``--layout torch``, so nothing is transposed by hand (a transposed view would be saved
  in Fortran order, which the oracle reads too, but need not).
* **the dtype.** float64, float32 and float16 tensors are saved as they are; bfloat16 (which numpy lacks) as
  float32, exactly. Every value reaches the oracle unrounded.
* **the stride** is read off the layer (``layer.stride``, square); the padding, output padding and
  cropping of the real layer are not part of eq. (24)'s circular model (docs/pytorch.md says what that
  changes).
* **the oracle binary**: ``ORACLE`` from the environment, else the package's ``.build/release/oracle``, else
  ``.build/debug/oracle``, else ``oracle`` on the PATH.

:func:`analyze` returns the parsed ``--json`` object of ``oracle layer`` (docs/command-line.md): the
``[Cout, Cin]`` matrix ``"sdr"`` (``None`` where a pair is undefined), ``"mean"``, ``"median"``,
``"histogram"``, ``"undefined"`` with the reasons, ``"layoutAmbiguous"`` … Needs torch and numpy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Union

import numpy as np

__all__ = ["OracleError", "analyze", "capture_inputs", "find_oracle", "save_array", "write_layer_files"]

#: The package root (this file is python/oracle_torch.py).
ROOT = Path(__file__).resolve().parents[1]


class OracleError(RuntimeError):
    """``oracle layer`` refused the input (exit status 2) or could not be run; the message is its error."""


def find_oracle() -> str:
    """The oracle executable: $ORACLE, the release build, the debug build, or ``oracle`` on the PATH."""
    named = os.environ.get("ORACLE")
    if named:
        return named
    for build in ("release", "debug"):
        candidate = ROOT / ".build" / build / "oracle"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("oracle")
    if found:
        return found
    raise OracleError("no oracle binary: build it (swift build -c release --product oracle) or set ORACLE=PATH")


def _numpy(array: Any) -> np.ndarray:
    """A C-ordered numpy array holding exactly the values of a tensor or array (bfloat16 widened to float32)."""
    try:
        import torch  # noqa: PLC0415 - optional until a tensor is given

        if isinstance(array, torch.Tensor):
            tensor = array.detach().cpu()
            if tensor.dtype == torch.bfloat16:
                tensor = tensor.to(torch.float32)  # exact: bfloat16 is the top half of a float32
            array = tensor.numpy()
    except ImportError:  # pragma: no cover - depends on the environment
        pass
    return np.ascontiguousarray(np.asarray(array))


def save_array(path: Union[str, Path], array: Any) -> str:
    """Saves a tensor or array as a C-ordered ``.npy`` file the oracle reads exactly; returns the path."""
    np.save(str(path), _numpy(array))
    return str(path)


def capture_inputs(model: Any, layer: Any, *inputs: Any, **keywords: Any) -> Any:
    """The input of ``layer`` when ``model(*inputs, **keywords)`` runs, captured by a forward hook.

    Runs the model once under ``torch.no_grad()``; raises ``ValueError`` when the layer is not called.
    The first call of the layer is the one captured.
    """
    import torch  # noqa: PLC0415

    captured = []

    def hook(_module: Any, args: Sequence[Any], _output: Any) -> None:
        if not captured:
            captured.append(args[0].detach().clone())

    handle = layer.register_forward_hook(hook)
    try:
        with torch.no_grad():
            model(*inputs, **keywords)
    finally:
        handle.remove()
    if not captured:
        raise ValueError("the layer was not called when the model ran: is it part of the model?")
    return captured[0]


def _weight_and_stride(layer_or_weight: Any, stride: Optional[int]) -> "tuple[Any, int]":
    """The weight [Cin, Cout, h, w] and the stride of a ConvTranspose2d, or a weight and the stride given."""
    weight = getattr(layer_or_weight, "weight", None)
    if weight is None:
        if stride is None:
            raise ValueError("a bare weight needs stride=s (a ConvTranspose2d layer gives its own)")
        return layer_or_weight, stride
    layer = layer_or_weight
    if type(layer).__name__ != "ConvTranspose2d":
        raise ValueError(f"{type(layer).__name__} is not an nn.ConvTranspose2d: pass its weight and stride=s")
    if getattr(layer, "groups", 1) != 1 or tuple(getattr(layer, "dilation", (1, 1))) != (1, 1):
        raise ValueError("eq. (24) models a dense layer: groups = 1 and dilation = 1 are needed")
    rows, columns = layer.stride
    if rows != columns:
        raise ValueError(f"the stride {layer.stride} is not square; eq. (24) has one up-sampling factor")
    if stride is not None and stride != rows:
        raise ValueError(f"stride={stride} but the layer's stride is {rows}")
    return weight, rows


def write_layer_files(
    layer_or_weight: Any, activations: Any, directory: Union[str, Path], *, remove_mean: bool = False
) -> "tuple[str, str]":
    """Writes ``W.npy`` (the weight as PyTorch stores it, [Cin, Cout, h, w]) and ``X.npy`` (the activations
    [B, Cin, m, m]) into ``directory``; ``remove_mean`` subtracts each map's spatial mean first."""
    weight = getattr(layer_or_weight, "weight", layer_or_weight)
    x = _numpy(activations)
    if x.ndim != 4:
        raise ValueError(f"activations must be [B, Cin, m, m], got shape {list(x.shape)}")
    if remove_mean:
        x = np.ascontiguousarray(x.astype(np.float64) - x.astype(np.float64).mean(axis=(2, 3), keepdims=True))
    directory = Path(directory)
    return save_array(directory / "W.npy", weight), save_array(directory / "X.npy", x)


def analyze(
    layer_or_weight: Any,
    activations: Any,
    *,
    stride: Optional[int] = None,
    svg: Optional[Union[str, Path]] = None,
    csv: Optional[Union[str, Path]] = None,
    all_frequencies: bool = False,
    native_grid: bool = False,
    remove_mean: bool = False,
    bins: Optional[Sequence[float]] = None,
    oracle: Optional[str] = None,
    directory: Optional[Union[str, Path]] = None,
) -> Dict[str, Any]:
    """``oracle layer --layout torch --json`` on a ConvTranspose2d (or its weight [Cin, Cout, h, w] and
    ``stride``) and a batch of its input activations [B, Cin, m, m]; returns the parsed JSON.

    ``svg``/``csv`` write the histogram and the matrix; ``all_frequencies`` and ``native_grid`` select the
    other averaging conventions; ``remove_mean`` subtracts each activation map's spatial mean (docs/pytorch.md
    says when that matters); ``directory`` keeps W.npy and X.npy there (default: a temporary directory).
    Raises :class:`OracleError` with the oracle's message when it refuses the input.
    """
    _, s = _weight_and_stride(layer_or_weight, stride)
    with tempfile.TemporaryDirectory(prefix="oracle-layer-") as scratch:
        where = Path(directory) if directory is not None else Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        w, x = write_layer_files(layer_or_weight, activations, where, remove_mean=remove_mean)
        command = [oracle or find_oracle(), "layer", "--weights", w, "--layout", "torch", "--activations", x,
                   "--stride", str(s), "--json"]
        if all_frequencies:
            command.append("--all-frequencies")
        if native_grid:
            command.append("--native-grid")
        if bins is not None:
            command += ["--bins", ",".join(repr(float(edge)) for edge in bins)]
        if svg is not None:
            command += ["--svg", str(svg)]
        if csv is not None:
            command += ["--csv", str(csv)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise OracleError(f"cannot run {command[0]}: {error}") from error
    if done.returncode != 0:
        raise OracleError(done.stderr.strip() or f"oracle layer exited with status {done.returncode}")
    return json.loads(done.stdout)
