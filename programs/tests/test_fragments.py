"""Cached fragments (programs/fragments.py): never stale (edit, then read), never another
lifter's (two lifters, same data), and cheaper on a second request."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram, WorkoutSession

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"programs:{name}", kwargs={k: str(v) for k, v in kwargs.items()})


def cards(page: str) -> str:
    return page[page.index('<ul class="cards">') : page.index("</ul>", page.index('<ul class="cards">'))]


@pytest.fixture
def template(db):
    bench = ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5})
    program = TrainingProgram.objects.create(
        name="Bench Lovers", structure_type="WEEKLY", frequency=2, is_template=True
    )
    for name, day in (("Monday", 0), ("Thursday", 3)):
        session = WorkoutSession.objects.create(program=program, name=name, day_of_week=day, order_index=day)
        SessionExercise.objects.create(session=session, exercise=bench, sets=3, order_index=0)
    return program


def test_templates_list_second_request_skips_the_volume_work(client, template, django_assert_num_queries):
    first = client.get(url("template_list")).content.decode()
    assert "Chest 6 sets (productive)" in first
    with django_assert_num_queries(1):  # the list with its stamp: no volume query, no rendering
        second = client.get(url("template_list")).content.decode()
    assert cards(second) == cards(first)


def test_templates_list_follows_a_staff_edit_of_sets(client, template):
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()
    row = SessionExercise.objects.filter(session__program=template).first()
    row.sets = 1  # the admin saves the whole row
    row.save()
    assert "Chest 4 sets" in client.get(url("template_list")).content.decode()


def test_templates_list_follows_a_bulk_update_that_touches_no_timestamp(client, template):
    """A queryset update (a script, a data fix) moves no ``updated_at``; the content_version the
    database raises still moves the stamp."""
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()
    SessionExercise.objects.filter(session__program=template).update(sets=5)
    assert "Chest 10 sets" in client.get(url("template_list")).content.decode()


def test_templates_list_follows_an_exercise_edit_and_a_soft_delete(client, template):
    client.get(url("template_list"))
    exercise = SessionExercise.objects.filter(session__program=template).first().exercise
    exercise.muscle_contributions = {"TRICEPS": 1.0}
    exercise.save()
    page = client.get(url("template_list")).content.decode()
    assert "Chest 6 sets" not in page and "Triceps 6 sets" in page
    session = WorkoutSession.objects.filter(program=template, name="Thursday").get()
    session.mark_deleted()
    session.save(update_fields=["is_deleted", "deleted_at"])  # a soft delete that leaves updated_at
    page = client.get(url("template_list")).content.decode()
    assert "Triceps 3 sets" in page and "Thursday" not in page


def test_templates_list_is_coloured_by_each_viewers_own_landmarks(client, template):
    strict = UserFactory()
    services.volume_preference_update(
        user=strict,
        counting="fractional",
        landmark_overrides={"CHEST": {"mv": 2, "mev": 8, "mav_low": 10, "mav_high": 14, "mrv": 20}},
    )
    relaxed = UserFactory()
    client.force_login(relaxed)
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()
    client.force_login(strict)
    page = client.get(url("template_list")).content.decode()
    assert "Chest 6 sets (productive)" not in page and "Chest 6 sets" in page
    client.force_login(relaxed)
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()


# --- The builder ----------------------------------------------------------------------------------

ADD_SESSION_TOKEN = re.compile(
    r'<form id="session-add-form"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
)
ROW_TOKEN = re.compile(
    r'<form class="se-form"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
)


@pytest.fixture
def lifter_program():
    lifter = UserFactory(subscription_tier="pro")
    bench = ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0})
    program = services.program_create(user=lifter, name="Push days", structure_type="WEEKLY")
    session = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    row = services.session_exercise_add(user=lifter, session=session, exercise=bench, sets=3)
    return lifter, program, row


def builder(client, program):
    return client.get(url("detail", program_id=program.pk)).content.decode()


def test_builder_shows_an_edit_at_once(lifter_program):
    lifter, program, row = lifter_program
    client = Client()
    client.force_login(lifter)
    page = builder(client, program)
    row_link = f'<a class="se-open" href="{url("session_exercise_edit", program_id=program.pk, session_exercise_id=row.pk)}">'
    assert row_link in page
    assert '<span class="prescription">3 sets</span>' in page
    assert 'data-muscle="CHEST" data-sets="3"' in page
    services.session_exercise_update(user=lifter, session_exercise=row, sets=7)
    page = builder(client, program)
    assert '<span class="prescription">7 sets</span>' in page and 'data-muscle="CHEST" data-sets="7"' in page
    services.session_create(user=lifter, program=program, name="Legs", day_of_week=3)
    assert "Thursday</span> · Legs" in builder(client, program)


def test_builder_follows_the_lifters_landmarks_and_an_exercise_rename(lifter_program):
    lifter, program, row = lifter_program
    client = Client()
    client.force_login(lifter)
    assert 'data-muscle="CHEST" data-sets="3" data-status="below_mev"' in builder(client, program)
    services.volume_preference_update(
        user=lifter,
        counting="fractional",
        landmark_overrides={"CHEST": {"mv": 0, "mev": 2, "mav_low": 3, "mav_high": 8, "mrv": 12}},
    )
    page = builder(client, program)
    assert 'data-muscle="CHEST" data-sets="3" data-status="' in page
    assert 'data-muscle="CHEST" data-sets="3" data-status="below_mev"' not in page
    row.exercise.name = "Flat Bench Press"
    row.exercise.save()
    page = builder(client, program)
    assert "Flat Bench Press" in page and "Barbell Bench Press" not in page


def test_builder_forms_from_the_cache_carry_the_readers_own_working_token(lifter_program):
    lifter, program, row = lifter_program
    first = Client(enforce_csrf_checks=True)
    first.force_login(lifter)
    builder(first, program)  # fills the cache
    second = Client(enforce_csrf_checks=True)  # another browser: another CSRF secret
    second.force_login(lifter)
    page = builder(second, program)
    assert "csrf-placeholder" not in page
    token = ADD_SESSION_TOKEN.search(page).group(1)  # "Add a session", from the cached region
    response = second.post(
        url("session_add", program_id=program.pk),
        {"csrfmiddlewaretoken": token, "name": "Pull", "day_of_week": "2"},
    )
    assert response.status_code == 302  # not 403: the token is this browser's
    assert program.sessions.filter(name="Pull", is_deleted=False).exists()
    # The row's form (its own page, or in place) carries the same browser's working token.
    edit = second.get(url("session_exercise_edit", program_id=program.pk, session_exercise_id=row.pk))
    token = ROW_TOKEN.search(edit.content.decode()).group(1)
    response = second.post(
        url("session_exercise_update", program_id=program.pk, session_exercise_id=row.pk),
        {"csrfmiddlewaretoken": token, "sets": "4", "reps": "", "rest_seconds": "", "notes": ""},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.sets == 4


def test_builder_cache_never_shows_a_coach_the_owners_forms_nor_the_reverse(lifter_program):
    lifter, program, row = lifter_program
    from accounts.models import Role
    from accounts.tests.factories import OrganizationFactory

    org = OrganizationFactory(subscription_tier="pro")
    lifter.organization, lifter.role = org, Role.MEMBER
    lifter.save()
    coach = UserFactory(organization=org, role=Role.COACH)
    owner_client, coach_client = Client(), Client()
    owner_client.force_login(lifter)
    coach_client.force_login(coach)
    row_url = url("session_exercise_edit", program_id=program.pk, session_exercise_id=row.pk)
    owner_page = builder(owner_client, program)
    assert f'<a class="se-open" href="{row_url}">' in owner_page
    coach_page = coach_client.get(
        reverse("programs:member_program", kwargs={"member_id": lifter.pk, "program_id": program.pk})
    ).content.decode()
    assert "Barbell Bench Press" in coach_page and row_url not in coach_page
    assert 'class="se-form"' not in coach_page and 'name="sets"' not in coach_page
    assert f'<a class="se-open" href="{row_url}">' in builder(owner_client, program)
    assert coach_client.get(row_url).status_code == 404  # the row's form is the owner's alone
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url("detail", program_id=program.pk)).status_code == 404


def test_builder_second_view_comes_from_the_cache(lifter_program, monkeypatch):
    from programs import rendering

    lifter, program, row = lifter_program
    drawn = []
    real = rendering.exercise_row
    monkeypatch.setattr(rendering, "exercise_row", lambda item, **kw: drawn.append(item) or real(item, **kw))
    client = Client()
    client.force_login(lifter)
    builder(client, program)
    assert len(drawn) == 1  # the one row, drawn once
    second = builder(client, program)
    assert len(drawn) == 1 and f'id="se-{row.pk}"' in second  # not drawn again: from the cache
    services.session_exercise_update(user=lifter, session_exercise=row, sets=5)
    builder(client, program)
    assert len(drawn) == 2  # an edit: drawn afresh


def test_a_fragment_keeps_its_whitespace_but_not_the_templates_indentation():
    from programs.templatetags.program_tags import squeeze

    html = '<ol>\n    <li><input value="a   b"> x  y</li>\n\n    <li>&lt;b&gt; <b>z</b> </li>\n</ol>'
    assert squeeze(html) == '<ol>\n<li><input value="a   b"> x  y</li>\n<li>&lt;b&gt; <b>z</b>\n</li>\n</ol>'


# --- The builder's keys: the program's content version, not its rows ------------------------------

HX = {"HX-Request": "true"}


def aggregate_queries(captured) -> list[str]:
    """The aggregate query (programs.selectors.VOLUME_SQL) among the captured ones."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if "GROUPING SETS" in q["sql"] and "jsonb_each" in q["sql"]
    ]


