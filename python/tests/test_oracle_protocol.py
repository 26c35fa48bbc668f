"""Tests of python/oracle_protocol.py, and an example of testing an estimator with it.

    python3 -m pytest -q python/tests

The unit tests feed request lines through `serve` (io.StringIO for stdin and stdout) and check the
answer lines. Tests that need numpy skip without it; the end-to-end test runs the release oracle
(`swift build -c release --product oracle`) against examples/sdr_numpy.py and skips when the binary
is absent (ORACLE=PATH uses another binary; ORACLE= with an empty value skips it).
"""
from __future__ import annotations

import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import oracle_protocol as op  # noqa: E402
from oracle_protocol import UndefinedSDR, decode_request, encode_answer, encode_error, respond, serve  # noqa: E402

try:
    import numpy as np
except ImportError:  # pragma: no cover - depends on the environment
    np = None

needs_numpy = pytest.mark.skipif(np is None, reason="needs numpy")


def request(request_id: int, task: str, **members: Any) -> str:
    """A request line as the oracle writes it."""
    return json.dumps({"id": request_id, "task": task, **members, "averaging": "nonzero"})


def run(lines: List[str], **functions: Any) -> List[Dict[str, Any]]:
    """The answers of `serve(**functions)` to the request lines, decoded."""
    stdout = io.StringIO()
    serve(**functions, stdin=io.StringIO("".join(line + "\n" for line in lines)), stdout=stdout)
    text = stdout.getvalue()
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.splitlines()]


def mean_power_sdr(k1: List[float], k2: List[float]) -> float:
    """ρ(k1, k2) on Z_d in pure Python (an O(d²) DFT), for the examples without numpy."""
    d = len(k1)

    def power(k: List[float]) -> List[float]:
        return [
            abs(sum(k[t] * complex(math.cos(2 * math.pi * u * t / d), -math.sin(2 * math.pi * u * t / d))
                    for t in range(d))) ** 2
            for u in range(d)
        ]

    p1, p2 = power(k1), power(k2)
    first, second = sum(p1[1:]) / (d - 1), sum(p2[1:]) / (d - 1)
    if first == 0 or second == 0:
        raise UndefinedSDR("a kernel has no power at the non-zero frequencies")
    return sum(a * b for a, b in zip(p1[1:], p2[1:])) / (d - 1) / (first * second)


# decode_request


def test_decode_sdr1d_as_lists() -> None:
    request_id, task, arguments = decode_request(request(4, "sdr1d", k1=[0, 1, 1], k2=[0.5, -1, 2]), use_numpy=False)
    assert (request_id, task) == (4, "sdr1d")
    assert arguments == {"k1": [0.0, 1.0, 1.0], "k2": [0.5, -1.0, 2.0], "averaging": "nonzero"}
    assert all(isinstance(x, float) for x in arguments["k1"])


def test_decode_shapes_as_lists() -> None:
    _, _, sdr2d = decode_request(request(0, "sdr2d", shape=[2, 3], k1=list(range(6)), k2=[1] * 6), use_numpy=False)
    assert sdr2d["k1"] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    _, _, batch = decode_request(
        request(1, "batch", shape=[1, 2], kernel=[1, 2], samples=[[1, 0], [0, 1], [2, 2]]), use_numpy=False
    )
    assert batch["kernel"] == [[1.0, 2.0]] and batch["samples"] == [[[1.0, 0.0]], [[0.0, 1.0]], [[2.0, 2.0]]]
    _, _, strided = decode_request(
        request(2, "strided", shape=[4, 4], stride=2, filter=list(range(16)), samples=[[1, 2, 3, 4]]), use_numpy=False
    )
    assert strided["stride"] == 2 and strided["samples"] == [[[1.0, 2.0], [3.0, 4.0]]]
    assert strided["filter"][3] == [12.0, 13.0, 14.0, 15.0]
    _, _, layer = decode_request(
        request(
            3, "layer", stride=1, weights_shape=[2, 1, 1, 1], weights=[1, 2],
            activations_shape=[1, 1, 2, 2], activations=[1, 2, 3, 4],
        ),
        use_numpy=False,
    )
    assert layer == {
        "weights": [[[[1.0]]], [[[2.0]]]], "activations": [[[[1.0, 2.0], [3.0, 4.0]]]], "stride": 1,
        "averaging": "nonzero", "grid": "upsampled",
    }


