"""Coach pages end to end: review (one AI query) and Apply, the generator, bad input, tenants."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OrganizationStatus
from accounts.quota import current_month
from accounts.tests.factories import UserFactory
from coach.plan import MAJOR_MUSCLES, Fix
from coach.services import program_generate, program_review_run, review_fix_apply
from exercises.models import Exercise
from exercises.seed import load_exercises
from programs import services
from programs.models import SessionExercise, TrainingProgram
from programs.selectors import program_volume_for
from programs.volume import DEFAULT_LANDMARKS

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def library(db):
    """The seeded global library (plain bulk insert: no embeddings needed here)."""
    Exercise.objects.bulk_create(item.as_exercise() for item in load_exercises())
    return {e.name: e for e in Exercise.objects.all()}


def build_program(user, library, *, calves=True, sessions=2):
    """A WEEKLY program through the builder's services; without calves it is below their MEV."""
    program = services.program_create(user=user, name="My split", structure_type="WEEKLY")
    plan = [
        (
            "Upper",
            0,
            [
                ("Barbell Bench Press", 3),
                ("Lat Pulldown", 4),
                ("Dumbbell Lateral Raise", 4),
                ("Barbell Curl", 3),
            ],
        ),
        (
            "Lower",
            3,
            [("Barbell Back Squat", 4), ("Romanian Deadlift", 3)]
            + ([("Standing Calf Raise", 4)] if calves else []),
        ),
    ][:sessions]
    for name, day, rows in plan:
        session = services.session_create(user=user, program=program, name=name, day_of_week=day)
        for exercise, sets in rows:
            services.session_exercise_add(
                user=user,
                session=session,
                exercise=library[exercise],
                sets=sets,
                reps="8-12",
                rest_seconds=120,
            )
    return program


def used(user) -> int:
    user.refresh_from_db()
    return user.ai_queries_used


def spend_quota(user) -> None:
    user.ai_queries_used = user.ai_queries_limit
    user.ai_queries_month = current_month()
    user.save(update_fields=["ai_queries_used", "ai_queries_month"])


def program_state(program) -> list[tuple[str, str, int, str | None, int | None]]:
    return sorted(
        (str(se.session_id), se.exercise.name, se.sets, se.reps, se.rest_seconds)
        for se in SessionExercise.objects.filter(session__program=program).select_related("exercise")
    )


def review_url(program) -> str:
    return reverse("coach:coach_review", kwargs={"program_id": program.pk})


def apply_url(program) -> str:
    return reverse("coach:coach_review_apply", kwargs={"program_id": program.pk})


def finding_index(client, program, code, muscle_word=""):
    review = client.session[f"coach_review:{program.pk}"]
    for i, f in enumerate(review["findings"]):
        if f["code"] == code and muscle_word in f["title"]:
            return i
    raise AssertionError(f"no {code} finding: {[f['code'] for f in review['findings']]}")


# ---------------------------------------------------------------- builder panel


