"""embed_exercises throughput (exercises/s) with the real model.

Run: `.venv/bin/python bench/bench_embed.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_embed, created and dropped here): seeds the library (256 exercises)
and times `embed_exercises --all` end to end (read, build texts, encode, write) RUNS times with 1
and with all CPU threads, on the configured backend (OpenVINO by default, int8), then the same
with OpenVINO in fp32 and with eager PyTorch for comparison. Prints every run and the median:
these machines' speed swings by up to 2x from second to second (neighbours on the host), so one
run says little. The first run of each series is cold: on OpenVINO a freshly compiled model meets
every batch shape for the first time.
Target: ≥ 200 exercises/s on a 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import time
from io import StringIO

import _django

_django.setup("_bench_embed")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

TARGET = 200.0
RUNS = int(os.environ.get("BENCH_EMBED_RUNS", "7"))


def describe(model: object) -> str:
    precision = getattr(model, "inference_precision", None)
    return f"OpenVINO, {precision}" if precision else "eager PyTorch, fp32"


def measure(count: int, label: str) -> None:
    from exercises.models import Exercise

    for threads in sorted({1, os.cpu_count() or 1}):
        rates = []
        for _ in range(RUNS):
            out = StringIO()
            started = time.perf_counter()
            call_command("embed_exercises", "--all", "--no-progress", "--threads", str(threads), stdout=out)
            rates.append(count / (time.perf_counter() - started))
            assert not Exercise.objects.filter(embedding__isnull=True).exists()
        runs = " ".join(f"{rate:.0f}" for rate in rates)
        print(
            f"{label}, {threads} thread(s): median {statistics.median(rates):6.1f} exercises/s "
            f"(min {min(rates):.0f}, max {max(rates):.0f}; runs: {runs}; the first is cold)"
        )


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from exercises import embeddings

        call_command("seed", stdout=StringIO())
        started = time.perf_counter()
        model = embeddings.runtime().model()
        print(
            f"model ready in {time.perf_counter() - started:.1f} s (import + load + convert, once per process)"
        )
        exercises = embeddings.exercises_needing_embedding(everything=True)
        texts = [embeddings.embedding_text(e) for e in exercises]
        tokens = [len(ids) for ids in model.tokenizer(texts)["input_ids"]]
        print(
            f"{len(exercises)} exercises, {sum(tokens) / len(tokens):.0f} tokens per embedded text on average"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {RUNS} runs each")
        measure(len(exercises), f"embed_exercises --all ({describe(model)})")

        if settings.EMBEDDING_PRECISION != "f32":  # what int8 (or bf16) gains over OpenVINO's fp32
            settings.EMBEDDING_PRECISION = "f32"
            embeddings.runtime.cache_clear()
            measure(len(exercises), f"embed_exercises --all ({describe(embeddings.runtime().model())})")

        settings.EMBEDDING_BACKEND = "torch"
        embeddings.runtime.cache_clear()
        measure(len(exercises), f"embed_exercises --all ({describe(embeddings.runtime().model())})")
        print(f"target: ≥ {TARGET:.0f} exercises/s (median, all threads, default backend)")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
