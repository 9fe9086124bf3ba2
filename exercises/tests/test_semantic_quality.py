"""The real model (marked slow; still runs in CI): ranking quality on the labelled queries and the
query-embedding cache against a real Redis. The model loads once per process (module singleton)."""

from __future__ import annotations

import os
import tomllib
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exercises import embeddings
from exercises.selectors import exercise_semantic_search

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

QUERIES = tomllib.loads((Path(__file__).parent / "data" / "semantic_queries.toml").read_text())["query"]
TARGET_HIT_RATE = 0.85


def test_labelled_set_is_big_enough_and_names_real_exercises():
    from hypertroq.seed import load_exercises

    names = {e.name for e in load_exercises()}
    assert len(QUERIES) >= 30
    for query in QUERIES:
        unknown = [name for name in query["accept"] if name not in names]
        assert not unknown, f"{query['text']!r} accepts exercises not in the library: {unknown}"


def test_semantic_ranking_on_the_seeded_library(capsys):
    """Top-5 hit rate on the labelled queries >= 85%, and an exact name still ranks first.
    (One test, so the library is seeded and embedded once.)"""
    call_command("seed", stdout=StringIO())
    todo = embeddings.exercises_needing_embedding()
    assert embeddings.embed_exercises(todo) == len(todo)
    misses = []
    for query in QUERIES:
        top5 = [e.name for e in exercise_semantic_search(user=None, text=query["text"], limit=5)]
        if not set(top5) & set(query["accept"]):
            misses.append((query["text"], top5))
    rate = 1 - len(misses) / len(QUERIES)
    with capsys.disabled():
        print(f"\nsemantic search top-5 hit rate: {len(QUERIES) - len(misses)}/{len(QUERIES)} = {rate:.1%}")
        for text, top5 in misses:
            print(f"  miss: {text!r} -> {top5}")
    assert rate >= TARGET_HIT_RATE, misses
    for name in ("Romanian Deadlift", "Face Pull", "Leg Press", "Bulgarian Split Squat"):
        assert exercise_semantic_search(user=None, text=name.lower(), limit=5)[0].name == name


def test_repeated_query_is_served_from_redis_without_the_model(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ.get("HYPERTROQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "KEY_PREFIX": "hypertroq-test-exercises",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    assert isinstance(caches["default"], RedisCache)
    model = embeddings.get_model()
    calls = []
    original = model.encode

    def spy(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(model, "encode", spy)
    text = f"rear delts with cables {uuid.uuid4().hex[:8]}"
    key = embeddings.query_cache_key(text)
    try:
        first = embeddings.embed_query(text)
        assert len(calls) == 1
        assert len(caches["default"].get(key)) == 384
        second = embeddings.embed_query("  " + text.upper() + " ")
        assert len(calls) == 1, "the repeated (normalised) query must come from Redis, not the model"
        assert second == pytest.approx(first)
    finally:
        caches["default"].delete(key)


def test_bf16_vectors_match_fp32_ones(settings):
    """The bfloat16 fast path (where the CPU has it) gives the same directions as fp32."""
    from hypertroq.seed import load_exercises

    texts = [f"{e.name}. {e.description}" for e in load_exercises()[:64]]
    settings.EMBEDDING_BF16 = False
    exact = embeddings.embed_texts(texts)
    settings.EMBEDDING_BF16 = True
    fast = embeddings.embed_texts(texts)
    if not embeddings.bf16_supported():
        pytest.skip("this CPU has no native bfloat16; the fp32 path is the only one used")
    cosines = (exact * fast).sum(axis=1)
    assert cosines.min() > 0.999
