"""At 10,000 exercises PostgreSQL's real plans (after VACUUM ANALYZE, no planner switches) use the trigram
GIN index for name search and the HNSW index for semantic search."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction

from exercises.selectors import (
    exercise_filter,
    exercise_search,
    exercise_visible_queryset,
    semantic_nearest_queryset,
)
from exercises.tests.bulk import bulk_insert_exercises, unit_vectors, vacuum_analyze

# Committed data (a transactional test), so the table can be vacuumed like a real one; the rows are
# flushed afterwards. Slow: a 10,000-row COPY and an index build per test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROWS = 10_000


@pytest.fixture
def big_library():
    started = time.perf_counter()
    bulk_insert_exercises(ROWS, seed=1)
    vacuum_analyze()
    print(f"inserted {ROWS} exercises in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def explain(qs) -> str:
    return qs.explain()


def test_name_search_uses_the_trigram_index(big_library):
    for query in ("bench press", "benhc pres", "romanian deadlift"):
        qs = exercise_search(user=None, query=query)
        plan = explain(qs[:20])
        assert "ix_exercises_name_trgm" in plan, plan
        assert qs.count() > 0
    plan = explain(
        exercise_search(user=None, query="lateral raise", muscles=["SIDE_DELTS"], difficulty="BEGINNER")[:20]
    )
    assert "ix_exercises_name_trgm" in plan, plan


def test_semantic_search_uses_the_hnsw_index(big_library):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        vector = unit_vectors(1, seed=99)[0].tolist()
        plan = explain(semantic_nearest_queryset(exercise_visible_queryset(user=None), vector)[:60])
        assert "ix_exercises_embedding_cosine" in plan, plan
        # With a filter the index scan keeps going until LIMIT rows pass it (iterative scan).
        base = exercise_filter(exercise_visible_queryset(user=None), user=None, difficulty="ADVANCED")
        plan = explain(semantic_nearest_queryset(base, vector)[:60])
        results = list(semantic_nearest_queryset(base, vector)[:60])
    assert "ix_exercises_embedding_cosine" in plan, plan
    assert len(results) == 60
    assert all(e.difficulty == "ADVANCED" for e in results)
