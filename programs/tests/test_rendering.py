"""programs.rendering: the builder's hot-loop HTML escapes every value and keeps its structure."""

from __future__ import annotations

from programs.rendering import exercise_row, muscle_row, volume_bar
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
        "urls": {
            "edit": "/e/",
            "update": "/u/",
            "move": "/m/",
            "remove": "/r/",
            "substitutes": "/s/",
            "builder": "/b/",
        },
    }
    values.update(extra)
    return BuilderItem(**values)


def test_exercise_row_shown_is_one_link_to_its_form_with_the_prescription():
    """The builder shows each row as its prescription, a link to the row's form (issue 18: no
    form, no token, one URL per row)."""
    html = exercise_row(item(rest_seconds=90), editable=True, csrf_token="tok")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="se-open" href="/e/">' in html
    assert "3 sets × 8-12 · rest 90 s · &quot;quoted&quot; &amp; &lt;b&gt;" in html
    assert (
        f'<span class="visually-hidden">Edit {EVIL.replace("<", "&lt;").replace(">", "&gt;").replace(chr(34), "&quot;")}</span>'
        in html
    )
    assert "<form" not in html and "tok" not in html and "<input" not in html
    assert html.count('"/') == 1  # one URL


def test_exercise_row_escapes_and_labels_every_input():
    html = exercise_row(item(), editable=True, csrf_token="tok", editing=True)
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
        state={  # a failed save: the form again, even without ``editing``
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
    # Without a URL (template pages) the opened part is in the row: figures and contributors.
    assert "<p>6 fractional · 6 direct sets per week · trained 2× a week</p>" in html
    assert "<td>3 × 1</td><td>3</td>" in html
    # With one (the builder), only what the closed row shows; the rest loads when it first opens.
    lazy = muscle_row(m, "per week", "/p/volume/chest/")
    assert "<td>" not in lazy and "fractional · " not in lazy and "&lt;script&gt;" not in lazy
    assert lazy.index("</summary>") > lazy.index("</svg>") > lazy.index(">Productive</span>")
    assert lazy.endswith(
        '</summary><div class="muscle-detail" hx-get="/p/volume/chest/" hx-trigger="toggle once from:closest'
        ' details"><a href="/p/volume/chest/">Figures and where these chest sets come from</a></div>'
        "</details></li>"
    )


def test_the_landmark_bar_is_described_once_and_draws_each_band_as_a_line():
    m = MuscleVolume(
        muscle="CHEST",
        fractional_sets=6.0,
        direct_sets=6.0,
        frequency=2,
        status="productive",
        landmarks=Landmarks(4, 6, 12, 20, 22),
    )
    svg = volume_bar(m)
    # The text equivalent is the aria-label (no <title>s repeating it or naming bands).
    assert svg.startswith(
        '<svg class="landmark-bar" viewBox="0 0 100 14" preserveAspectRatio="none" role="img" '
        'aria-label="Chest: 6 fractional sets per week, productive (MV 4, MEV 6, MAV 12–20, MRV 22).">'
    )
    assert "<title>" not in svg
    # Scale: 22 × 1.2 = 26.4 sets wide. Bands from 0 to 26.4 sets without gaps; marker at 6 sets.
    assert (
        '<path class="band-below-mv" d="M0 7h15.15"/><path class="band-maintenance" d="M15.15 7h7.58"/>'
        in svg
    )
    assert svg.count("<path ") == 6
    assert svg.endswith(
        '<rect class="bar-marker marker-productive" x="22.13" width="1.2" height="14"/></svg>'
    )


def test_exercise_row_targets_itself_without_repeating_its_id():
    """The row's id appears once (plus the labelled inputs and Save); htmx targets by position
    (``closest li``, ``next .swap-area``), so the 36 rows of a 6 × 6 builder carry no repeats."""
    html = exercise_row(item(), editable=True, csrf_token="tok", editing=True)
    assert 'hx-target="closest li" hx-swap="outerHTML"' in html
    assert 'hx-get="/s/" hx-target="next .swap-area"' in html
    assert html.index("next .swap-area") < html.index('<div class="swap-area"></div></li>')
    assert html.count("se1") == 1 + 2 * 4 + 1 + 1  # the li, label/input per field, Save, Close's anchor
    assert '<a class="button secondary small se-close" href="/b/#se-se1" hx-get="/e/?show=1"' in html


def test_exercise_row_standalone_posts_plainly():
    """The row's own page (no JavaScript): the same form and actions, no htmx, no Close."""
    html = exercise_row(item(), editable=True, csrf_token="tok", editing=True, standalone=True)
    assert '<form class="se-form" method="post" action="/u/">' in html
    assert "hx-post" not in html and "se-close" not in html
    assert 'formaction="/m/"' in html and 'formaction="/r/"' in html
