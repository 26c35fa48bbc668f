"""Tests of python/oracle_torch.py and of the recipe examples/torch_layer.py (docs/pytorch.md).

    python3 -m pytest -q python/tests

Skipped without torch (and numpy). The tests that run the oracle use $ORACLE, else the package's release or
debug build, and skip when there is none (ORACLE= with an empty value skips them, as in
test_oracle_protocol.py); Tests/Properties/TorchRecipeTests.swift runs the recipe from `swift test`.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="needs numpy")
torch = pytest.importorskip("torch", reason="needs torch (pip install torch)")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import oracle_torch as ot  # noqa: E402


def oracle_binary() -> str:
    """The oracle to run, or '' (skip)."""
    if "ORACLE" in os.environ:
        return os.environ["ORACLE"]
    for build in ("release", "debug"):
        candidate = ROOT / ".build" / build / "oracle"
        if candidate.is_file():
            return str(candidate)
    return ""


ORACLE = oracle_binary()
needs_oracle = pytest.mark.skipif(not ORACLE, reason="needs the oracle: swift build -c release --product oracle")


def test_the_weight_is_written_as_pytorch_stores_it_in_c_order(tmp_path: Path) -> None:
    layer = torch.nn.ConvTranspose2d(3, 5, 1, stride=2)
    w, x = ot.write_layer_files(layer, torch.ones(2, 3, 4, 4), tmp_path)
    saved = np.load(w)
    assert saved.shape == (3, 5, 1, 1) and saved.flags["C_CONTIGUOUS"]
    assert np.array_equal(saved, layer.weight.detach().numpy())
    with open(w, "rb") as handle:
        assert b"'fortran_order': False" in handle.read(128)
    assert np.load(x).shape == (2, 3, 4, 4)


def test_bfloat16_and_float16_reach_the_file_exactly(tmp_path: Path) -> None:
    values = torch.tensor([1.5, -2.0 ** -133, 3.3895313892515355e38], dtype=torch.float32)
    bf16 = values.to(torch.bfloat16).reshape(1, 1, 1, 3)
    path = ot.save_array(tmp_path / "b.npy", bf16)
    assert np.load(path).dtype == np.float32
    assert np.array_equal(np.load(path).reshape(-1), bf16.to(torch.float32).numpy().reshape(-1))
    half = ot.save_array(tmp_path / "h.npy", torch.tensor([0.1], dtype=torch.float16))
    assert np.load(half).dtype == np.float16


def test_capture_inputs_returns_the_layers_input() -> None:
    torch.manual_seed(1)
    first, second = torch.nn.Linear(4, 6), torch.nn.ReLU()
    model = torch.nn.Sequential(first, second)
    data = torch.randn(3, 4)
    captured = ot.capture_inputs(model, second, data)
    assert torch.equal(captured, first(data).detach())
    with pytest.raises(ValueError, match="not called"):
        ot.capture_inputs(model, torch.nn.ReLU(), data)


def test_layers_the_model_does_not_cover_are_refused() -> None:
    with pytest.raises(ValueError, match="groups"):
        ot.analyze(torch.nn.ConvTranspose2d(4, 4, 3, stride=2, groups=2), torch.ones(1, 4, 2, 2), oracle="unused")
    with pytest.raises(ValueError, match="not square"):
        ot.analyze(torch.nn.ConvTranspose2d(2, 2, 3, stride=(2, 1)), torch.ones(1, 2, 2, 2), oracle="unused")
    with pytest.raises(ValueError, match="stride=s"):
        ot.analyze(torch.ones(2, 3, 3, 3), torch.ones(1, 2, 2, 2), oracle="unused")


def eq24_numpy(weight: np.ndarray, x: np.ndarray, s: int, o: int, c: int) -> float:
    """ρ of pair (o, c) by eq. (24) in float64 with numpy: the weight is PyTorch's [Cin, Cout, h, w]; the
    average is over the non-zero frequencies of the up-sampled n×n grid, n = s·m."""
    m = x.shape[2]
    n = s * m
    kernel = np.zeros((n, n))
    h, w = weight.shape[2:]
    kernel[:h, :w] = weight[c, o]
    kernel_power = np.abs(np.fft.fft2(kernel)) ** 2
    maps = np.abs(np.fft.fft2(x[:, c].astype(np.float64))) ** 2
    power = np.tile(maps.mean(axis=0), (s, s))  # P(u mod m) on the n-grid
    mask = np.ones((n, n), bool)
    mask[0, 0] = False
    joint = (kernel_power * power)[mask].mean()
    return joint / (kernel_power[mask].mean() * power[mask].mean())


@needs_oracle
def test_analyze_agrees_with_numpy_and_reads_the_torch_layout(tmp_path: Path) -> None:
    torch.manual_seed(3)
    layer = torch.nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1, bias=False)
    x = torch.relu(torch.randn(5, 3, 4, 4))
    x[:, 1] = 0  # a dead channel: its column is undefined, the rest is not
    result = ot.analyze(layer, x, svg=tmp_path / "h.svg", oracle=ORACLE)
    weight = layer.weight.detach().numpy().astype(np.float64)
    assert result["layout"] == "torch" and result["weights"] == [2, 3, 4, 4]
    for o in range(2):
        assert result["sdr"][o][1] is None
        for c in (0, 2):
            assert abs(result["sdr"][o][c] - eq24_numpy(weight, x.numpy(), 2, o, c)) < 1e-12
    assert result["undefinedPairs"] == 2 and (tmp_path / "h.svg").is_file()


@needs_oracle
def test_the_oracles_refusal_is_an_oracle_error() -> None:
    with pytest.raises(ot.OracleError, match="Cin"):
        ot.analyze(torch.ones(3, 2, 2, 2), torch.ones(1, 4, 2, 2), stride=2, oracle=ORACLE)


@needs_oracle
def test_the_recipe_runs_from_a_module_to_the_svg(tmp_path: Path) -> None:
    svg = tmp_path / "sdr.svg"
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "torch_layer.py"), "--svg", str(svg), "--batch", "16"],
        capture_output=True, text=True, env={**os.environ, "ORACLE": ORACLE}, check=False, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "pairs defined" in done.stdout and svg.read_text().startswith("<svg")