@pytest.mark.parametrize("size", [(1, 1), (6, 6)])
def test_a_repeat_builder_get_reads_no_rows_and_builds_no_volume(
    size, django_assert_num_queries, monkeypatch
):
    """Four queries (session, user, the program with its owner and preferences, the header's unread
    count): not the aggregate query, whatever the program's size, and no volume maths."""
    from programs.views import common

    lifter = UserFactory(subscription_tier="pro")
    program = services.program_create(user=lifter, name="Big", structure_type="CYCLIC", frequency=size[0])
    for i in range(size[0]):
        session = services.session_create(user=lifter, program=program, name=f"Day {i + 1}")
        for _ in range(size[1]):
            services.session_exercise_add(user=lifter, session=session, exercise=ExerciseFactory(), sets=3)
    client = Client()
    client.force_login(lifter)
    first = builder(client, program)  # a miss: the aggregate query, stored
    built = []
    real = common.volume_from_rows
    monkeypatch.setattr(common, "volume_from_rows", lambda **kw: built.append(1) or real(**kw))
    with django_assert_num_queries(4) as captured:
        second = builder(client, program)
    assert aggregate_queries(captured) == [] and built == []
    assert second.count('class="se-row"') == size[0] * size[1] == first.count('class="se-row"')
    assert 'id="volume-summary"' in second and 'id="volume-panel"' in second


