"""Name search finds what lifters type (issue 15, item 14): ranked by match, abbreviations,
synonyms, plurals and typos, on the seeded library. The labelled set lives in
``data/name_queries.toml``; ``bench/bench_search_quality.py`` prints the same figures."""

from __future__ import annotations

import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exercises.models import Exercise
from exercises.search_terms import search_terms
from exercises.seed import load_exercises
from exercises.selectors import exercise_search
from exercises.services import exercise_upsert_global

QUERIES = tomllib.loads((Path(__file__).parent / "data" / "name_queries.toml").read_text())["query"]
# Measured 88/89 (98.9%; the 30 held-out queries 30/30) when this landed; 69/89 (77.5%) before
# aliases and match ranking (bench/bench_search_quality.py).
HIT_AT_3_FLOOR = 0.9


@pytest.fixture
def seeded():
    call_command("seed", stdout=StringIO())


def names(query: str, **filters) -> list[str]:
    return [e.name for e in exercise_search(user=None, query=query, **filters)]


def test_labelled_set_is_big_enough_and_names_real_exercises():
    library = {e.name for e in load_exercises()}
    assert len(QUERIES) >= 40
    for query in QUERIES:
        unknown = [name for name in query["accept"] if name not in library]
        assert not unknown, f"{query['text']!r} accepts exercises not in the library: {unknown}"


@pytest.mark.django_db
def test_hit_at_3_on_the_labelled_queries(seeded, capsys):
    misses = []
    for query in QUERIES:
        top3 = names(query["text"])[:3]
        if not set(top3) & set(query["accept"]):
            misses.append((query["text"], top3))
    rate = 1 - len(misses) / len(QUERIES)
    with capsys.disabled():
        print(f"\nname search hit@3: {len(QUERIES) - len(misses)}/{len(QUERIES)} = {rate:.1%}")
    assert rate >= HIT_AT_3_FLOOR, misses


@pytest.mark.django_db
def test_the_searches_the_issue_reports(seeded):
    # "pullup": Pull-Up was 16th of 20, alphabetical among equal trigram scores.
    assert names("pullup")[0] == "Pull-Up"
    assert names("pull up")[0] == "Pull-Up"
    # "bicep curl" listed leg curls; every result now trains the biceps.
    curls = exercise_search(user=None, query="bicep curl")
    assert curls.exists()
    assert all(float(e.muscle_contributions.get("ELBOW_FLEXORS", 0)) >= 0.5 for e in curls)
    # ... and every curl for the biceps, not only those named "biceps curl".
    assert {"Hammer Curl", "EZ-Bar Curl", "Preacher Curl"} <= set(names("bicep curl"))
    assert names("bicep curl")[:2] == ["Barbell Curl", "Dumbbell Curl"]
    # "chin-up" listed a chest press.
    assert names("chin-up")[0] == "Chin-Up"
    assert not [n for n in names("chin-up") if "Chest" in n]
    assert names("chin up")[0] == "Chin-Up"
    for typed, wanted in {
        "RDL": "Romanian Deadlift",
        "SLDL": "Stiff-Leg Deadlift",
        "OHP": "Overhead Press",
        "DB bench": "Dumbbell Bench Press",
        "BB row": "Barbell Row",
        "EZ curl": "EZ-Bar Curl",
        "skull crusher": "Skull Crusher",
        "face pull": "Face Pull",
    }.items():
        assert names(typed)[0] == wanted, (typed, names(typed)[:3])
    assert names("lat raise")[0].endswith("Lateral Raise")


@pytest.mark.django_db
def test_a_muscle_word_keeps_exercises_named_with_it(seeded):
    # "trap" is not a muscle word (trap bar); "chest" keeps the chest-supported rows.
    assert names("trap bar deadlift")[0] == "Trap Bar Deadlift"
    assert "Chest-Supported Dumbbell Row" in names("chest supported row")[:2]


@pytest.mark.django_db
def test_search_combines_aliases_with_filters(seeded):
    assert names("rdl", equipment=["DUMBBELL"])[0] == "Dumbbell Romanian Deadlift"
    assert "Romanian Deadlift" not in names("rdl", equipment=["DUMBBELL"])


@pytest.mark.django_db
def test_reseeding_brings_aliases_to_an_existing_library():
    """A database seeded before aliases existed gets them from `manage.py seed` (the update path)."""
    data = next(d for d in load_exercises() if d.name == "Overhead Press")
    assert "military press" in data.aliases
    call_command("seed", stdout=StringIO())
    exercise, outcome = exercise_upsert_global(data=data)
    assert outcome == "unchanged"
    Exercise.objects.filter(pk=exercise.pk).update(aliases="")  # as a database seeded before aliases
    assert names("military press")[:1] != ["Overhead Press"]
    call_command("seed", stdout=StringIO())
    exercise.refresh_from_db()
    assert "military press" in exercise.alias_list
    assert names("military press")[0] == "Overhead Press"


def test_search_terms_spell_out_what_lifters_type():
    assert search_terms("DB RDLs").text == "dumbbell romanian deadlift"
    assert search_terms("EZ curl").text == "ez bar curl"
    assert search_terms("Chin-Up").text == "chin up"
    assert search_terms("calf raises").text == "calf raise"
    assert search_terms("farmer's carry").raw == "farmers carry"
    assert search_terms("bicep curls").muscles == {"biceps": ("ELBOW_FLEXORS",)}
    assert search_terms("trap bar").muscles == {}
    assert search_terms("press").text == "press"


@pytest.mark.django_db
def test_the_exercise_page_shows_other_names_and_what_it_needs(client, seeded):
    from django.urls import reverse

    pull_up = Exercise.objects.get(name="Pull-Up")
    html = client.get(reverse("exercises:detail", kwargs={"exercise_id": pull_up.pk})).content.decode()
    assert "Also called" in html and "pullup" in html
    assert "Also needs" in html and "A pull-up bar" in html


@pytest.mark.django_db
def test_staff_see_and_search_aliases_needs_and_gentle_in_admin(admin_client, seeded):
    from django.urls import reverse

    rdl = Exercise.objects.get(name="Romanian Deadlift")
    page = admin_client.get(reverse("admin:exercises_exercise_change", args=[rdl.pk])).content.decode()
    assert 'name="aliases"' in page and 'name="needs"' in page and 'name="is_gentle"' in page
    found = admin_client.get(reverse("admin:exercises_exercise_changelist"), {"q": "SLDL"}).content.decode()
    assert "Stiff-Leg Deadlift" in found


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["((", "+*?", "--", "'"])
def test_punctuation_and_regex_characters_are_harmless(seeded, typed):
    assert list(exercise_search(user=None, query=typed)) == []
    # Letters among them are searched for as letters.
    assert "Front Squat" in names(f"{typed}front squat{typed}")[:1]
