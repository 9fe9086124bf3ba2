"""programs.rendering: the builder's hot-loop HTML escapes every value and keeps its structure."""

from __future__ import annotations

from programs.rendering import exercise_row, muscle_row
from programs.views.common import BuilderItem
from programs.volume import Contributor, Landmarks, MuscleVolume

EVIL = '<script>alert("x")</script>'


def item(**extra):
    values = {
        "session_exercise_id": "se1",
        "session_id": "s1",
        "exercise_id": "e1",
        "exercise": EVIL,
        "equipment": "BARBELL",
        "order_index": 0,
        "sets": 3,
        "reps": "8-12",
        "rest_seconds": None,
        "notes": '"quoted" & <b>',
        "urls": {"update": "/u/", "move": "/m/", "remove": "/r/", "substitutes": "/s/"},
    }
    values.update(extra)
    return BuilderItem(**values)


def test_exercise_row_escapes_and_labels_every_input():
    html = exercise_row(item(), editable=True, csrf_token="tok")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'value="&quot;quoted&quot; &amp; &lt;b&gt;"' in html
    for field in ("sets", "reps", "rest", "notes"):
        assert f'<label for="{field}-se1">' in html and f'id="{field}-se1"' in html
    assert 'name="csrfmiddlewaretoken" value="tok"' in html
    assert html.index('id="save-se1"') < html.index('formaction="/m/"')  # Enter saves


def test_exercise_row_with_errors_shows_them_at_the_field():
    html = exercise_row(
        item(),
        editable=True,
        csrf_token="tok",
        state={
            "errors": {"sets": "At most 20 sets."},
            "values": {"sets": "21", "reps": "8-12", "rest_seconds": "", "notes": ""},
        },
    )
    assert 'value="21" aria-invalid="true" aria-describedby="sets-se1-error"' in html
    assert '<span class="errorlist" id="sets-se1-error">At most 20 sets.</span>' in html


def test_read_only_row_has_no_form():
    html = exercise_row(item(rest_seconds=90), editable=False, csrf_token="")
    assert "<form" not in html and "3 sets × 8-12 · rest 90 s" in html


def test_muscle_row_escapes_contributors_and_describes_the_bar():
    m = MuscleVolume(
        muscle="CHEST",
        fractional_sets=6.0,
        direct_sets=6.0,
        frequency=2,
        status="productive",
        landmarks=Landmarks(4, 6, 12, 20, 22),
        contributors=(Contributor("s1", EVIL, "se1", "Bench", 3, 1.0),),
    )
    html = muscle_row(m, "per week")
    assert "<script>" not in html
    assert 'data-muscle="CHEST" data-sets="6"' in html
    assert 'role="img" aria-label="Chest: 6 fractional sets per week, productive' in html
    assert "<td>3 × 1</td><td>3</td>" in html


def test_exercise_row_targets_itself_without_repeating_its_id():
    """The row's id appears once (plus the labelled inputs and Save); htmx targets by position
    (``closest li``, ``next .swap-area``), so the 36 rows of a 6 × 6 builder carry no repeats."""
    html = exercise_row(item(), editable=True, csrf_token="tok")
    assert 'hx-target="closest li" hx-swap="outerHTML"' in html
    assert 'hx-get="/s/" hx-target="next .swap-area"' in html
    assert html.index("next .swap-area") < html.index('<div class="swap-area"></div></li>')
    assert html.count("se1") == 1 + 2 * 4 + 1  # the li, label/input per field, Save