@needs_numpy
def test_decode_gives_float_arrays_of_the_documented_shapes() -> None:
    lines = {
        "sdr1d": request(0, "sdr1d", k1=[1, 2, 3], k2=[1, 0, 0]),
        "sdr2d": request(1, "sdr2d", shape=[2, 3], k1=[1] * 6, k2=[2] * 6),
        "batch": request(2, "batch", shape=[2, 2], kernel=[1] * 4, samples=[[1] * 4] * 5),
        "strided": request(3, "strided", shape=[6, 6], stride=3, filter=[1] * 36, samples=[[1] * 4] * 2),
        "layer": request(
            4, "layer", stride=2, weights_shape=[3, 2, 2, 2], weights=[1] * 24,
            activations_shape=[5, 2, 3, 3], activations=[1] * 90,
        ),
    }
    shapes = {
        "sdr1d": [(3,), (3,)], "sdr2d": [(2, 3), (2, 3)], "batch": [(2, 2), (5, 2, 2)],
        "strided": [(6, 6), (2, 2, 2)], "layer": [(3, 2, 2, 2), (5, 2, 3, 3)],
    }
    for task, line in lines.items():
        _, decoded_task, arguments = decode_request(line)
        assert decoded_task == task
        arrays = [arguments[name] for name in op.PARAMETERS[task] if name != "stride"]
        assert [a.shape for a in arrays] == shapes[task]
        assert all(isinstance(a, np.ndarray) and a.dtype == np.float64 for a in arrays)
    assert decode_request(lines["layer"])[2]["activations"][4, 1].tolist() == [[1.0] * 3] * 3


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"task": "sdr1d"}', "'id'"),
        ('{"id": 1}', "'task'"),
        (request(1, "sdr2d", shape=[2, 2], k1=[1, 2, 3], k2=[1, 2, 3, 4]), "'k1' has 3 numbers"),
        (request(1, "sdr2d", shape=[2], k1=[1, 2], k2=[1, 2]), "'shape'"),
        (request(1, "sdr1d", k1=[1, "x"], k2=[1, 2]), "'k1' must be an array of numbers"),
        (request(1, "strided", shape=[3, 3], stride=2, filter=[1] * 9, samples=[]), "does not divide"),
        (request(1, "layer", stride=0, weights_shape=[1, 1, 1, 1], weights=[1]), "'stride'"),
    ],
)
def test_decode_rejects_malformed_requests(line: str, fragment: str) -> None:
    with pytest.raises(op.ProtocolError, match=re.escape(fragment)):
        decode_request(line)


# encode


def test_encode_numbers_arrays_and_non_finite_values() -> None:
    assert encode_answer(7, 1) == '{"id": 7, "value": 1.0}'
    assert encode_answer(7, [[1, 2], (3, 4.5)]) == '{"id": 7, "value": [[1.0, 2.0], [3.0, 4.5]]}'
    # Bare NaN / Infinity, as Python's json writes them: the oracle reads them as non-finite answers.
    assert encode_answer(1, float("nan")) == '{"id": 1, "value": NaN}'
    assert encode_answer(1, [float("inf"), -float("inf")]) == '{"id": 1, "value": [Infinity, -Infinity]}'
    assert encode_error(2, "zero kernel") == '{"id": 2, "error": "zero kernel"}'
    for wrong in (None, "1.0", {"value": 1}):
        with pytest.raises(TypeError):
            encode_answer(1, wrong)


@needs_numpy
def test_encode_numpy_scalars_and_matrices() -> None:
    assert encode_answer(0, np.float64(0.25)) == '{"id": 0, "value": 0.25}'
    assert encode_answer(0, np.float32(0.5)) == '{"id": 0, "value": 0.5}'
    assert encode_answer(0, np.int64(3)) == '{"id": 0, "value": 3.0}'
    assert json.loads(encode_answer(0, np.eye(2)))["value"] == [[1.0, 0.0], [0.0, 1.0]]


# serve: dispatch, errors, the stream


