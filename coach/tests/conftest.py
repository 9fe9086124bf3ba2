"""Fixtures for the coach tests that need the database."""

from __future__ import annotations

import pytest

from exercises.models import Exercise
from exercises.seed import load_exercises


@pytest.fixture
def library(db):
    """The seeded global library (plain bulk insert: no embeddings needed here)."""
    Exercise.objects.bulk_create(item.as_exercise() for item in load_exercises())
    return {e.name: e for e in Exercise.objects.all()}
