"""python manage.py embed_exercises [--all] [--batch-size N]: embed missing or stale exercises."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises import embeddings


class Command(BaseCommand):
    help = "Embed exercises whose embedding is missing or stale (--all: every exercise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Re-embed every exercise, stale or not.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=embeddings.BATCH_SIZE,
            help=f"Texts per model batch (default {embeddings.BATCH_SIZE}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=os.cpu_count() or 1,
            help="CPU threads for the model (default: all cores; use 1 on a busy machine).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1 or batch_size > 4096:
            raise CommandError("--batch-size must be between 1 and 4096.")
        todo = embeddings.exercises_needing_embedding(everything=options["all"])
        if not todo:
            self.stdout.write("exercises: all embeddings are up to date")
            return
        started = time.perf_counter()
        try:
            embeddings.runtime().model()
        except embeddings.EmbeddingUnavailable as exc:
            raise CommandError(f"{exc} {len(todo)} exercises stay without a current embedding.") from exc
        embeddings.runtime().set_threads(options["threads"])
        loaded = time.perf_counter()
        bar = None
        show_progress = not options["no_progress"] and options.get("verbosity", 1) > 0
        if show_progress:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), unit="exercise", desc="embedding", file=self.stderr._out)
        try:
            written = embeddings.embed_exercises(
                todo, batch_size=batch_size, progress=bar.update if bar is not None else None
            )
        except embeddings.EmbeddingUnavailable as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        done = time.perf_counter()
        rate = written / (done - loaded) if done > loaded else 0.0
        self.stdout.write(
            f"exercises: {written} embedded in {done - loaded:.1f} s ({rate:.0f}/s; "
            f"model ready in {loaded - started:.1f} s)"
        )