def test_serve_answers_in_order_and_flushes_each_line() -> None:
    class Recording(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            Recording.flushes += 1
            super().flush()

    stdout = Recording()
    lines = [request(i, "sdr1d", k1=[0, 1, 1], k2=[1, 1, 0]) for i in range(3)]
    serve(sdr1d=mean_power_sdr, stdin=io.StringIO("\n".join(lines) + "\n\n"), stdout=stdout, use_numpy=False)
    answers = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [a["id"] for a in answers] == [0, 1, 2]
    assert all(a["value"] == pytest.approx(1.0) for a in answers)  # |k̂|² = (4, 1, 1) for both
    assert Recording.flushes >= 3


def test_undefined_sdr_is_an_error_answer() -> None:
    answers = run([request(5, "sdr1d", k1=[1, 1], k2=[0, 0])], sdr1d=mean_power_sdr, use_numpy=False)
    assert answers == [{"id": 5, "error": "a kernel has no power at the non-zero frequencies"}]


def test_a_missing_task_is_an_error_naming_the_provided_tasks() -> None:
    answers = run([request(0, "layer", stride=1)], sdr1d=mean_power_sdr, batch=lambda kernel, samples: 1.0)
    assert answers[0]["id"] == 0
    assert answers[0]["error"] == "task 'layer' is not provided by this estimator (it provides: sdr1d, batch)"
    unknown = run([request(1, "sdr3d")], sdr1d=mean_power_sdr)
    assert unknown == [{"id": 1, "error": "task 'sdr3d' is not provided by this estimator (it provides: sdr1d)"}]


def test_a_crash_in_user_code_is_an_error_answer_and_the_loop_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    def broken(k1: List[float], k2: List[float]) -> float:
        if k1[0] == 9:
            raise ZeroDivisionError("boom")
        return 2.0

    lines = [request(0, "sdr1d", k1=[9, 1], k2=[1, 0]), request(1, "sdr1d", k1=[1, 1], k2=[1, 0])]
    assert run(lines, sdr1d=broken) == [{"id": 0, "error": "ZeroDivisionError: boom"}, {"id": 1, "value": 2.0}]
    assert "ZeroDivisionError: boom" in capsys.readouterr().err  # the traceback, on stderr


def test_a_wrong_return_type_is_an_error_answer() -> None:
    answers = run([request(0, "sdr1d", k1=[1, 2], k2=[1, 2])], sdr1d=lambda k1, k2: None)
    assert answers[0]["id"] == 0 and answers[0]["error"].startswith("TypeError: the estimator returned None")


def test_a_malformed_request_is_answered_with_its_id() -> None:
    bad = request(3, "sdr2d", shape=[2, 2], k1=[1], k2=[1])
    assert run([bad], sdr2d=lambda k1, k2: 1.0)[0]["error"].startswith("bad request: 'k1' has 1 numbers")


def test_print_in_user_code_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    def chatty(k1: List[float], k2: List[float]) -> float:
        print("debugging", k1)
        return 1.0

    stdout = io.StringIO()
    serve(sdr1d=chatty, stdin=io.StringIO(request(0, "sdr1d", k1=[1], k2=[1]) + "\n"), stdout=stdout)
    assert stdout.getvalue() == '{"id": 0, "value": 1.0}\n'
    assert "debugging" in capsys.readouterr().err


def test_averaging_is_passed_only_to_functions_that_take_it() -> None:
    seen: List[str] = []

    def with_averaging(kernel: Any, samples: Any, averaging: str = "all") -> float:
        seen.append(averaging)
        return 1.0

    def with_kwargs(k1: Any, k2: Any, **options: Any) -> float:
        seen.append(options["averaging"])
        return 1.0

    lines = [
        request(0, "batch", shape=[1, 1], kernel=[1], samples=[[1]]),
        request(1, "sdr1d", k1=[1], k2=[1]),
        request(2, "sdr2d", shape=[1, 1], k1=[1], k2=[1]),
    ]
    answers = run(lines, batch=with_averaging, sdr1d=with_kwargs, sdr2d=lambda k1, k2: 3.0)
    assert [a["value"] for a in answers] == [1.0, 1.0, 3.0]
    assert seen == ["nonzero", "nonzero"]


def test_conventions_reach_functions_that_take_them_and_others_refuse() -> None:
    seen: List[Any] = []

    def strided(filt: Any, samples: Any, stride: int, averaging: str = "nonzero", grid: str = "upsampled") -> float:
        seen.append((averaging, grid))
        return 1.0

    def paper_only(k1: Any, k2: Any) -> float:
        return 2.0

    base = dict(shape=[2, 2], stride=2, filter=[1, 0, 0, 0], samples=[[1]])
    lines = [
        json.dumps({"id": 0, "task": "strided", **base, "averaging": "all", "grid": "native"}),
        json.dumps({"id": 1, "task": "sdr1d", "k1": [1, 0], "k2": [1, 0], "averaging": "all"}),
        json.dumps({"id": 2, "task": "sdr1d", "k1": [1, 0], "k2": [1, 0], "averaging": "nonzero"}),
        json.dumps({"id": 3, "task": "strided", **base, "grid": "diagonal"}),
    ]
    answers = run(lines, strided=strided, sdr1d=paper_only)
    assert seen == [("all", "native")]
    assert answers[0]["value"] == 1.0 and answers[2]["value"] == 2.0
    assert "takes no 'averaging' parameter" in answers[1]["error"]
    assert "'grid' must be" in answers[3]["error"]


def test_serve_needs_a_function_and_stops_at_end_of_input() -> None:
    with pytest.raises(ValueError):
        serve(stdin=io.StringIO(""), stdout=io.StringIO())
    assert run([], sdr1d=mean_power_sdr) == []
    with pytest.raises(ValueError, match="unknown task"):
        respond(request(0, "sdr1d", k1=[1], k2=[1]), {"sdr4d": mean_power_sdr})


@needs_numpy
def test_layer_matrix_from_numpy() -> None:
    def layer(weights: Any, activations: Any, stride: int) -> Any:
        return np.full(weights.shape[:2], float(stride))

    line = request(
        0, "layer", stride=2, weights_shape=[2, 3, 1, 1], weights=[1] * 6,
        activations_shape=[1, 3, 2, 2], activations=[1] * 12,
    )
    assert run([line], layer=layer) == [{"id": 0, "value": [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]}]


# The documented example and examples/sdr_numpy.py, as estimators


def documented_example() -> str:
    """The Python block of docs/fuzzing.md, "Writing an estimator in Python"."""
    text = (ROOT / "docs" / "fuzzing.md").read_text(encoding="utf-8")
    section = text.split("## Writing an estimator in Python", 1)[1]
    return section.split("```python\n", 1)[1].split("\n```", 1)[0] + "\n"


def run_script(arguments: List[str], lines: List[str]) -> List[Dict[str, Any]]:
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    completed = subprocess.run(
        [sys.executable, *arguments], input="".join(line + "\n" for line in lines), capture_output=True,
        text=True, timeout=60, env=environment, check=True,
    )
    return [json.loads(line) for line in completed.stdout.splitlines()]


@needs_numpy
def test_the_documented_example_runs(tmp_path: Path) -> None:
    script = tmp_path / "my_estimator.py"
    script.write_text(documented_example(), encoding="utf-8")
    answers = run_script(
        [str(script)],
        [request(0, "sdr1d", k1=[0, 1, 1], k2=[0, 1, 1]), request(1, "sdr1d", k1=[0, 1], k2=[-1, -1]),
         request(2, "sdr2d", shape=[1, 1], k1=[1], k2=[1])],
    )
    assert answers[0] == {"id": 0, "value": pytest.approx(1.0)}
    assert set(answers[1]) == {"id", "error"} and answers[1]["id"] == 1
    assert answers[2]["error"].startswith("task 'sdr2d' is not provided")


@needs_numpy
@pytest.mark.parametrize("bug, expected", [(None, 1.0), ("zero-frequency", 1.5)])
def test_the_numpy_example_answers_the_walkthrough_case(bug: Any, expected: float) -> None:
    # docs/fuzzing.md: k1 = k2 = (0, 1, 1) has |k̂|² = (4, 1, 1): ρ = 1, and 1.5 with u = 0 in the averages.
    arguments = [str(ROOT / "examples" / "sdr_numpy.py")] + (["--bug", bug] if bug else [])
    lines = [request(0, "sdr1d", k1=[0, 1, 1], k2=[0, 1, 1]), request(1, "sdr1d", k1=[0, 0], k2=[1, 2])]
    answers = run_script(arguments, lines)
    assert answers[0] == {"id": 0, "value": pytest.approx(expected)}
    if bug is None:
        assert answers[1] == {"id": 1, "error": "SDR undefined: a kernel has no power at the non-zero frequencies"}


# The companion scores (ic-scores, cage-scores)


def ic_request(request_id: int) -> str:
    """The smallest ic-scores case: n = 1, R(N) = N, the prior {0, 1}, the intervention N_0 <- 0."""
    return json.dumps({
        "id": request_id, "task": "ic-scores", "matrix": [[1.0]], "offset": [0.0], "prior": [[0.0], [1.0]],
        "xblock": [[1.0]], "interventions": [[0.0]], "u_index": "m", "sigma": "response",
    })


def cage_request(request_id: int) -> str:
    """The smallest cage-scores case: w_c = w_e = 1, b = 0, z = 0, alpha = 1 (GATE 1 both ways, delta tau 0)."""
    return json.dumps({
        "id": request_id, "task": "cage-scores", "wc": [1.0], "bc": 0.0, "we": [1.0], "be": 0.0, "z": [[0.0]],
        "alpha": 1.0, "phi": "logit",
    })


@needs_numpy
def test_decode_companion_requests_in_their_documented_shapes() -> None:
    _, task, arguments = decode_request(ic_request(1))
    assert task == "ic-scores" and list(arguments) == list(op.PARAMETERS["ic-scores"])
    assert [arguments[k].shape for k in op.PARAMETERS["ic-scores"]] == [(1, 1), (1,), (2, 1), (1, 1), (1, 1)]
    _, task, arguments = decode_request(cage_request(2), use_numpy=False)
    assert arguments == {"wc": [1.0], "bc": 0.0, "we": [1.0], "be": 0.0, "z": [[0.0]], "alpha": 1.0}


def test_a_malformed_companion_request_is_answered_with_its_id() -> None:
    line = json.dumps({"id": 4, "task": "cage-scores", "wc": [1.0], "bc": "x", "we": [1.0], "be": 0, "z": [[0]],
                       "alpha": 1})
    answer = json.loads(respond(line, {"cage-scores": lambda *a: (0, 0, 0)}))
    assert answer["id"] == 4 and "'bc' must be a number" in answer["error"]


def test_a_scores_dict_is_sent_in_the_documented_order() -> None:
    def scores(*_: Any) -> Dict[str, Any]:
        return {"delta_tau": 3.0, "gate_ec": 2.0, "gate_ce": 1.0}

    assert run([cage_request(0)], cage_scores=scores) == [{"id": 0, "value": [1.0, 2.0, 3.0]}]
    answer = run([cage_request(1)], cage_scores=lambda *_: {"gate_ce": 1.0})[0]
    assert answer["id"] == 1 and "needs the keys gate_ce, gate_ec, delta_tau" in answer["error"]


@needs_numpy
@pytest.mark.parametrize("bug, inv", [(None, -1.0), ("sample-std", 1 - 2 ** 0.5)])
def test_the_companion_example_answers_the_smallest_cases(bug: Any, inv: float) -> None:
    # INV[0, 0] = 1 - E|N - 0| / (U sigma) = 1 - (1/2) / ((1/2)(1/2)) = -1 with the population std 1/2
    # (1 - sqrt(2) with the sample std); EQV = SCN = 1, the losses over i != m are empty sums.
    arguments = [str(ROOT / "examples" / "companion_numpy.py")] + (["--bug", bug] if bug else [])
    answers = run_script(arguments, [ic_request(0), cage_request(1)])
    assert answers[0] == {"id": 0, "value": [[[pytest.approx(inv)]], [[1.0]], [1.0], 0.0, 0.0]}
    assert answers[1] == {"id": 1, "value": [1.0, 1.0, 0.0]}


# End to end: the release oracle against examples/sdr_numpy.py and examples/companion_numpy.py


#: The oracle binary: $ORACLE, else the release build; ORACLE= (empty) leaves the end-to-end tests out.
ORACLE = os.environ.get("ORACLE", str(ROOT / ".build" / "release" / "oracle"))
HAS_ORACLE = bool(ORACLE) and Path(ORACLE).is_file()


def fuzz(command: str, task: str, findings: Path, cases: int = 60) -> "subprocess.CompletedProcess[str]":
    """`oracle fuzz` on `cases` cases, its findings written under `findings` (not into the tree)."""
    return subprocess.run(
        [ORACLE, "fuzz", "--exec", command, "--task", task, "--cases", str(cases), "--timeout", "20",
         "--findings", str(findings)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )


@needs_numpy
@pytest.mark.skipif(not HAS_ORACLE, reason="needs the release oracle: swift build -c release --product oracle")
@pytest.mark.parametrize(
    "bug, task",
    [(None, t) for t in op.TASKS] + [("zero-frequency", "sdr1d"), ("normalisation", "batch"),
                                      ("upsampling-index", "strided"), ("sample-std", "ic-scores"),
                                      ("unnormalised", "cage-scores"), ("signed-delta", "cage-scores")],
)
def test_the_oracle_passes_the_example_and_catches_each_bug(bug: Any, task: str, tmp_path: Path) -> None:
    example = "companion_numpy.py" if task in op.SCORES else "sdr_numpy.py"
    command = f"{sys.executable} examples/{example}" + (f" --bug {bug}" if bug else "")
    result = fuzz(command, task, tmp_path / "findings")
    if bug is None:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no findings" in result.stdout
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        assert "finding [tolerance]" in result.stdout