def test_the_miss_runs_the_aggregate_query_the_test_looks_for(lifter_program, django_assert_num_queries):
    """The check above can fail: a first view runs exactly one aggregate query."""
    lifter, program, _ = lifter_program
    client = Client()
    client.force_login(lifter)
    with django_assert_num_queries(5) as captured:
        builder(client, program)
    assert len(aggregate_queries(captured)) == 1


def test_an_htmx_edit_answers_with_the_edit_never_the_cached_region(lifter_program):
    """The edit's program was loaded before its write: its answer must not be looked up under
    the version it was loaded with."""
    lifter, program, row = lifter_program
    client = Client()
    client.force_login(lifter)
    builder(client, program)  # fills the cache
    session = row.session
    answer = client.post(
        url("session_update", program_id=program.pk, session_id=session.pk),
        {"name": "Chest and arms", "day_of_week": "0"},
        headers=HX,
    ).content.decode()
    assert "Chest and arms" in answer and "· Push</h3>" not in answer
    page = builder(client, program)
    assert "Monday</span> · Chest and arms" in page and "· Push</h3>" not in page
    answer = client.post(
        url("session_exercise_update", program_id=program.pk, session_exercise_id=row.pk),
        {"sets": "6", "reps": "", "rest_seconds": "", "notes": ""},
        headers=HX,
    ).content.decode()
    assert 'data-muscle="CHEST" data-sets="6"' in answer  # the volume panel, out of band
    page = builder(client, program)
    assert '<span class="prescription">6 sets</span>' in page and 'data-muscle="CHEST" data-sets="6"' in page


