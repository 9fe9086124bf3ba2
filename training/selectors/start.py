"""Starting a workout: the lifter's programs, the session to start, and what "today" holds."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.selectors import user_preferences_for
from hypertroq.http import valid_uuid
from programs.models import StructureType, TrainingProgram, WorkoutSession
from programs.rules import session_ordering
from programs.selectors import program_list_for_user
from training.models import TrainingPreferences, WorkoutLog
from training.selectors.common import authenticated
from training.selectors.workouts import workout_open_for


def programs_to_start(*, user: Any) -> list[TrainingProgram]:
    """The lifter's programs with their sessions (two queries), for the start page."""
    return list(
        TrainingProgram.objects.filter(user=user, is_template=False)
        .prefetch_related(
            Prefetch("sessions", queryset=WorkoutSession.objects.order_by("order_index", "created_at"))
        )
        .order_by("-updated_at")
    )


def session_get_to_start(*, user: Any, session_id: uuid.UUID | str) -> WorkoutSession:
    """A session of one of the lifter's own programs, with its program; 404 otherwise."""
    if not valid_uuid(session_id):
        raise Http404("No such session.")
    found = (
        WorkoutSession.objects.filter(
            pk=session_id, program__user=user, program__is_template=False, program__is_deleted=False
        )
        .select_related("program")
        .first()
    )
    if found is None:
        raise Http404("No such session.")
    return found


FOLLOW_CHOICES = 20  # programs offered on the card; the preferences page lists every one


@dataclass(frozen=True)
class TodayPlan:
    """What the dashboard card shows: the session to do today (or next), and an open workout."""

    program: TrainingProgram | None
    session: WorkoutSession | None
    reason: str  # "Monday's session", "next in your rotation", "rest day: next is Thursday"
    is_today: bool
    open_workout: WorkoutLog | None
    # With no program followed: the lifter's own programs, to pick one right on the card.
    choices: tuple[TrainingProgram, ...] = ()


def today_plan(*, user: Any, now: dt.datetime) -> TodayPlan:
    """Today's session of the current program: the session on today's weekday (lifter's time
    zone) of a WEEKLY program, the one after the last one done of a CYCLIC rotation. Three or four
    queries (preferences with program, sessions, open workout, last workout of a rotation); with no
    program followed, three (preferences, open workout, the lifter's programs to pick from)."""
    prefs = (
        TrainingPreferences.objects.filter(user=user)
        .select_related("current_program", "user__preferences")
        .first()
    )
    open_workout = workout_open_for(user=user)
    program = prefs.current_program if prefs is not None else None
    if program is not None and (program.is_deleted or program.user_id != user.pk):
        program = None
    if program is None:
        choices = tuple(program_list_for_user(user=user)[:FOLLOW_CHOICES])
        return TodayPlan(None, None, "", False, open_workout, choices)
    ordering = session_ordering(weekly=program.structure_type == StructureType.WEEKLY)
    sessions = list(WorkoutSession.objects.filter(program=program).order_by(*ordering))
    if not sessions:
        return TodayPlan(program, None, "This program has no sessions yet.", False, open_workout)
    local = (
        now.astimezone(ZoneInfo(user_preferences_for(user=prefs.user).time_zone or "UTC"))
        if prefs is not None
        else now
    )
    if program.structure_type == StructureType.WEEKLY:
        by_day = {s.day_of_week: s for s in sessions if s.day_of_week is not None}
        weekday = local.weekday()
        if weekday in by_day:
            return TodayPlan(program, by_day[weekday], f"{local:%A}'s session", True, open_workout)
        for ahead in range(1, 8):
            day = (weekday + ahead) % 7
            if day in by_day:
                name = dt.date(2024, 1, 1 + day).strftime("%A")  # 2024-01-01 is a Monday
                return TodayPlan(program, by_day[day], f"Rest day today; next is {name}", False, open_workout)
        return TodayPlan(program, sessions[0], "No session has a weekday", False, open_workout)
    last = (
        WorkoutLog.objects.filter(user=user, program=program, session__isnull=False)
        .order_by("-started_at")
        .values_list("session_id", flat=True)
        .first()
    )
    ids = [s.pk for s in sessions]
    following = sessions[(ids.index(last) + 1) % len(sessions)] if last in ids else sessions[0]
    return TodayPlan(program, following, "Next in your rotation", True, open_workout)


def recent_workouts(*, user: Any, limit: int = 5) -> QuerySet[WorkoutLog]:
    return WorkoutLog.objects.filter(user=user).order_by("-started_at")[:limit]


def current_program_id_for(*, user: Any) -> uuid.UUID | None:
    """The id of the program the lifter follows (None when they follow none): one query."""
    return (
        TrainingPreferences.objects.filter(user=user).values_list("current_program_id", flat=True).first()
        if authenticated(user)
        else None
    )
