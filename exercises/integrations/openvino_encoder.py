"""all-MiniLM-L6-v2 run by OpenVINO: the default engine of :mod:`.embedding_runtime`.

sentence-transformers loads the model (weights, tokenizer, pooling configuration); this module
converts its BERT, in memory, to an OpenVINO graph and runs that instead of eager PyTorch.

Precision (``precision=``, from ``settings.EMBEDDING_PRECISION``; ``auto`` is ``int8``):

- ``int8``: the 36 weight matrices are stored as int8, one scale per 128 weights of a row, and
  OpenVINO quantises each token's activations to int8 on the fly, one scale per 128 values
  ("dynamic quantization"), so the matrix products run on the CPU's int8 dot-product
  instructions (AVX512-VNNI, AVX-VNNI or AMX). Attention, layer norms and GELU stay in floating
  point. Before quantising, each layer's outlier input channels are evened out against its
  weights (SmoothQuant, measured once per process on calibration texts, ~0.5 s). Measured on a
  2-core Xeon without AMX: 1.6-1.9x the speed of OpenVINO fp32 and about 2x eager PyTorch
  (``bench/bench_embed.py``); cosine to the fp32 vectors ≥ 0.9995 on the library, and the
  labelled search set keeps its hit rate (``exercises/tests/test_semantic_quality.py``). Where
  the CPU lacks int8 dot products, OpenVINO decompresses the weights and computes in fp32.
- ``bf16``: bfloat16 where the CPU has it natively (AMX, AVX512-BF16); cosine ≥ 0.9999.
- ``f32``: plain fp32, the reference.

Every text gets the same vector alone or in any batch: no scale depends on another text, and a
batch only holds texts whose padded length falls in the same block of 16 tokens (``LENGTH_BLOCK``).

Only imported when the model loads (it needs torch and openvino, ~8 s to import).

OpenVINO's converter reports usage over the network when it is imported and when it converts,
unless the ``openvino_telemetry`` package is missing: then it uses its own no-op stub. We mark that
package missing before OpenVINO is imported (and point the converter's modules at the stub, should
it have been imported already), so nothing here ever tries to reach the internet (tested).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

if "openvino_telemetry" not in sys.modules:
    sys.modules["openvino_telemetry"] = None  # type: ignore[assignment]  # import fails → OpenVINO's stub

PRECISIONS = ("auto", "int8", "bf16", "f32")
WEIGHT_GROUP = 128  # int8 weights: one scale per this many weights along a row (K = 384 or 1536)
ACTIVATION_GROUP = 128  # dynamic int8 activations: one scale per this many values of a token
# Smoothing strength (SmoothQuant): how much of each input channel's range moves from the
# activations into the weights before both are quantised. Measured on the library's 256 texts
# (cosine to fp32, min): no smoothing 0.9987 at 128-value groups, 0.9991 at 64 (8-10% slower);
# alpha 0.3 / 0.5 / 0.7 at 128: 0.9993 / 0.9995 / 0.9995.
SMOOTHING_ALPHA = 0.5
# A batch only holds texts whose token counts share a block of this many: OpenVINO's CPU kernels
# handle the sequence in blocks of 16, and the float rounding of the attention changes when the
# padded length enters another block. Tiny in itself, but int8 activations can round the other
# way, moving the vector by up to 2e-4. Within a block, padding changes nothing, so a text gets the
# same vector alone (never padded) or in any batch.
LENGTH_BLOCK = 16
# Two texts of different lengths, so the traced graph keeps the general padding-mask path.
_TRACE_TEXTS = ("short text", "a longer text, so that the first one is padded when traced")


class UnsupportedModel(RuntimeError):
    """The SentenceTransformer is not a plain Transformer → mean Pooling → Normalize pipeline."""


def _check_pipeline(model: Any) -> None:
    names = [type(module).__name__ for module in model]
    if names != ["Transformer", "Pooling", "Normalize"] or getattr(model[1], "pooling_mode", None) != "mean":
        raise UnsupportedModel(f"expected Transformer → mean Pooling → Normalize, got {names}")


def _convert(model: Any) -> Any:
    """The model's BERT as an OpenVINO model: (input_ids, attention_mask, token_type_ids) → last
    hidden state, dynamic batch and sequence length."""
    import openvino as ov
    import torch
    from openvino.tools.ovc import convert_impl, telemetry_stub, telemetry_utils, utils

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    bert = model[0].auto_model.eval()
    example = model.tokenizer(list(_TRACE_TEXTS), padding=True, return_tensors="pt")
    inputs = {name: example[name] for name in ("input_ids", "attention_mask", "token_type_ids")}
    for module in (telemetry_utils, convert_impl, utils):
        module.tm = telemetry_stub  # type: ignore[attr-defined]  # no usage reports, ever
    transformers_log = logging.getLogger("transformers")
    level = transformers_log.level
    transformers_log.setLevel(logging.ERROR)  # tracing reads training-only config ("loss_type") and says so
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # Tracing warns where transformers branches on shapes: whether a KV cache needs padding
            # (never: an encoder has no cache) and whether attention is causal (never for BERT).
            # Both are constants for this model, so the traced graph holds for every batch (tested).
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            warnings.simplefilter("ignore", FutureWarning)
            return ov.convert_model(LastHiddenState(bert), example_input=inputs)
    finally:
        transformers_log.setLevel(level)


def _weight_matmuls(graph: Any) -> list[Any]:
    return [
        node
        for node in graph.get_ordered_ops()
        if node.get_type_name() == "MatMul"
        and node.get_attributes().get("transpose_b")
        and node.input_value(1).get_node().get_type_name() == "Constant"
        and len(node.input_value(1).get_partial_shape()) == 2
    ]


def _smooth(graph: Any, core: Any, tokenizer: Any, texts: Sequence[str], max_length: int) -> None:
    """SmoothQuant, in place: for each weight MatMul, scale input channel j of the activations by
    1/s_j and column j of the weights by s_j (the product is unchanged), with
    s_j = max|x_j|^alpha / max|w_j|^(1-alpha), max|x_j| measured in fp32 on ``texts``.

    Transformer activations have a few channels far larger than the rest; a dynamic int8 scale
    shared by a group of channels is then set by the outlier and the others lose precision.
    Smoothing evens the channels out: 128-value groups then come closer to fp32 than 32-value
    groups did without it (cosine 0.9995 against 0.9993 at worst on the library)."""
    import openvino.opset13 as ops

    matmuls = _weight_matmuls(graph)
    probe = graph.clone()
    probe_matmuls = _weight_matmuls(probe)
    outputs = probe.add_outputs([node.input_value(0) for node in probe_matmuls])
    request = core.compile_model(probe, "CPU", {"INFERENCE_PRECISION_HINT": "f32"}).create_infer_request()
    ids = tokenizer(list(texts), padding=False, truncation=True, max_length=max_length)["input_ids"]
    maxima: list[np.ndarray | None] = [None] * len(outputs)
    for start in range(0, len(ids), 8):
        inputs = _batch_inputs(ids[start : start + 8])
        request.infer(inputs)
        real = inputs["attention_mask"].astype(bool)
        for index, output in enumerate(outputs):
            seen = np.abs(np.asarray(request.get_tensor(output).data)[real]).max(axis=0)
            previous = maxima[index]
            maxima[index] = seen if previous is None else np.maximum(previous, seen)
    for node, x_max in zip(matmuls, maxima, strict=True):
        if x_max is None:
            raise ValueError("no calibration text to measure the activations on")
        weights = np.asarray(node.input_value(1).get_node().get_data(), dtype=np.float32)
        w_max = np.abs(weights).max(axis=0)
        scale = (
            np.maximum(x_max, 1e-5) ** SMOOTHING_ALPHA / np.maximum(w_max, 1e-5) ** (1 - SMOOTHING_ALPHA)
        ).astype(np.float32)
        node.input(1).replace_source_output(ops.constant(weights * scale[None, :]).output(0))
        smoothed = ops.multiply(node.input_value(0), ops.constant((1.0 / scale).astype(np.float32)))
        node.input(0).replace_source_output(smoothed.output(0))
    graph.validate_nodes_and_infer_types()


def _int8_weights(graph: Any) -> int:
    """Store each MatMul's constant weight matrix (``[N, K]``, used transposed) as int8 in place:
    symmetric, one f32 scale per ``WEIGHT_GROUP`` weights of a row, rebuilt by Convert → Multiply
    → Reshape, the "compressed weights" pattern OpenVINO's CPU plugin keeps int8 in memory and
    feeds to its int8 kernels. Returns how many matrices it converted."""
    import openvino as ov
    import openvino.opset13 as ops

    converted = 0
    for node in _weight_matmuls(graph):
        weights = np.asarray(node.input_value(1).get_node().get_data(), dtype=np.float32)
        rows, cols = weights.shape
        group = WEIGHT_GROUP if cols % WEIGHT_GROUP == 0 else cols
        grouped = weights.reshape(rows, cols // group, group)
        scale = np.abs(grouped).max(axis=2, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        quantised = np.clip(np.rint(grouped / scale), -127, 127).astype(np.int8)
        rebuilt = ops.reshape(
            ops.multiply(
                ops.convert(ops.constant(quantised, dtype=ov.Type.i8), ov.Type.f32),
                ops.constant(scale.astype(np.float32)),
            ),
            ops.constant(np.array([rows, cols], dtype=np.int64)),
            special_zero=False,
        )
        node.input(1).replace_source_output(rebuilt.output(0))
        converted += 1
    graph.validate_nodes_and_infer_types()
    return converted


class OpenVINOEncoder:
    """Encodes texts like ``SentenceTransformer.encode`` (mean pooling, unit length), on OpenVINO.

    One text (a search query) runs on a latency-tuned compiled model with ``query_threads`` threads
    and one infer request per calling thread (web workers serve several threads). Many texts are
    sorted by token count, cut into batches and run on a throughput-tuned compiled model with one
    stream per thread (``set_threads``), batches in flight on every stream at once.
    """

    def __init__(
        self,
        model: Any,
        *,
        precision: str = "auto",
        query_threads: int = 1,
        batch_threads: int = 1,
        calibration_texts: Sequence[str] = (),
    ):
        import openvino as ov

        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        if precision in ("auto", "int8") and not calibration_texts:
            raise ValueError("int8 needs calibration texts (a few dozen like those to be embedded)")
        _check_pipeline(model)
        started = time.monotonic()
        self.tokenizer = model.tokenizer
        self.max_seq_length = int(model.max_seq_length)
        self._precision = precision
        self._core = ov.Core()
        self._graph = _convert(model)
        self._int8 = precision in ("auto", "int8")
        if self._int8:
            _smooth(self._graph, self._core, self.tokenizer, calibration_texts, self.max_seq_length)
            if not _int8_weights(self._graph):
                raise UnsupportedModel("no weight matrix to store as int8")
        self._latency = self._compile(
            {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": max(1, query_threads)}
        )
        self._local = threading.local()
        self._lock = threading.Lock()
        self._batch_threads = max(1, batch_threads)
        self._throughput: Any = None
        logger.info(
            "Embedding model running on OpenVINO (%s) after %.1f s of conversion",
            self.inference_precision,
            time.monotonic() - started,
        )

    def _compile(self, config: dict[str, Any]) -> Any:
        if self._int8:
            # The int8 matrix products, and fp32 for the rest, on every CPU: with bf16 attention
            # (an AMX CPU's default) fidelity and batch independence would be untested.
            config["DYNAMIC_QUANTIZATION_GROUP_SIZE"] = ACTIVATION_GROUP
            config["INFERENCE_PRECISION_HINT"] = "f32"
        else:
            config["INFERENCE_PRECISION_HINT"] = self._precision
        return self._core.compile_model(self._graph, "CPU", config)

    @property
    def inference_precision(self) -> str:
        """What the matrix products compute in: "int8" (dynamic), "bf16" or "f32"."""
        if self._int8:
            return "int8"
        return str(self._latency.get_property("INFERENCE_PRECISION_HINT").get_type_name())

    def set_threads(self, count: int) -> None:
        """Threads (one stream each) for batches of many texts; compiles for them now (~0.5 s)."""
        with self._lock:
            if max(1, int(count)) != self._batch_threads:
                self._batch_threads = max(1, int(count))
                self._throughput = None
        self._throughput_model()

    def _throughput_model(self) -> Any:
        with self._lock:
            if self._throughput is None:
                threads = self._batch_threads
                self._throughput = self._compile(
                    {
                        "PERFORMANCE_HINT": "THROUGHPUT",
                        "NUM_STREAMS": threads,
                        "INFERENCE_NUM_THREADS": threads,
                    }
                )
            return self._throughput

    def _query_request(self) -> Any:
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self._latency.create_infer_request()
        return request

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 16,
        convert_to_numpy: bool = True,
        normalize_embeddings: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """float32 vectors, shape (len(texts), 384), in the order of ``texts``."""
        texts = [str(text).strip() for text in texts]
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenizer(texts, padding=False, truncation=True, max_length=self.max_seq_length)[
            "input_ids"
        ]
        if len(texts) == 1:
            request = self._query_request()
            request.infer(_batch_inputs([ids[0]]))
            out[0] = _pool(request)[0]
        else:
            order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
            queue = _async_queue(self._throughput_model())
            failures: list[BaseException] = []

            def done(request: Any, rows: list[int]) -> None:
                try:
                    out[rows] = _pool(request)
                except BaseException as exc:  # raised again below: never store a zero vector
                    failures.append(exc)

            queue.set_callback(done)
            size = max(1, int(batch_size))
            for _, same_block in itertools.groupby(order, key=lambda i: len(ids[i]) // LENGTH_BLOCK):
                group = list(same_block)
                for start in range(0, len(group), size):
                    rows = group[start : start + size]
                    queue.start_async(_batch_inputs([ids[i] for i in rows]), rows)
            queue.wait_all()
            if failures:
                raise RuntimeError("OpenVINO batch failed") from failures[0]
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def _async_queue(compiled: Any) -> Any:
    import openvino as ov

    return ov.AsyncInferQueue(
        compiled, max(1, int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))
    )


def _batch_inputs(rows: list[list[int]]) -> dict[str, np.ndarray]:
    width = max(len(row) for row in rows)
    input_ids = np.zeros((len(rows), width), dtype=np.int64)
    attention_mask = np.zeros_like(input_ids)
    for r, row in enumerate(rows):
        input_ids[r, : len(row)] = row
        attention_mask[r, : len(row)] = 1
    return {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "token_type_ids": np.zeros_like(input_ids),
    }


def _pool(request: Any) -> np.ndarray:
    """Mean of the token vectors over the real (unpadded) tokens, as sentence-transformers does."""
    hidden = np.asarray(request.get_output_tensor(0).data, dtype=np.float32)
    mask = np.asarray(request.get_tensor("attention_mask").data, dtype=np.float32)[..., None]
    return (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
