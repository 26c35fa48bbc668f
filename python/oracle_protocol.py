"""Serve Python SDR estimators to ``oracle fuzz`` without writing the protocol loop.

``oracle fuzz --exec CMD --task T`` starts ``CMD`` and talks to it in JSON lines: one request a
line on its stdin, one answer a line on its stdout, in order (docs/fuzzing.md, "The protocol").
This module is that loop. Write one plain function per task you estimate and hand them to
:func:`serve`; it decodes every request, shapes its inputs, calls your function, and writes the
answer::

    #!/usr/bin/env python3
    import numpy as np
    from oracle_protocol import UndefinedSDR, serve

    def sdr1d(k1, k2):
        p1, p2 = np.abs(np.fft.fft(k1)) ** 2, np.abs(np.fft.fft(k2)) ** 2
        first, second = p1[1:].mean(), p2[1:].mean()  # the paper's <.> skips u = 0
        if first == 0 or second == 0:
            raise UndefinedSDR("a kernel has no power at the non-zero frequencies")
        return (p1 * p2)[1:].mean() / (first * second)

    if __name__ == "__main__":
        serve(sdr1d=sdr1d)

and run ``oracle fuzz --exec "python3 my_estimator.py" --task sdr1d``. The module is one file with
no dependency beyond the standard library: put its folder on ``sys.path`` (or
``PYTHONPATH=python``), or ``pip install -e python/``.

Your functions and what they receive (positionally, in this order). When numpy is importable the
arrays are ``numpy.ndarray`` of dtype float64 with the shapes below; without numpy they are nested
lists of floats with the same shapes (pass ``use_numpy=False`` to get lists anyway):

=========== =============================================== ============================================
task        call                                            shapes
=========== =============================================== ============================================
``sdr1d``   ``sdr1d(k1, k2)``                               ``[d]``, ``[d]``
``sdr2d``   ``sdr2d(k1, k2)``                               ``[R, C]``, ``[R, C]``
``batch``   ``batch(kernel, samples)``                      ``[R, C]``, ``[B, R, C]``
``strided`` ``strided(filter, samples, stride)``            ``[n, n]``, ``[B, n/s, n/s]``, ``int``
``layer``   ``layer(weights, activations, stride)``         ``[Cout, Cin, h, h]``, ``[B, Cin, m, m]``,
                                                            ``int``
=========== =============================================== ============================================

The companion papers' scores (docs/fuzzing.md, "Companion scores") are served the same way, by the
keyword arguments ``ic_scores`` and ``cage_scores`` of :func:`serve`:

================ ==================================================== =======================================
task             call                                                 shapes
================ ==================================================== =======================================
``ic-scores``    ``ic_scores(matrix, offset, prior, xblock,           ``[n, n]``, ``[n]``, ``[K, n]``,
                 interventions)``                                     ``[n, n]``, ``[V, n]``
``cage-scores``  ``cage_scores(wc, bc, we, be, z, alpha)``            ``[d]``, float, ``[d]``, float,
                                                                      ``[K, d]``, float
================ ==================================================== =======================================

``ic_scores`` returns a dict with ``"inv"`` (``[n, n]``, indexed ``[m, i]``), ``"eqv"`` (``[n, n]``),
``"scn"`` (``[n]``), ``"l_inv"`` and ``"l_eqv"``, or a tuple in that order; ``cage_scores`` a dict
with ``"gate_ce"``, ``"gate_ec"`` and ``"delta_tau"``, or a tuple in that order. Raise
:class:`UndefinedScore` where a score divides by zero (σ_i = 0, U = 0, w = 0).

Return the SDR as a number (a Python or numpy scalar), or for ``layer`` the ``[Cout, Cin]``
matrix (a numpy array or nested lists; a flat list in C order is accepted too). What happens to
what your function does:

* it returns a value: the answer ``{"id": ID, "value": X}``. NaN and ±inf are written as Python's
  json writes them (bare ``NaN``, ``Infinity``), which the oracle accepts and reports as a
  ``non-finite`` finding.
* it raises :class:`UndefinedSDR`: the answer ``{"id": ID, "error": message}``, which is right
  where the SDR is undefined (a zero kernel, no power at the averaged frequencies) and an
  ``unexpected-error`` finding where it is defined.
* it raises any other exception: an error answer too, ``"ValueError: ..."`` (the exception's type
  and text; the traceback goes to stderr), so one bad case does not end the run. Where the SDR is
  defined the oracle reports it as ``unexpected-error`` with your exception's text; where it is
  undefined an error is the expected answer, whatever its text.
* the request's task has no function: an error answer naming the tasks you provided.

Every SDR request also carries its conventions: ``"averaging"`` — ``"nonzero"`` (the paper's average
over the non-zero frequencies, the default) or ``"all"`` — and, for ``strided`` and ``layer``,
``"grid"`` — ``"upsampled"`` (the default) or ``"native"`` (eq. 24's activation power averaged on
the maps' own grid). ``oracle fuzz --averaging`` and ``--grid`` choose them. Each is passed as a
keyword argument of that name to a function that declares it (or ``**kwargs``). A function that
does not declare it is called only for the default; a request for another convention gets an
error answer naming the missing parameter, which the oracle reports as ``unexpected-error``.

Only answers go to stdout, one line each, flushed. While :func:`serve` runs, ``print`` in your code
goes to stderr (``sys.stdout`` is redirected there), so a stray debugging line cannot corrupt the
protocol; log to stderr. On end of input :func:`serve` returns; the oracle closes stdin to stop the
estimator.

For unit tests, :func:`decode_request`, :func:`encode_answer`, :func:`encode_error` and
:func:`respond` are the loop's steps as functions of strings.

To analyse a PyTorch layer rather than fuzz an estimator, see the sibling module ``oracle_torch``
(``analyze(layer, activations)`` runs ``oracle layer``; docs/pytorch.md).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import sys
import traceback
from typing import Any, Callable, Container, Dict, List, Mapping, Optional, Sequence, TextIO, Tuple

try:  # numpy is optional: arrays when it is importable, nested lists otherwise.
    import numpy as _numpy
except ImportError:  # pragma: no cover - depends on the environment
    _numpy = None

__all__ = [
    "PARAMETERS",
    "TASKS",
    "SCORES",
    "ProtocolError",
    "UndefinedSDR",
    "UndefinedScore",
    "decode_request",
    "encode_answer",
    "encode_error",
    "has_numpy",
    "respond",
    "scores_answer",
    "serve",
]

#: Each task's positional parameters, in the order the user's function receives them.
PARAMETERS: Dict[str, Tuple[str, ...]] = {
    "sdr1d": ("k1", "k2"),
    "sdr2d": ("k1", "k2"),
    "batch": ("kernel", "samples"),
    "strided": ("filter", "samples", "stride"),
    "layer": ("weights", "activations", "stride"),
    "ic-scores": ("matrix", "offset", "prior", "xblock", "interventions"),
    "cage-scores": ("wc", "bc", "we", "be", "z", "alpha"),
}

#: The keys of a companion task's answer dict, in the order they are sent (each flattened in C order).
SCORES: Dict[str, Tuple[str, ...]] = {
    "ic-scores": ("inv", "eqv", "scn", "l_inv", "l_eqv"),
    "cage-scores": ("gate_ce", "gate_ec", "delta_tau"),
}

#: The request's convention fields and their defaults (the paper's).
CONVENTIONS: Dict[str, str] = {"averaging": "nonzero", "grid": "upsampled"}

#: The tasks whose requests carry ``grid``.
GRID_TASKS: Tuple[str, ...] = ("strided", "layer")

#: The tasks of the protocol, in the order of docs/fuzzing.md.
TASKS: Tuple[str, ...] = tuple(PARAMETERS)

#: A user's estimator for one task.
Handler = Callable[..., Any]


class UndefinedSDR(Exception):
    """Raise this where the SDR is undefined; :func:`serve` answers ``{"id": ID, "error": str(exc)}``.

    The oracle expects an error exactly where ρ is undefined: a zero kernel, or no power at the
    non-zero frequencies (for ``layer``, when any (o, c) pair is undefined).
    """


#: Raise where a companion score is undefined (σ_i = 0, U_{I_m} = 0, a zero normal w); the same exception.
UndefinedScore = UndefinedSDR


class ProtocolError(ValueError):
    """A request line that is not a request of the protocol (not JSON, a missing member, a bad shape).

    ``request_id`` is the request's id when it could be read, else ``None``.
    """

    def __init__(self, message: str, request_id: Optional[int] = None) -> None:
        super().__init__(message)
        self.request_id = request_id


def has_numpy() -> bool:
    """Whether numpy is importable, so that inputs are ``numpy.ndarray`` by default."""
    return _numpy is not None


def _product(shape: Sequence[int]) -> int:
    size = 1
    for extent in shape:
        size *= extent
    return size


def _reshape_list(flat: List[float], shape: Sequence[int]) -> Any:
    """Nested lists of the given shape from a flat list in C order."""
    if len(shape) <= 1:
        return list(flat)
    step = len(flat) // shape[0] if shape[0] else 0
    return [_reshape_list(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def _shape(request: Mapping[str, Any], key: str, length: int, request_id: int) -> Tuple[int, ...]:
    """The request's shape member ``key``: ``length`` non-negative integers."""
    value = request.get(key)
    if (
        not isinstance(value, list)
        or len(value) != length
        or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in value)
    ):
        raise ProtocolError(f"{key!r} must be {length} non-negative integers, got {value!r}", request_id)
    return tuple(value)