def test_builder_follows_the_counting_rule_at_once(lifter_program):
    lifter, program, row = lifter_program
    row.exercise.muscle_contributions = {"CHEST": 1.0, "TRICEPS": 0.5}
    row.exercise.save()
    client = Client()
    client.force_login(lifter)
    page = builder(client, program)
    assert 'data-muscle="TRICEPS" data-sets="1.5"' in page and "fractional sets" in page
    services.volume_preference_update(user=lifter, counting="direct", landmark_overrides={})
    page = builder(client, program)
    assert 'data-muscle="TRICEPS" data-sets="0"' in page and "direct sets" in page
    services.volume_preference_update(user=lifter, counting="fractional", landmark_overrides={})
    assert 'data-muscle="TRICEPS" data-sets="1.5"' in builder(client, program)


def test_builder_follows_a_staff_change_of_an_exercises_muscles(lifter_program):
    lifter, program, row = lifter_program
    client = Client()
    client.force_login(lifter)
    assert 'data-muscle="CHEST" data-sets="3"' in builder(client, program)
    exercise = row.exercise
    exercise.muscle_contributions = {"TRICEPS": 1.0}
    exercise.save()  # the admin saves the whole row
    page = builder(client, program)
    assert 'data-muscle="TRICEPS" data-sets="3"' in page and 'data-muscle="CHEST" data-sets="3"' not in page


def test_a_coach_sees_the_members_program_by_the_coachs_own_counting(lifter_program):
    from accounts.models import Role
    from accounts.tests.factories import OrganizationFactory

    lifter, program, row = lifter_program
    row.exercise.muscle_contributions = {"CHEST": 1.0, "TRICEPS": 0.5}
    row.exercise.save()
    org = OrganizationFactory(subscription_tier="pro")
    lifter.organization, lifter.role = org, Role.MEMBER
    lifter.save()
    coach = UserFactory(organization=org, role=Role.COACH)
    services.volume_preference_update(user=coach, counting="direct", landmark_overrides={})
    owner_client, coach_client = Client(), Client()
    owner_client.force_login(lifter)
    coach_client.force_login(coach)
    address = reverse("programs:member_program", kwargs={"member_id": lifter.pk, "program_id": program.pk})
    for _ in range(2):  # the second time from the cache
        assert 'data-muscle="TRICEPS" data-sets="1.5"' in builder(owner_client, program)
        assert 'data-muscle="TRICEPS" data-sets="0"' in coach_client.get(address).content.decode()


def test_a_request_that_wrote_never_reads_the_region_cached_for_its_programs_old_version(lifter_program):
    """As the coach's Apply does: the program is loaded, a service writes, and the sessions region
    is rendered before anything reads the volume. Its key must be the version read with the rows."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from programs.selectors import program_get_for_owner
    from programs.views.common import builder_context

    lifter, program, row = lifter_program
    client = Client()
    client.force_login(lifter)
    builder(client, program)  # the region cached under the current version
    request = RequestFactory().post("/")
    request.user = lifter
    loaded = program_get_for_owner(user=lifter, program_id=program.pk)
    services.session_update(user=lifter, session=row.session, name="Chest and arms", day_of_week=0)
    context = builder_context(request, loaded)
    html = render_to_string("programs/program_detail.html#sessions-region", context, request=request)
    assert "Chest and arms" in html and "· Push</h3>" not in html


def test_the_markup_stamp_digests_every_source_it_names():
    """Every source the builder's keys digest exists (a renamed template or module would otherwise
    fail at the first builder view), and the stamp starts with the hand-bumped version."""
    from programs.fragments import MARKUP_VERSION, markup_stamp

    markup_stamp.cache_clear()
    assert markup_stamp().startswith(f"{MARKUP_VERSION}.")
