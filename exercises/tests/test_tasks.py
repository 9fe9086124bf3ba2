"""Embedding a saved custom exercise is a job on the queue; search by name finds it meanwhile."""

from __future__ import annotations

from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.tests.factories import UserFactory
from exercises.models import Exercise
from exercises.tests.test_custom_exercises import valid_post


def test_saving_enqueues_the_embedding_and_a_worker_runs_it(job_worker, client, monkeypatch):
    embedded: list = []
    monkeypatch.setattr(
        "exercises.embeddings.embed_exercise_ids", lambda ids: embedded.extend(ids) or len(ids)
    )
    client.force_login(UserFactory(subscription_tier="pro"))

    assert client.post(reverse("exercises:create"), valid_post()).status_code == 302
    exercise = Exercise.objects.get(name="Landmine Press")
    (job,) = ProcrastinateJob.objects.filter(task_name="exercises.embed_exercises")
    assert (job.status, job.queue_name, job.args) == (
        "todo",
        "embeddings",
        {"exercise_ids": [str(exercise.pk)]},
    )
    assert embedded == []  # the request did not wait for the model

    listing = client.get(reverse("exercises:list"), {"q": "landmine"})
    assert "Landmine Press" in listing.content.decode()  # found by name before it has a vector

    job_worker.run_until_idle()
    assert embedded == [exercise.pk]
    job.refresh_from_db()
    assert job.status == "succeeded"