def _array(value: Any, shape: Sequence[int], name: str, request_id: int, use_numpy: bool) -> Any:
    """The request's numbers ``value`` (flat, or one level of flat arrays) as an array of ``shape``."""
    if not isinstance(value, list):
        raise ProtocolError(f"{name!r} must be an array of numbers, got {value!r}", request_id)
    if use_numpy and _numpy is not None:  # the fast path; anything unusual goes on to the checks below
        try:
            array = _numpy.asarray(value)
        except ValueError:  # ragged
            array = None
        if array is not None and array.dtype.kind in "iuf" and array.ndim in (1, 2) and array.size == _product(shape):
            return array.astype(float, copy=False).reshape(tuple(shape))
    flat: List[float] = []
    try:
        for item in value:
            for x in item if isinstance(item, list) else (item,):
                if isinstance(x, bool) or not isinstance(x, (int, float)):
                    raise TypeError
                flat.append(float(x))
    except TypeError:
        message = f"{name!r} must be an array of numbers (or of arrays of numbers)"
        raise ProtocolError(message, request_id) from None
    if len(flat) != _product(shape):
        raise ProtocolError(
            f"{name!r} has {len(flat)} numbers, its shape {list(shape)} needs {_product(shape)}", request_id
        )
    if use_numpy and _numpy is not None:
        return _numpy.asarray(flat, dtype=float).reshape(tuple(shape))
    return _reshape_list(flat, shape)


