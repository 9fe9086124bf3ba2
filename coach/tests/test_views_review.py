"""The review pages end to end: the builder's coach panel, "Review my program" (one AI query) and
Apply, without JavaScript too, bad input, spent quotas and other tenants."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OrganizationStatus
from accounts.tests.factories import UserFactory
from coach.plan import Fix
from coach.services import review_fix_apply
from coach.tests.helpers import (
    HTMX,
    apply_url,
    build_program,
    finding_index,
    program_state,
    review_url,
    spend_quota,
    used,
)
from programs import services
from programs.models import SessionExercise
from programs.selectors import program_volume_for
from programs.volume import DEFAULT_LANDMARKS

pytestmark = pytest.mark.django_db


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


def test_the_builders_quota_line_follows_a_review_at_once(user_client, user, library):
    # It said "10 of 10" after a review until the page was reloaded (issue 15 item 7).
    program = build_program(user, library)
    response = user_client.post(review_url(program), headers=HTMX)
    html = response.content.decode()
    assert 'id="coach-quota" hx-swap-oob="true"' in html
    assert "9 of 10 AI queries left this month" in html
