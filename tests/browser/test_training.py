"""The workout flow in a real browser at phone size (390 x 844).

- A whole workout: start today's session from the dashboard, log a set, lose the connection
  (``context.set_offline``) and log three more, which wait in the browser and show as such; when the
  connection returns they are sent in order, none lost and none doubled (a set sent again after it
  was stored, as after a lost answer, is stored once); the rest timer counts down; finish and read
  the summary.
- Sets waiting while the session ended (the server answers with the login page) stay in the
  browser and are sent once the lifter signs in again.
- Every training page fits 390 px (no sideways scrolling), its buttons, fields and button links are
  at least 44 px tall (buttons and button links 44 px wide too), and axe finds nothing serious.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.preferences import UserPreferences
from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from training import services
from training.models import SetLog, TrainingPreferences, WorkoutLog

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44

MEASURE = """() => {
    const small = [];
    const sel = 'main button, main a.button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
              + 'main select, main textarea, main summary, main .set-edit';
    for (const el of document.querySelectorAll(sel)) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
        if (el.closest('.visually-hidden, .skip-link')) continue;
        const wide = el.matches('button, a.button, .set-edit');
        if (box.height < MIN - 0.5 || (wide && box.width < MIN - 0.5)) {
            const text = (el.innerText || el.getAttribute('aria-label') || el.name || el.id || '').trim();
            small.push(`${el.tagName.toLowerCase()} "${text.slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return {width: document.documentElement.scrollWidth, small: small};
}""".replace("MIN", str(MIN_TARGET))


@pytest.fixture
def lifter(db):
    """A lifter following a rotation (so "Today" is the same on every weekday): Push A with bench
    press 3 x 8-12 (rest 90 s) and lateral raise; bench pressed 80 kg x 12 last week."""
    user = UserFactory(email="lifter@example.com", full_name="Lee Lifter")
    bench = ExerciseFactory(name="Barbell Bench Press")
    dumbbell = ExerciseFactory(name="Dumbbell Bench Press", equipment="DUMBBELL")
    raise_ = ExerciseFactory(
        name="Lateral Raise", equipment="DUMBBELL", muscle_contributions={"SIDE_DELTS": 1.0}
    )
    program = TrainingProgram.objects.create(
        user=user, name="Push Pull", structure_type=StructureType.CYCLIC, frequency=3
    )
    push = WorkoutSession.objects.create(program=program, name="Push A", order_index=0)
    WorkoutSession.objects.create(program=program, name="Pull A", order_index=1)
    SessionExercise.objects.create(
        session=push, exercise=bench, order_index=0, sets=3, reps="8-12", rest_seconds=90, notes="Pause"
    )
    SessionExercise.objects.create(
        session=push, exercise=raise_, order_index=1, sets=3, reps="12-15", rest_seconds=60
    )
    TrainingPreferences.objects.create(user=user, current_program=program)
    UserPreferences.objects.create(user=user, time_zone="UTC")
    last_week = timezone.now() - dt.timedelta(days=6)
    old = services.workout_start(
        user=user, started_at=last_week
    )  # an empty workout: the rotation starts at Push A
    for _ in range(3):
        services.set_log(
            user=user,
            workout=old,
            exercise_id=bench.pk,
            weight_kg=Decimal("80"),
            reps=12,
            rir=Decimal("2"),
            set_type="WORKING",
            client_id=uuid.uuid4(),
            logged_at=last_week + dt.timedelta(minutes=5),
        )
    services.workout_finish(user=user, workout=old, finished_at=last_week + dt.timedelta(hours=1))
    return {"user": user, "bench": bench, "raise": raise_, "dumbbell": dumbbell, "push": push}


def phone_login(page: Page, base: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("lifter@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def layout_problems(page: Page, label: str) -> list[str]:
    measured = page.evaluate(MEASURE)
    problems = []
    if measured["width"] > PHONE["width"]:
        problems.append(f"{label}: {measured['width']} px wide (scrolls sideways)")
    problems += [f"{label}: small target {small}" for small in measured["small"]]
    return problems


def serious_axe(page: Page, label: str) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{label}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def log_set(page: Page, exercise: str, weight: str, reps: str, rir: str = "") -> None:
    card = page.locator("li.entry", has=page.get_by_role("heading", name=exercise))
    card.get_by_label("Weight (kg)").fill(weight)
    card.get_by_label("Reps").fill(reps)
    card.get_by_label("RIR").select_option(rir)
    card.get_by_role("button", name="Log set").click()


def sets_in_db(workout: WorkoutLog) -> list[tuple[str, Decimal, int]]:
    return [
        (s.exercise.name, s.weight_kg, s.reps)
        for s in SetLog.objects.filter(workout_log=workout).select_related("exercise").order_by("order_index")
    ]


def test_a_whole_workout_on_a_phone_with_the_network_cut(page: Page, context, live_server, lifter):
    base = live_server.url
    phone_login(page, base)
    page.goto(f"{base}/accounts/")
    expect(page.get_by_role("heading", name="Today: Push A")).to_be_visible()
    page.get_by_role("button", name="Start Push A").click()
    page.wait_for_url("**/training/*/")
    workout = WorkoutLog.objects.filter(finished_at__isnull=True).get()
    assert UserPreferences.objects.get(user=lifter["user"]).time_zone == "UTC"
    assert layout_problems(page, "workout") == []

    bench = page.locator("li.entry", has=page.get_by_role("heading", name="Barbell Bench Press"))
    expect(bench.get_by_text("3 × 8-12 · rest 1:30")).to_be_visible()
    expect(bench.get_by_text("Last time (")).to_contain_text("80 kg × 12 @ RIR 2")
    expect(bench.get_by_text("Suggestion: 82.5 kg × 8.")).to_be_visible()
    expect(bench.get_by_label("Weight (kg)")).to_have_value("80")

    # Accept the suggestion: the form takes its load and reps.
    bench.get_by_role("link", name="Use the suggestion").click()
    bench = page.locator("li.entry", has=page.get_by_role("heading", name="Barbell Bench Press"))
    expect(bench.get_by_label("Weight (kg)")).to_have_value("82.5")
    expect(bench.get_by_label("Reps")).to_have_value("8")

    # Online: the set is stored and the rest timer counts down from the planned 90 s.
    expect(bench.get_by_role("link", name="Swap")).to_be_visible()
    log_set(page, "Barbell Bench Press", "82.5", "8", "2")
    expect(bench.locator("li.set-row:not(.pending)")).to_have_count(1)
    expect(bench.get_by_role("link", name="Swap")).to_have_count(0)  # sets logged: no swapping now
    timer = page.locator("#rest-timer")
    expect(timer).to_be_visible()
    expect(timer.locator(".rest-remaining")).to_contain_text(":")
    expect(timer.locator(".rest-remaining")).to_contain_text("left")
    assert sets_in_db(workout) == [("Barbell Bench Press", Decimal("82.50"), 8)]

    # The gym basement: three sets while offline wait in the browser, shown as waiting.
    context.set_offline(True)
    log_set(page, "Barbell Bench Press", "82.5", "8", "1")
    log_set(page, "Barbell Bench Press", "82.5", "7", "0")
    log_set(page, "Lateral Raise", "10", "15", "2")
    expect(page.locator("li.set-row.pending")).to_have_count(3)
    expect(page.locator("#offline-status")).to_contain_text("3 sets are kept on this phone")
    assert page.evaluate("JSON.parse(localStorage.getItem('hypertroq.setQueue.v1')).length") == 3
    assert len(sets_in_db(workout)) == 1

    # Back online: sent in order, none lost, none doubled.
    context.set_offline(False)
    expect(page.locator("li.set-row.pending")).to_have_count(0, timeout=15000)
    expect(page.locator("#offline-status")).to_be_hidden()
    expected = [
        ("Barbell Bench Press", Decimal("82.50"), 8),
        ("Barbell Bench Press", Decimal("82.50"), 8),
        ("Barbell Bench Press", Decimal("82.50"), 7),
        ("Lateral Raise", Decimal("10.00"), 15),
    ]
    assert sets_in_db(workout) == expected
    assert page.evaluate("JSON.parse(localStorage.getItem('hypertroq.setQueue.v1')).length") == 0

    # An answer lost on the way back means the browser sends a stored set again: still stored once.
    client_id = str(SetLog.objects.filter(workout_log=workout).order_by("order_index")[1].client_id)
    page.evaluate(
        """([clientId, url, entry, workout]) => {
            const csrf = document.querySelector('.set-form input[name=csrfmiddlewaretoken]').value;
            const exercise = document.querySelector('.set-form input[name=exercise]').value;
            const item = {clientId, workout, entry, url, text: 'again',
                          fields: [['csrfmiddlewaretoken', csrf], ['exercise', exercise], ['client_id', clientId],
                                   ['weight', '82.5'], ['reps', '8'], ['rir', '1'], ['set_type', 'WORKING']]};
            localStorage.setItem('hypertroq.setQueue.v1', JSON.stringify([item]));
            window.dispatchEvent(new Event('online'));
        }""",
        [
            client_id,
            f"/training/{workout.pk}/sets/",
            str(workout.exercises.get(exercise=lifter["bench"]).pk),
            str(workout.pk),
        ],
    )
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('hypertroq.setQueue.v1')).length === 0"
    )  # a function: a bare expression is eval'd, which the CSP refuses
    assert sets_in_db(workout) == expected
    page.reload()
    expect(page.locator("li.set-row")).to_have_count(4)
    assert layout_problems(page, "workout with sets") == []

    # Finish: the summary.
    page.get_by_role("button", name="Finish workout").click()
    expect(page.get_by_role("heading", name="Workout summary")).to_be_visible()
    summary = page.locator("section.summary")
    expect(summary).to_contain_text("4 working")
    expect(summary).to_contain_text("Chest")
    # 82.5 kg x 8: more reps at 82.5 kg or more than ever (last week's 80 x 12 @ RIR 2 gave no e1RM).
    expect(summary).to_contain_text("82.5 kg × 8 @ RIR 2 — Most reps at this load or more")
    assert layout_problems(page, "summary") == []
    assert WorkoutLog.objects.get(pk=workout.pk).finished_at is not None


def test_every_training_page_fits_a_phone_and_passes_axe(page: Page, live_server, lifter):
    user = lifter["user"]
    workout = services.workout_start(user=user, session=lifter["push"])
    logged = services.set_log(
        user=user,
        workout=workout,
        exercise_id=lifter["bench"].pk,
        weight_kg=Decimal("80"),
        reps=10,
        rir=Decimal("2"),
        set_type="WORKING",
        client_id=uuid.uuid4(),
        note="Felt easy",
    )
    entry = workout.exercises.get(exercise=lifter["raise"])
    done = services.workout_start(user=user, session=lifter["push"])
    services.set_log(
        user=user,
        workout=done,
        exercise_id=lifter["bench"].pk,
        weight_kg=Decimal("90"),
        reps=8,
        rir=Decimal("1"),
        set_type="WORKING",
        client_id=uuid.uuid4(),
    )
    services.workout_finish(user=user, workout=done)
    base = live_server.url
    phone_login(page, base)
    pages = {
        "dashboard card": "/accounts/",
        "start": "/training/start/",
        "workout": f"/training/{workout.pk}/",
        "workout, suggestion accepted": f"/training/{workout.pk}/?accept={workout.exercises.get(exercise=lifter['bench']).pk}",
        "set deleted (undo)": f"/training/{workout.pk}/?deleted={logged.set_log.pk}",
        "edit set": f"/training/{workout.pk}/sets/{logged.set_log.pk}/edit/",
        "add exercise": f"/training/{workout.pk}/exercises/add/?q=press",
        "swap exercise": f"/training/{workout.pk}/exercises/{entry.pk}/swap/",
        "summary": f"/training/{done.pk}/",
        "preferences": "/preferences/",
        "plates": "/training/plates/?weight=102.5",
    }
    problems: list[str] = []
    for label, path in pages.items():
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, f"{label}: {response and response.status}"
        problems += layout_problems(page, label)
        problems += serious_axe(page, label)
    assert problems == [], "\n".join(problems)


def test_sets_waiting_while_signed_out_are_kept_and_sent_after_signing_in(
    page: Page, context, live_server, lifter
):
    base = live_server.url
    workout = services.workout_start(user=lifter["user"], session=lifter["push"])
    phone_login(page, base)
    page.goto(f"{base}/training/{workout.pk}/")
    context.set_offline(True)
    log_set(page, "Barbell Bench Press", "80", "10", "2")
    expect(page.locator("li.set-row.pending")).to_have_count(1)
    # The session ends meanwhile (cookies gone): the server answers with the login page.
    context.clear_cookies()
    context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("Sign in again")
    assert page.evaluate("JSON.parse(localStorage.getItem('hypertroq.setQueue.v1')).length") == 1
    assert sets_in_db(workout) == []
    # Signed in again, the page sends what waited: stored once.
    phone_login(page, base)
    page.goto(f"{base}/training/{workout.pk}/")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('hypertroq.setQueue.v1')).length === 0"
    )  # a function: a bare expression is eval'd, which the CSP refuses
    expect(page.locator("li.set-row")).to_have_count(1)
    assert sets_in_db(workout) == [("Barbell Bench Press", Decimal("80.00"), 10)]