def test_the_builder_shows_the_coach_panel_with_review_button_and_generator_link(user_client, user, library):
    program = build_program(user, library)

    response = user_client.get(reverse("programs:detail", kwargs={"program_id": program.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="coach-actions"' in html
    assert "Review my program" in html and f'hx-post="{review_url(program)}"' in html
    assert reverse("coach:coach_generate") in html
    assert "10 of 10 AI queries left this month" in html


@pytest.mark.parametrize("sessions", [1, 2])
def test_the_coach_panel_adds_no_query_to_the_builder_page(
    user_client, user, library, django_assert_max_num_queries, sessions
):
    program = build_program(user, library, sessions=sessions)
    user_client.post(review_url(program), headers=HTMX)  # a kept review is shown too

    with django_assert_max_num_queries(8):
        response = user_client.get(reverse("programs:detail", kwargs={"program_id": program.pk}))
    assert "Calves below MEV" in response.content.decode() or sessions == 2


# ---------------------------------------------------------------- review


def test_review_lists_findings_with_numbers_and_evidence_and_counts_one_query(user_client, user, library):
    program = build_program(user, library, calves=False)
    before = program_state(program)

    response = user_client.post(review_url(program), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="coach-review"' in html
    assert "Calves below MEV" in html
    assert "Calves gets 0.0 weekly sets, below its MEV of 8" in html
    assert "Evidence:" in html and "Schoenfeld 2017" in html
    assert "Apply" in html
    assert used(user) == 1
    assert program_state(program) == before  # a review changes nothing


def test_a_sound_program_is_told_so_with_its_figures(user, library):
    # A generated program meets every goal; its review has nothing to fix.
    program = program_generate(
        user=user,
        days=4,
        structure_type="WEEKLY",
        equipment=["BARBELL", "DUMBBELL", "CABLE", "MACHINE"],
        seed=3,
    ).program

    findings = program_review_run(user=user, program=program).findings

    assert [f.code for f in findings] == ["all_clear"]
    assert "All 11 major muscles between MEV and MRV" in findings[0].explanation


def test_review_page_works_without_javascript(user_client, user, library):
    program = build_program(user, library, calves=False)

    response = user_client.post(review_url(program))

    assert response.status_code == 200
    assert "<h1>Review of My split</h1>" in response.content.decode()
    assert "Calves below MEV" in response.content.decode()
    # GET shows the kept review again without another query.
    assert "Calves below MEV" in user_client.get(review_url(program)).content.decode()
    assert used(user) == 1


def test_reviewing_another_users_program_is_404_and_counts_nothing(client, user, library):
    program = build_program(user, library)
    intruder = UserFactory()
    client.force_login(intruder)

    assert client.post(review_url(program), headers=HTMX).status_code == 404
    assert client.get(review_url(program)).status_code == 404
    assert used(intruder) == 0 and used(user) == 0


def test_a_spent_quota_is_told_before_anything_runs(user_client, user, library):
    program = build_program(user, library, calves=False)
    spend_quota(user)

    response = user_client.post(review_url(program))

    assert response.status_code == 403
    assert "You have used all your AI queries for this month" in response.content.decode()
    assert used(user) == user.ai_queries_limit
    assert f"coach_review:{program.pk}" not in user_client.session
    builder = user_client.get(reverse("programs:detail", kwargs={"program_id": program.pk})).content.decode()
    assert "0 of 10 AI queries left this month" in builder
    assert 'id="coach-review-button" disabled' in builder


# ---------------------------------------------------------------- apply


def test_apply_makes_the_change_and_refreshes_the_volume_panel_out_of_band(user_client, user, library):
    program = build_program(user, library, calves=False)
    user_client.post(review_url(program), headers=HTMX)
    index = finding_index(user_client, program, "below_mev", "Calves")

    response = user_client.post(apply_url(program), {"finding": index}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="volume-panel"' in html and 'hx-swap-oob="true"' in html
    assert '<div id="sessions-region" hx-swap-oob="true">' in html
    assert "Applied: Train calves directly" in html
    calves = program_volume_for(program=program, user=user).muscle("CALVES")
    assert calves.fractional_sets >= DEFAULT_LANDMARKS["CALVES"].mev
    assert f'data-muscle="CALVES" data-sets="{calves.fractional_sets:g}"' in html
    assert used(user) == 1  # applying costs no AI query
    # The same suggestion cannot be applied twice.
    again = user_client.post(apply_url(program), {"finding": index})
    assert again.status_code == 409
    assert "already applied" in again.content.decode()


def test_apply_without_javascript_redirects_to_the_builder(user_client, user, library):
    program = build_program(user, library, calves=False)
    user_client.post(review_url(program))
    index = finding_index(user_client, program, "below_mev", "Calves")

    response = user_client.post(apply_url(program), {"finding": index}, follow=True)

    assert response.redirect_chain[-1][0].startswith(
        reverse("programs:detail", kwargs={"program_id": program.pk})
    )
    assert "Applied: Train calves directly" in response.content.decode()


def test_a_stale_fix_says_so_and_changes_nothing(user_client, user, library):
    program = build_program(user, library)
    # Too much chest in one session: the fix moves sets of the bench press.
    session = program.sessions.get(name="Upper")
    bench = SessionExercise.objects.get(session=session, exercise__name="Barbell Bench Press")
    services.session_exercise_update(user=user, session_exercise=bench, sets=12)
    user_client.post(review_url(program), headers=HTMX)
    index = finding_index(user_client, program, "session_muscle_over_10", "chest")
    # The lifter edits the bench press after the review.
    bench.refresh_from_db()
    services.session_exercise_update(user=user, session_exercise=bench, sets=11)
    before = program_state(program)

    response = user_client.post(apply_url(program), {"finding": index})

    assert response.status_code == 409
    text = response.content.decode()
    assert "This suggestion no longer fits your program" in text
    assert "Barbell Bench Press in Upper now has 11 sets, not 12" in text
    assert program_state(program) == before


def test_apply_without_a_review_or_with_a_bad_number_is_refused(user_client, user, library):
    program = build_program(user, library, calves=False)
    before = program_state(program)

    assert user_client.post(apply_url(program), {"finding": 0}).status_code == 400
    user_client.post(review_url(program), headers=HTMX)
    assert user_client.post(apply_url(program), {"finding": 99}).status_code == 400
    assert user_client.post(apply_url(program), {"finding": "x"}).status_code == 400
    assert program_state(program) == before


def test_applying_on_another_users_program_is_404(client, user, library):
    program = build_program(user, library, calves=False)
    intruder = UserFactory()
    client.force_login(intruder)

    assert client.post(apply_url(program), {"finding": 0}).status_code == 404


def test_a_suspended_organization_cannot_apply(user_client, user, library):
    program = build_program(user, library, calves=False)
    user_client.post(review_url(program), headers=HTMX)
    index = finding_index(user_client, program, "below_mev", "Calves")
    before = program_state(program)
    user.organization.subscription_status = OrganizationStatus.SUSPENDED
    user.organization.save()

    response = user_client.post(apply_url(program), {"finding": index})

    assert response.status_code != 200  # the site's read-only guard or the service refuses
    assert program_state(program) == before
    fix = Fix.from_dict(user_client.session[f"coach_review:{program.pk}"]["findings"][index]["fix"])
    user.refresh_from_db()
    with pytest.raises(ValidationError, match="read-only"):
        review_fix_apply(user=user, program=program, fix=fix)
    assert program_state(program) == before


# ---------------------------------------------------------------- generator


def generate_data(**overrides):
    data = {
        "days": "4",
        "structure_type": "WEEKLY",
        "equipment": ["BARBELL", "DUMBBELL", "CABLE", "MACHINE", "BODYWEIGHT"],
        "priority_muscles": ["SIDE_DELTS"],
        "session_set_limit": "24",
        "seed": "11",
    }
    data.update(overrides)
    return data


def test_the_generator_form_has_labelled_inputs_and_the_quota(user_client, library):
    html = user_client.get(reverse("coach:coach_generate")).content.decode()

    for label in (
        "Training days per week",
        "Structure",
        "Equipment you have",
        "Priority muscles",
        "Session length",
    ):
        assert label in html
    assert '<label for="gen-days">' in html and '<label for="gen-limit">' in html
    assert "10 of 10 AI queries left this month" in html


def test_generate_builds_a_program_that_opens_in_the_builder(user_client, user, library):
    response = user_client.post(reverse("coach:coach_generate"), generate_data())

    program = TrainingProgram.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", kwargs={"program_id": program.pk})
    assert used(user) == 1
    volume = program_volume_for(program=program, user=user)
    for muscle in MAJOR_MUSCLES:
        assert volume.muscle(muscle).fractional_sets >= DEFAULT_LANDMARKS[muscle].mev
    side = volume.muscle("SIDE_DELTS").fractional_sets
    assert DEFAULT_LANDMARKS["SIDE_DELTS"].mav_low <= side <= DEFAULT_LANDMARKS["SIDE_DELTS"].mav_high
    assert all(m.fractional_sets <= m.landmarks.mrv for m in volume.muscles)
    assert sorted(s.day_of_week for s in program.sessions.all()) == [0, 1, 3, 4]
    assert program.frequency == 4
    builder = user_client.get(response["Location"]).content.decode()
    assert "Regenerate: a different variation" in builder
    assert "all 11 major muscles at or above MEV" in builder


def test_generate_by_htmx_redirects_the_client(user_client, user, library):
    response = user_client.post(
        reverse("coach:coach_generate"), generate_data(structure_type="CYCLIC", days="3"), headers=HTMX
    )

    program = TrainingProgram.objects.get(user=user)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("programs:detail", kwargs={"program_id": program.pk})
    assert program.structure_type == "CYCLIC" and program.frequency == 3


def test_regenerate_gives_a_different_variation_and_trashes_the_previous_one(user_client, user, library):
    user_client.post(reverse("coach:coach_generate"), generate_data())
    first = TrainingProgram.objects.get(user=user)
    first_exercises = {se[1] for se in program_state(first)}
    # At the free limit: regenerating replaces, so it still works.
    services.program_create(user=user, name="Other one", structure_type="WEEKLY")
    services.program_create(user=user, name="Other two", structure_type="WEEKLY")

    response = user_client.post(
        reverse("coach:coach_generate"), generate_data(seed="12", replaces=str(first.pk))
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_deleted
    second = TrainingProgram.objects.filter(user=user).exclude(name__startswith="Other").get()
    assert second.pk != first.pk
    assert {se[1] for se in program_state(second)} != first_exercises
    assert used(user) == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days": "0"}, "Choose 2 to 6 training days a week."),
        ({"days": "8"}, "Choose 2 to 6 training days a week."),
        ({"equipment": []}, "Choose at least one kind of equipment you have"),
        ({"priority_muscles": ["WINGS"]}, "Unknown muscle: WINGS."),
        ({"session_set_limit": "99"}, "Sets per session must be 6 to 30"),
    ],
)
def test_bad_generator_input_gets_a_message_and_counts_nothing(
    user_client, user, library, overrides, message
):
    response = user_client.post(reverse("coach:coach_generate"), generate_data(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        'aria-invalid="true"' in response.content.decode()
        or "equipment" in overrides
        or "priority_muscles" in overrides
    )
    assert not TrainingProgram.objects.filter(user=user).exists()
    assert used(user) == 0


def test_bad_input_by_htmx_re_renders_the_form_with_the_message(user_client, user, library):
    response = user_client.post(reverse("coach:coach_generate"), generate_data(days="8"), headers=HTMX)

    html = response.content.decode()
    assert 'id="generate-form-region"' in html and "<h1>" not in html
    assert "Choose 2 to 6 training days a week." in html
    assert used(user) == 0


def test_the_free_program_limit_is_respected_before_any_query(user_client, user, library):
    for n in range(3):
        services.program_create(user=user, name=f"Program {n}", structure_type="WEEKLY")

    response = user_client.post(reverse("coach:coach_generate"), generate_data())

    assert response.status_code == 400
    assert "Free accounts can have up to 3 active programs" in response.content.decode()
    assert TrainingProgram.objects.filter(user=user).count() == 3
    assert used(user) == 0


def test_a_spent_quota_stops_the_generator_before_it_runs(user_client, user, library):
    spend_quota(user)

    page = user_client.get(reverse("coach:coach_generate")).content.decode()
    response = user_client.post(reverse("coach:coach_generate"), generate_data())

    assert "You have used all your AI queries for this month" in page and "disabled" in page
    assert response.status_code == 403
    assert "You have used all your AI queries for this month" in response.content.decode()
    assert not TrainingProgram.objects.filter(user=user).exists()


def test_regenerating_someone_elses_program_is_404_and_changes_nothing(client, user, library):
    program = build_program(user, library)
    intruder = UserFactory()
    client.force_login(intruder)

    response = client.post(reverse("coach:coach_generate"), generate_data(replaces=str(program.pk)))

    assert response.status_code == 404
    program.refresh_from_db()
    assert not program.is_deleted
    assert not TrainingProgram.objects.filter(user=intruder).exists()
    assert used(intruder) == 0


def test_equipment_that_cannot_meet_a_goal_is_explained_on_the_builder(user_client, user, library):
    user_client.post(
        reverse("coach:coach_generate"), generate_data(equipment=["BODYWEIGHT"], priority_muscles=[])
    )

    program = TrainingProgram.objects.get(user=user)
    html = user_client.get(reverse("programs:detail", kwargs={"program_id": program.pk})).content.decode()
    assert "Goals the generator could not meet" in html
    assert "no exercise in the library trains side delts as prime mover with only bodyweight" in html


def test_the_generator_requires_login(client):
    response = client.get(reverse("coach:coach_generate"))

    assert response.status_code == 302 and "login" in response["Location"]


# ---------------------------------------------------------------- speed


def test_review_and_generation_each_answer_within_a_second(user, library):
    program = build_program(user, library)
    started = time.perf_counter()
    program_review_run(user=user, program=program)
    review_seconds = time.perf_counter() - started

    started = time.perf_counter()
    program_generate(
        user=user, days=6, structure_type="WEEKLY", equipment=["BARBELL", "DUMBBELL", "CABLE"], seed=1
    )
    generate_seconds = time.perf_counter() - started

    assert review_seconds < 1.0
    assert generate_seconds < 1.0