def _stride(request: Mapping[str, Any], request_id: int) -> int:
    stride = request.get("stride")
    if not isinstance(stride, int) or isinstance(stride, bool) or stride < 1:
        raise ProtocolError(f"'stride' must be a positive integer, got {stride!r}", request_id)
    return stride


def _rows(request: Mapping[str, Any], name: str, columns: Optional[int], request_id: int, use_numpy: bool) -> Any:
    """The request's matrix ``name`` (rows of numbers, at least one), ``columns`` wide when given."""
    value = request.get(name)
    if not isinstance(value, list) or not value or not all(isinstance(row, list) for row in value):
        raise ProtocolError(f"{name!r} must be a non-empty array of rows of numbers, got {value!r}", request_id)
    width = len(value[0]) if columns is None else columns
    return _array(value, (len(value), width), name, request_id, use_numpy)


def _scalar(request: Mapping[str, Any], name: str, request_id: int) -> float:
    value = request.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProtocolError(f"{name!r} must be a number, got {value!r}", request_id)
    return float(value)


def decode_request(line: str, *, use_numpy: Optional[bool] = None) -> Tuple[int, str, Dict[str, Any]]:
    """Decode one request line into ``(id, task, arguments)``.

    ``arguments`` maps the task's parameter names (:data:`PARAMETERS`, in their positional order)
    to the shaped inputs, plus for an SDR task ``"averaging"`` (the request's averaging convention, ``"nonzero"`` by default) and,
    for ``strided`` and ``layer``, ``"grid"`` (``"upsampled"`` by default).
    Arrays are ``numpy.ndarray`` (float64) when ``use_numpy`` is true, or ``None`` and numpy is
    importable; nested lists of floats otherwise. For example, with numpy::

        >>> decode_request('{"id": 3, "task": "sdr2d", "shape": [1, 2], "k1": [0, 1], "k2": [1, 1]}')
        (3, 'sdr2d', {'k1': array([[0., 1.]]), 'k2': array([[1., 1.]]), 'averaging': 'nonzero'})

    A task outside :data:`TASKS` is decoded with empty arguments (:func:`respond` answers it with
    an error). Raises :class:`ProtocolError` when the line is not a well-formed request.
    """
    return _decode(line, use_numpy, TASKS)


