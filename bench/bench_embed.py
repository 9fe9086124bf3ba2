"""embed_exercises throughput (exercises/s) with the real model.

Run: `.venv/bin/python bench/bench_embed.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_embed, created and dropped here): seeds the library (256 exercises)
and times `embed_exercises --all` with 1 and with all CPU threads, then the same texts cut to the
name only, to show where the time goes (the model's cost grows with the tokens per text).
Target: ≥ 200 exercises/s on a 2-core machine.
"""

from __future__ import annotations

import os
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hypertroq.settings")
os.environ["HYPERTROQ_TEST_DB_SUFFIX"] = "_bench_embed"
os.environ.setdefault("HYPERTROQ_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

TARGET = 200.0


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from exercises import embeddings
        from exercises.models import Exercise

        call_command("seed", stdout=StringIO())
        started = time.perf_counter()
        model = embeddings.get_model()
        print(f"model ready in {time.perf_counter() - started:.1f} s (import + load, once per process)")
        exercises = embeddings.exercises_needing_embedding(everything=True)
        texts = [embeddings.embedding_text(e) for e in exercises]
        tokens = [len(ids) for ids in model.tokenizer(texts)["input_ids"]]
        print(
            f"{len(exercises)} exercises, {sum(tokens) / len(tokens):.0f} tokens per embedded text on average"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for threads in sorted({1, os.cpu_count() or 1}):
            out = StringIO()
            started = time.perf_counter()
            call_command("embed_exercises", "--all", "--no-progress", "--threads", str(threads), stdout=out)
            elapsed = time.perf_counter() - started
            assert not Exercise.objects.filter(embedding__isnull=True).exists()
            print(
                f"embed_exercises --all, {threads} thread(s): {len(exercises) / elapsed:6.1f} exercises/s end to end  [{out.getvalue().strip()}]"
            )
        names = [e.name for e in exercises]
        started = time.perf_counter()
        embeddings.embed_texts(names)
        elapsed = time.perf_counter() - started
        print(
            f"for comparison, names only (~{sum(len(i) for i in model.tokenizer(names)['input_ids']) / len(names):.0f} tokens): {len(names) / elapsed:6.1f} texts/s"
        )
        print(f"target: ≥ {TARGET:.0f} exercises/s")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
