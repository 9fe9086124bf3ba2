"""Exercise jobs: embed a custom exercise after it is saved, and re-embed stale ones hourly."""

from __future__ import annotations

import uuid
from typing import Any

from procrastinate.contrib.django import app

from exercises import embeddings
from hypertroq.jobs import QUEUE_EMBEDDINGS, MalformedJob, backoff, payload_uuid

MAX_IDS_PER_JOB = 500


@app.task(name="exercises.embed_exercises", queue=QUEUE_EMBEDDINGS, retry=backoff(retries=5))
def embed_exercises_job(*, exercise_ids: Any) -> int:
    """Embed these exercises if their embedding is missing or stale (a rerun finds nothing to do).
    Until it has run, search finds them by name; a model that cannot load leaves them stale for
    the hourly job."""
    if not isinstance(exercise_ids, list) or len(exercise_ids) > MAX_IDS_PER_JOB:
        raise MalformedJob(f"exercise_ids must be a list of at most {MAX_IDS_PER_JOB} ids")
    ids: list[uuid.UUID] = [payload_uuid(value, name="exercise_ids[]") for value in exercise_ids]
    return embeddings.embed_exercise_ids(ids)


@app.periodic(cron="40 * * * *", periodic_id="embed-stale")
@app.task(
    name="exercises.embed_stale_exercises",
    queue=QUEUE_EMBEDDINGS,
    queueing_lock="embed_stale_exercises",
    retry=backoff(retries=2),
)
def embed_stale_exercises(timestamp: int) -> int:
    """Every exercise whose embedding is missing or out of date with its text (a changed
    description, a new embedding text format, an earlier failure)."""
    stale = embeddings.exercises_needing_embedding()
    if not stale:
        return 0
    return embeddings.embed_exercises(stale)
