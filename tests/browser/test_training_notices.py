"""The training log's notifications in the bell's list, on a phone and a desktop: the weekly digest
(last week's sessions, hard sets per muscle against plan and landmarks, PRs) and the below-MEV
notice read line by line with no sideways scrolling. Screenshots to /tmp with
HYPERTROQ_SCREENSHOTS=1."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from decimal import Decimal

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from training import services
from training.tasks import week_start_notices
from training.tests.factories import JOINED

SHOTS = os.environ.get("HYPERTROQ_SCREENSHOTS") == "1"


def test_the_digest_and_below_mev_notice_read_well_on_a_phone_and_a_desktop(
    client, settings, page, live_server
):
    lifter = UserFactory(full_name="Lena Lifter", created_at=JOINED)
    program = TrainingProgramFactory(user=lifter, name="Upper Lower", frequency=2)
    upper = WorkoutSessionFactory(program=program, name="Upper", day_of_week=0)
    lower = WorkoutSessionFactory(program=program, name="Lower", day_of_week=3)
    bench = ExerciseFactory(name="Barbell bench press")
    squat = ExerciseFactory(name="Back squat", muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5})
    SessionExerciseFactory(session=upper, exercise=bench, sets=4)
    SessionExerciseFactory(session=lower, exercise=squat, sets=4)
    services.preferences_update(user=lifter, unit="kg", time_zone="Europe/Berlin", current_program=program)
    for started, weight in (
        (dt.datetime(2026, 11, 23, 17, tzinfo=dt.UTC), "80"),
        (dt.datetime(2026, 11, 30, 17, tzinfo=dt.UTC), "85"),
    ):
        workout = services.workout_start(user=lifter, session=upper, started_at=started)
        for _ in range(4):
            services.set_log(
                user=lifter,
                workout=workout,
                exercise_id=bench.pk,
                weight_kg=Decimal(weight),
                reps=8,
                rir=Decimal(2),
                set_type="WORKING",
                client_id=uuid.uuid4(),
            )
        services.workout_finish(user=lifter, workout=workout)
    # Monday 7 Dec 2026, 07:00 in Berlin (06:00 UTC).
    week_start_notices(timestamp=int(dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC).timestamp()))

    client.force_login(lifter)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/notifications/")
        text = page.locator("main").inner_text()
        assert "Your weekly HypertroQ digest" in text
        assert "Program “Upper Lower”: 1 of 2 planned sessions done." in text
        assert "Barbell bench press, 85 kg × 8: best estimated 1RM (113.3 kg)" in text
        assert "got less than" in text and "minimum effective volume" in text
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if SHOTS:
            page.screenshot(path=f"/tmp/hypertroq-notices-{width}.png", full_page=True)  # noqa: S108