def _decode(line: str, use_numpy: Optional[bool], wanted: Container[str]) -> Tuple[int, str, Dict[str, Any]]:
    """:func:`decode_request`, with the arguments decoded only for a task in ``wanted`` (empty otherwise)."""
    numpy_arrays = has_numpy() if use_numpy is None else (use_numpy and has_numpy())
    try:
        request = json.loads(line)
    except ValueError as error:
        raise ProtocolError(f"not JSON: {error}") from None
    if not isinstance(request, dict):
        raise ProtocolError("a request is a JSON object")
    request_id = request.get("id")
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        raise ProtocolError(f"'id' must be an integer, got {request_id!r}")
    task = request.get("task")
    if not isinstance(task, str):
        raise ProtocolError(f"'task' must be a string, got {task!r}", request_id)
    averaging = request.get("averaging", "nonzero")
    if averaging not in ("nonzero", "all"):
        raise ProtocolError(f"'averaging' must be \"nonzero\" or \"all\", got {averaging!r}", request_id)
    grid = request.get("grid", "upsampled")
    if grid not in ("upsampled", "native"):
        raise ProtocolError(f"'grid' must be \"upsampled\" or \"native\", got {grid!r}", request_id)
    arguments: Dict[str, Any] = {}

    def array(name: str, shape: Sequence[int]) -> Any:
        return _array(request.get(name), shape, name, request_id, numpy_arrays)

    if task not in wanted:
        return request_id, task, arguments
    if task == "sdr1d":
        k1 = request.get("k1")
        length = len(k1) if isinstance(k1, list) else 0
        arguments = {"k1": array("k1", (length,)), "k2": array("k2", (length,))}
    elif task == "sdr2d":
        shape = _shape(request, "shape", 2, request_id)
        arguments = {"k1": array("k1", shape), "k2": array("k2", shape)}
    elif task == "batch":
        shape = _shape(request, "shape", 2, request_id)
        samples = request.get("samples")
        count = len(samples) if isinstance(samples, list) else 0
        arguments = {"kernel": array("kernel", shape), "samples": array("samples", (count,) + shape)}
    elif task == "strided":
        shape = _shape(request, "shape", 2, request_id)
        stride = _stride(request, request_id)
        if shape[0] % stride or shape[1] % stride:
            raise ProtocolError(f"the stride {stride} does not divide the shape {list(shape)}", request_id)
        samples = request.get("samples")
        count = len(samples) if isinstance(samples, list) else 0
        small = (count, shape[0] // stride, shape[1] // stride)
        arguments = {"filter": array("filter", shape), "samples": array("samples", small), "stride": stride}
    elif task == "layer":
        stride = _stride(request, request_id)
        weights = array("weights", _shape(request, "weights_shape", 4, request_id))
        activations = array("activations", _shape(request, "activations_shape", 4, request_id))
        arguments = {"weights": weights, "activations": activations, "stride": stride}
    elif task == "ic-scores":
        offset = request.get("offset")
        n = len(offset) if isinstance(offset, list) else 0
        arguments = {
            "matrix": _rows(request, "matrix", n, request_id, numpy_arrays),
            "offset": array("offset", (n,)),
            "prior": _rows(request, "prior", n, request_id, numpy_arrays),
            "xblock": _rows(request, "xblock", n, request_id, numpy_arrays),
            "interventions": _rows(request, "interventions", n, request_id, numpy_arrays),
        }
        if len(arguments["matrix"]) != n or len(arguments["xblock"]) != n:
            raise ProtocolError(f"'matrix' and 'xblock' must be {n} x {n}", request_id)
        return request_id, task, arguments
    elif task == "cage-scores":
        wc = request.get("wc")
        d = len(wc) if isinstance(wc, list) else 0
        arguments = {
            "wc": array("wc", (d,)),
            "bc": _scalar(request, "bc", request_id),
            "we": array("we", (d,)),
            "be": _scalar(request, "be", request_id),
            "z": _rows(request, "z", d, request_id, numpy_arrays),
            "alpha": _scalar(request, "alpha", request_id),
        }
        return request_id, task, arguments
    arguments["averaging"] = averaging
    if task in GRID_TASKS:
        arguments["grid"] = grid
    return request_id, task, arguments


def _plain(value: Any) -> Any:
    """A float, or nested lists of floats, from a number, a numpy array or nested sequences."""
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(f"the estimator returned {value!r}, not a number or an array of numbers")
    return float(value)


def scores_answer(task: str, value: Any) -> Any:
    """A companion task's answer as sent: the dict's entries (:data:`SCORES`) in order, or the tuple as it is.

    Raises ``TypeError`` for a dict without one of the keys, or with keys that are not scores.
    """
    keys = SCORES.get(task)
    if keys is None or not isinstance(value, Mapping):
        return value
    unknown = sorted(set(value) - set(keys))
    missing = [key for key in keys if key not in value]
    if missing or unknown:
        raise TypeError(f"a {task} answer needs the keys {', '.join(keys)} (missing {missing}, unknown {unknown})")
    return [value[key] for key in keys]


def encode_answer(request_id: int, value: Any) -> str:
    """The answer line (without the newline) for a value: a number, or an array (nested lists).

    Numbers and numpy scalars become a JSON number; numpy arrays, lists and tuples become nested
    lists of numbers. NaN and ±inf are written bare (``NaN``, ``Infinity``, ``-Infinity``), as the
    oracle expects from Python's json. Raises ``TypeError`` for anything else (``None``, a string).
    """
    return json.dumps({"id": request_id, "value": _plain(value)}, allow_nan=True)


def encode_error(request_id: Optional[int], message: str) -> str:
    """The error answer line (without the newline): ``{"id": ID, "error": message}``."""
    return json.dumps({"id": request_id, "error": str(message)})


def _accepts(function: Handler, name: str) -> bool:
    """Whether ``function`` can be called with the keyword argument ``name``."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return any(
        p.kind == inspect.Parameter.VAR_KEYWORD or (p.name == name and p.kind in named) for p in parameters
    )


class _Dispatcher:
    """The user's functions by task, with the convention keywords each takes (looked up once)."""

    def __init__(self, handlers: Mapping[str, Optional[Handler]], use_numpy: Optional[bool]) -> None:
        unknown = sorted(set(handlers) - set(TASKS))
        if unknown:
            raise ValueError(f"unknown task(s) {', '.join(unknown)}; the tasks are {', '.join(TASKS)}")
        self.functions = {task: f for task, f in handlers.items() if f is not None}
        self.keywords = {
            task: [k for k in CONVENTIONS if (k != "grid" or task in GRID_TASKS) and _accepts(f, k)]
            for task, f in self.functions.items()
        }
        self.use_numpy = use_numpy

    def respond(self, line: str, log: TextIO) -> str:
        try:
            request_id, task, arguments = _decode(line, self.use_numpy, self.functions)
        except ProtocolError as error:
            print(f"oracle_protocol: bad request: {error}", file=log)
            return encode_error(error.request_id, f"bad request: {error}")
        function = self.functions.get(task)
        if function is None:
            names = ", ".join(t for t in TASKS if t in self.functions) or "none"
            message = f"task {task!r} is not provided by this estimator (it provides: {names})"
            return encode_error(request_id, message)
        positional = [arguments[name] for name in PARAMETERS[task]]
        keywords = {k: arguments[k] for k in self.keywords[task] if k in arguments}
        for name, default in CONVENTIONS.items():
            if name in arguments and name not in keywords and arguments[name] != default:
                message = (
                    f"the request asks for {name} {arguments[name]!r}, but the {task} function takes no "
                    f"'{name}' parameter (only the default {default!r} can be answered)"
                )
                return encode_error(request_id, message)
        try:
            return encode_answer(request_id, scores_answer(task, function(*positional, **keywords)))
        except UndefinedSDR as error:
            return encode_error(request_id, str(error) or "SDR undefined")
        except Exception as error:  # noqa: BLE001 - the estimator's own failure is an answer, not a crash
            print(f"oracle_protocol: request {request_id} ({task}) raised:", file=log)
            traceback.print_exc(file=log)
            return encode_error(request_id, f"{type(error).__name__}: {error}")


def respond(
    line: str,
    handlers: Mapping[str, Optional[Handler]],
    *,
    use_numpy: Optional[bool] = None,
    log: Optional[TextIO] = None,
) -> str:
    """The answer line (without the newline) to one request line, calling ``handlers[task]``.

    ``handlers`` maps task names to the user's functions (``None`` for a task not provided). The
    answer is the value, or an error for :class:`UndefinedSDR`, any other exception (its type and
    text; the traceback is written to ``log``, default stderr), a task without a function, or a
    malformed request (id ``null`` when even the id is unreadable). Never raises for a bad request
    or a failing estimator; ``ValueError`` for a key of ``handlers`` that is not a task.

        >>> respond('{"id": 1, "task": "sdr1d", "k1": [1, 0], "k2": [1, 0]}', {"sdr1d": lambda k1, k2: 1})
        '{"id": 1, "value": 1.0}'
    """
    return _Dispatcher(handlers, use_numpy).respond(line, log if log is not None else sys.stderr)


def serve(
    sdr1d: Optional[Handler] = None,
    sdr2d: Optional[Handler] = None,
    batch: Optional[Handler] = None,
    strided: Optional[Handler] = None,
    layer: Optional[Handler] = None,
    ic_scores: Optional[Handler] = None,
    cage_scores: Optional[Handler] = None,
    *,
    stdin: Optional[TextIO] = None,
    stdout: Optional[TextIO] = None,
    use_numpy: Optional[bool] = None,
) -> None:
    """Answer the oracle's requests with the given functions until end of input.

    Reads one request a line from ``stdin`` (default ``sys.stdin``), answers each with
    :func:`respond` on one line of ``stdout`` (default ``sys.stdout``), flushed at once, and
    returns on end of input. Blank lines are skipped. While it runs, ``sys.stdout`` is redirected
    to ``sys.stderr``, so that ``print`` in the estimator cannot write into the protocol.
    ``use_numpy`` chooses the inputs' type (default: numpy arrays when numpy is importable).
    At least one function must be given (``ValueError`` otherwise).
    """
    handlers: Dict[str, Optional[Handler]] = {
        "sdr1d": sdr1d,
        "sdr2d": sdr2d,
        "batch": batch,
        "strided": strided,
        "layer": layer,
        "ic-scores": ic_scores,
        "cage-scores": cage_scores,
    }
    dispatcher = _Dispatcher(handlers, use_numpy)
    if not dispatcher.functions:
        raise ValueError("serve() needs at least one estimator function: " + ", ".join(TASKS))
    source = stdin if stdin is not None else sys.stdin
    sink = stdout if stdout is not None else sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        while True:
            line = source.readline()
            if not line:
                return
            if not line.strip():
                continue
            sink.write(dispatcher.respond(line, sys.stderr) + "\n")
            sink.flush()
