"""Embedding text, content hash and staleness, storage, the query cache, the embed_exercises command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from exercises import embeddings
from exercises.domain import Difficulty, Equipment
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def bench(**kw):
    data = {
        "name": "Barbell Bench Press",
        "equipment": Equipment.BARBELL,
        "difficulty": Difficulty.INTERMEDIATE,
        "description": "Lie on a flat bench and press the bar.",
        "muscle_contributions": {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5},
    }
    data.update(kw)
    return ExerciseFactory(**data)


def test_embedding_text_describes_the_exercise_in_words():
    text = embeddings.embedding_text(bench())
    assert text == (
        "Barbell Bench Press. barbell, intermediate. "
        "prime mover: chest (pecs); synergists: front delts, triceps. "
        "Lie on a flat bench and press the bar."
    )


def test_embedding_text_roles_in_order_and_no_empty_description():
    curl = ExerciseFactory(
        name="Hammer Curl",
        equipment=Equipment.DUMBBELL,
        difficulty=Difficulty.BEGINNER,
        description="",
        muscle_contributions={"ELBOW_FLEXORS": 1.0, "FOREARMS": 0.25},
    )
    assert embeddings.embedding_text(curl) == (
        "Hammer Curl. dumbbell, beginner. prime mover: biceps (elbow flexors); minor: forearms (grip)."
    )


def test_hash_is_sha256_of_the_text():
    digest = embeddings.embedding_hash("abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_staleness_follows_the_text(fake_model):
    exercise = bench()
    assert embeddings.is_stale(exercise)
    embeddings.embed_exercises([exercise])
    exercise = Exercise.objects.get(pk=exercise.pk)
    assert not embeddings.is_stale(exercise)
    assert len(exercise.embedding) == 384
    exercise.description = "Now with a pause on the chest."
    assert embeddings.is_stale(exercise)
    exercise.save()
    assert [e.pk for e in embeddings.exercises_needing_embedding()] == [exercise.pk]


def test_stored_vector_matches_the_model(fake_model):
    exercise = bench()
    embeddings.embed_exercises([exercise])
    stored = Exercise.objects.get(pk=exercise.pk).embedding
    expected = fake_model.encode([embeddings.embedding_text(exercise)])[0]
    assert max(abs(a - b) for a, b in zip(stored, expected, strict=True)) < 1e-6


def test_query_embedding_is_cached_by_normalised_text(fake_model):
    first = embeddings.embed_query("Rear delts  with CABLES")
    second = embeddings.embed_query("rear delts with cables")
    assert first == second
    assert fake_model.calls == 1
    assert fake_model.texts == ["rear delts with cables"]


def test_command_embeds_missing_then_nothing_then_all(fake_model):
    ExerciseFactory.create_batch(3)
    out = StringIO()
    call_command("embed_exercises", "--no-progress", stdout=out)
    assert "3 embedded" in out.getvalue()
    assert not Exercise.objects.filter(embedding__isnull=True).exists()
    out = StringIO()
    call_command("embed_exercises", "--no-progress", stdout=out)
    assert "up to date" in out.getvalue()
    out = StringIO()
    call_command("embed_exercises", "--all", "--batch-size", "2", "--no-progress", stdout=out)
    assert "3 embedded" in out.getvalue()
    assert fake_model.calls == 2  # the missing 3, then all 3 again
    assert fake_model.batch_sizes == [embeddings.BATCH_SIZE, 2]


def test_command_encodes_and_writes_in_chunks(fake_model, monkeypatch):
    """Texts go to the model a chunk at a time (batches of a chunk run together) and each chunk is
    written as soon as it is encoded, so a long run keeps what it has done."""
    monkeypatch.setattr(embeddings, "WRITE_CHUNK", 2)
    ExerciseFactory.create_batch(5)
    ticks: list[int] = []
    todo = embeddings.exercises_needing_embedding()
    assert embeddings.embed_exercises(todo, batch_size=2, progress=ticks.append) == 5
    assert fake_model.calls == 3
    assert ticks == [2, 2, 1]
    assert not Exercise.objects.filter(embedding__isnull=True).exists()


def test_command_skips_deleted_exercises(fake_model):
    gone = ExerciseFactory()
    gone.mark_deleted()
    gone.save()
    out = StringIO()
    call_command("embed_exercises", "--no-progress", stdout=out)
    assert "up to date" in out.getvalue()


def test_command_reports_an_unavailable_model(broken_model):
    ExerciseFactory()
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("embed_exercises", "--no-progress", stdout=StringIO())


def test_command_rejects_a_silly_batch_size():
    with pytest.raises(CommandError, match="batch-size"):
        call_command("embed_exercises", "--batch-size", "0", stdout=StringIO())


def test_model_is_loaded_lazily():
    """Importing the app (and this module) must not load torch or OpenVINO: ~8 s per process."""
    import subprocess
    import sys

    code = (
        "import django, sys; "
        "django.setup(); import exercises.embeddings, exercises.views, exercises.services; "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules, 'openvino' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "hypertroq.settings.test"},
    )
    assert result.stdout.strip().splitlines()[-1] == "False False False"


def test_openvino_failure_falls_back_to_pytorch(monkeypatch, caplog):
    """If OpenVINO cannot run the model, the SentenceTransformer (eager PyTorch) is used, logged."""
    from exercises.integrations import openvino_encoder
    from exercises.integrations.embedding_runtime import EmbeddingRuntime

    def cannot(*args, **kwargs):
        raise RuntimeError("conversion failed")

    monkeypatch.setattr(openvino_encoder, "OpenVINOEncoder", cannot)
    sentence_transformer = object()
    runtime = EmbeddingRuntime(backend="openvino")
    assert runtime._openvino_encoder(sentence_transformer) is sentence_transformer
    assert "using PyTorch" in caplog.text


def test_openvino_runs_only_the_pipeline_it_reproduces():
    """The encoder re-implements mean pooling + normalisation, so any other pipeline is refused
    (and the fallback above takes over) rather than silently giving different vectors."""
    from exercises.integrations import openvino_encoder as inference

    class Module:
        pass

    class Transformer(Module):
        pass

    class Pooling(Module):
        pooling_mode = "cls"

    class Normalize(Module):
        pass

    with pytest.raises(inference.UnsupportedModel):
        inference._check_pipeline([Transformer(), Pooling(), Normalize()])
    with pytest.raises(inference.UnsupportedModel):
        inference._check_pipeline([Transformer(), Pooling()])
    Pooling.pooling_mode = "mean"
    inference._check_pipeline([Transformer(), Pooling(), Normalize()])
