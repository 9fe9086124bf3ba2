"""The explained program review: pure rules over a program snapshot and its weekly volume.

:func:`review_program` returns findings, most important first. Each finding carries the numbers
behind it, one line of evidence (DOMAIN.md's sources) and, where a change makes sense, a
:class:`~coach.plan.Fix`: plain steps (add exercise X to session S with N sets, take sets
from Y, move k sets of Y from S1 to S2, change rest to 120 s) that ``coach.services``
applies through the builder's services.

Rules (each has a program that triggers it and one that does not in ``tests/test_review.py``):

- ``above_mrv``: a muscle above its MRV → which exercises to take sets from.
- ``below_mev``: a major muscle (or one with the lifter's own landmarks) below its MEV → 1–2 exercises that train it as prime mover (preferring
  equipment the program already uses, not already in the program), placed where they fit best
  (same category of muscles, fewest sets), with the sets that bring it to MEV within the caps.
- ``session_muscle_over_10``: more than 10 fractional sets for one muscle in one session → move
  part to another session.
- ``session_over_30_sets`` / ``session_over_8_exercises``: move exercises to lighter sessions.
- ``once_a_week``: 10+ weekly sets trained in one session a week → split over two sessions.
- ``balance_*``: push vs pull, chest vs back, quadriceps vs hamstrings outside 2:3–3:2, front vs
  rear delts outside 1:2–2:1 → add sets for the weaker side.
- ``duplicate_exercise``: the same exercise twice in one session → merge.
- ``short_rest``: rest under 60 s on a compound lift → 120 s.
- ``reps_out_of_range``: reps outside 5–30 (AMRAP is fine) → the nearest range inside.

When nothing triggers, one ``all_clear`` finding says so with the figures that show it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coach.plan import (
    ADD,
    MAJOR_MUSCLES,
    REMOVE,
    SET_REPS,
    SET_REST,
    SET_SETS,
    Change,
    ExerciseInfo,
    Fix,
    PlannedExercise,
    PlannedSession,
    ProgramSnapshot,
    apply_changes,
    counted,
    snapshot_volume,
    volume_landmarks,
)
from exercises.domain import MUSCLE_CATEGORY, PRIME_MOVER, Muscle
from programs.volume import (
    DEFAULT_LANDMARKS,
    FRACTIONAL,
    SESSION_MUSCLE_WARNING_SETS,
    SESSION_TOTAL_WARNING_SETS,
    Landmarks,
    ProgramVolume,
)

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2, INFO: 3}
SEVERITY_LABELS = {HIGH: "Important", MEDIUM: "Worth fixing", LOW: "Detail", INFO: "All good"}

MAX_EXERCISES_PER_SESSION = 8
MAX_SETS_PER_ADDED_EXERCISE = 6
MAX_SETS = 20
ONCE_A_WEEK_SETS = 10.0
MIN_REST_COMPOUND = 60
SUGGESTED_REST_COMPOUND = 120
REPS_LOW, REPS_HIGH = 5, 30
COMPOUND_PRESCRIPTION = ("6-10", 150)
ISOLATION_PRESCRIPTION = ("10-15", 90)
EPS = 1e-6

EVIDENCE = {
    "below_mev": (
        "RP landmarks: below MEV a muscle barely grows; about 4 weekly sets is the minimum dose and "
        "10+ beat fewer (Schoenfeld 2017)."
    ),
    "above_mrv": (
        "RP landmarks: past MRV recovery fails; 12–20 weekly sets is the usual recommendation "
        "(Baz-Valle 2022) and returns diminish past ~20 (Pelland 2024)."
    ),
    "session_muscle_over_10": (
        "Returns diminish with more sets (Pelland 2024); DOMAIN.md caps one muscle at about 10 "
        "fractional sets per session, so the rest is better spent in another session."
    ),
    "once_a_week": (
        "Weekly volume drives growth (Schoenfeld 2017; Pelland 2024), and past ~10 sets in one "
        "session returns drop: two sessions carry 10+ weekly sets better than one."
    ),
    "session_size": (
        "Past about 30 sets in one session quality drops (DOMAIN.md); 12–20 weekly sets per muscle "
        "(Baz-Valle 2022) fit in shorter sessions."
    ),
    "balance": (
        "Fractional sets (Pelland 2024) make sides comparable; the band is HypertroQ's rule of "
        "thumb for even development, not a study's cut-off."
    ),
    "duplicate_exercise": (
        "Volume counts per set (Pelland 2024): one entry with the sets combined gives the same "
        "volume and reads clearer."
    ),
    "short_rest": (
        "Rest of 2–3 min on compound lifts beats 1 min (Schoenfeld 2016); past ~90 s the "
        "differences are small (Singer 2024)."
    ),
    "reps_out_of_range": "Rep ranges of 5–30 near failure grow muscle about equally (Schoenfeld 2017, 2021).",
    "all_clear": (
        "RP landmarks (MEV–MRV); 10+ weekly sets beat fewer (Schoenfeld 2017); 12–20 is the usual "
        "recommendation (Baz-Valle 2022)."
    ),
    "no_sessions": "Weekly volume is what counts (Schoenfeld 2017; Pelland 2024): a week needs sessions.",
}


@dataclass(frozen=True)
class BalancePair:
    code: str
    title: str
    left_label: str
    left: tuple[str, ...]
    right_label: str
    right: tuple[str, ...]
    low: float  # allowed ratio left/right, inclusive
    high: float
    band: str


BALANCE_PAIRS: tuple[BalancePair, ...] = (
    BalancePair(
        "balance_push_pull",
        "Pushing vs pulling",
        "upper-body pushing",
        ("CHEST", "FRONT_DELTS", "SIDE_DELTS", "TRICEPS"),
        "pulling",
        ("LATS", "TRAPS_RHOMBOIDS", "REAR_DELTS", "ELBOW_FLEXORS"),
        2 / 3,
        3 / 2,
        "2:3 to 3:2",
    ),
    # Back is two muscles that rows train together: compared per muscle (the mean of the two).
    BalancePair(
        "balance_chest_back",
        "Chest vs back",
        "chest",
        ("CHEST",),
        "back (lats, traps & rhomboids)",
        ("LATS", "TRAPS_RHOMBOIDS"),
        2 / 3,
        3 / 2,
        "2:3 to 3:2 per muscle",
    ),
    BalancePair(
        "balance_quads_hamstrings",
        "Quadriceps vs hamstrings",
        "quadriceps",
        ("QUADRICEPS",),
        "hamstrings",
        ("HAMSTRINGS",),
        2 / 3,
        3 / 2,
        "2:3 to 3:2",
    ),
    # Pressing feeds the front delts indirectly (RP's front-delt MEV is 0): only front delts far
    # ahead of rear delts is flagged, more rear-delt work is never a problem.
    BalancePair(
        "balance_front_rear_delts",
        "Front vs rear delts",
        "front delts",
        ("FRONT_DELTS",),
        "rear delts",
        ("REAR_DELTS",),
        0.0,
        2,
        "at most 2:1",
    ),
)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    title: str
    explanation: str
    evidence: str
    fix: Fix | None = None
    muscle: str | None = None
    session_id: str | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


# ---------------------------------------------------------------- helpers


def _n(value: float) -> str:
    """Weekly sets with one decimal, two when needed: 12.0, 7.5, 7.25."""
    text = f"{value:.2f}"
    return text[:-1] if text.endswith("0") else text


def _label(muscle: str) -> str:
    return str(Muscle(muscle).label)


def _lower(muscle: str) -> str:
    return _label(muscle).lower()


def is_compound(exercise: ExerciseInfo) -> bool:
    return exercise.is_compound


def prescription_for(exercise: ExerciseInfo) -> tuple[str, int]:
    return COMPOUND_PRESCRIPTION if exercise.is_heavy else ISOLATION_PRESCRIPTION


def parse_reps(reps: str | None) -> tuple[int, int] | None:
    """(low, high) for "N" or "N-M"; None for AMRAP, blank or anything else."""
    if not reps:
        return None
    text = reps.strip().upper()
    if text == "AMRAP":
        return None
    parts = text.split("-")
    if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts) or len(parts) > 2:
        return None
    low, high = int(parts[0]), int(parts[-1])
    return low, high


class _Context:
    def __init__(
        self,
        snapshot: ProgramSnapshot,
        volume: ProgramVolume,
        candidates: Sequence[ExerciseInfo],
    ):
        self.snapshot = snapshot
        self.volume = volume
        self.counting = volume.counting
        self.landmarks = volume_landmarks(volume)
        self.candidates = list(candidates)
        self.exercises: dict[str, ExerciseInfo] = {c.id: c for c in candidates}
        for session in snapshot.sessions:
            for item in session.exercises:
                self.exercises.setdefault(item.exercise.id, item.exercise)
        self.week = snapshot.counted_sessions()
        self.week_ids = {s.id for s in self.week}
        self.scale = volume.scale if self.week else 0.0

    def value(self, muscle: str, volume: ProgramVolume | None = None) -> float:
        return counted(volume or self.volume, muscle)

    def simulate(self, changes: Sequence[Change]) -> ProgramVolume:
        return snapshot_volume(
            apply_changes(self.snapshot, changes, self.exercises),
            counting=self.counting,
            landmarks=self.landmarks,
        )

    def unit(self, exercise: ExerciseInfo, muscle: str) -> float:
        """Weekly counted sets one set of ``exercise`` gives ``muscle``."""
        c = exercise.contribution(muscle)
        if self.counting != FRACTIONAL:
            c = 1.0 if c == PRIME_MOVER else 0.0
        return c * self.scale


def _session_raw(session: PlannedSession) -> dict[str, float]:
    raw: dict[str, float] = {}
    for item in session.exercises:
        for muscle, level in item.exercise.contributions.items():
            raw[muscle] = raw.get(muscle, 0.0) + item.sets * float(level)
    return raw


def _room_for(
    ctx: _Context,
    session: PlannedSession,
    exercise: ExerciseInfo,
    *,
    new: bool,
    weekly: Mapping[str, float],
    extra_sets_in_session: int = 0,
) -> int:
    """How many sets of ``exercise`` fit into ``session`` within every cap (0 = none)."""
    if new and len(session.exercises) >= MAX_EXERCISES_PER_SESSION:
        return 0
    room = SESSION_TOTAL_WARNING_SETS - session.total_sets - extra_sets_in_session
    raw = _session_raw(session)
    for muscle, level in exercise.contributions.items():
        level = float(level)
        if level <= 0:
            continue
        room = min(room, math.floor((SESSION_MUSCLE_WARNING_SETS - raw.get(muscle, 0.0)) / level + EPS))
        unit = ctx.unit(exercise, muscle) if session.id in ctx.week_ids else 0.0
        if unit > 0:
            headroom = ctx.landmarks[muscle].mrv - weekly[muscle]
            room = min(room, math.floor(headroom / unit + EPS))
    return max(0, room)


def _weekly(ctx: _Context, volume: ProgramVolume | None = None) -> dict[str, float]:
    vol = volume or ctx.volume
    return {m.muscle: counted(vol, m.muscle) for m in vol.muscles}


def _add_change(session: PlannedSession, exercise: ExerciseInfo, sets: int) -> Change:
    reps, rest = prescription_for(exercise)
    return Change(
        kind=ADD,
        text=f"Add {exercise.name} to {session.name}: {sets} set{'s' if sets != 1 else ''} of {reps}, rest {rest} s.",
        session_id=session.id,
        exercise_id=exercise.id,
        sets=sets,
        reps=reps,
        rest_seconds=rest,
    )


def _set_sets_change(session: PlannedSession, item: PlannedExercise, sets: int, verb: str) -> Change:
    if sets <= 0:
        return Change(
            kind=REMOVE,
            text=f"Remove {item.exercise.name} from {session.name} ({item.sets} sets).",
            session_exercise_id=item.id,
            expected=item.sets,
        )
    return Change(
        kind=SET_SETS,
        text=f"{verb} {item.exercise.name} in {session.name} from {item.sets} to {sets} sets.",
        session_exercise_id=item.id,
        sets=sets,
        expected=item.sets,
    )


def _fewest_sets(
    ctx: _Context,
    changes: Sequence[Change],
    session: PlannedSession,
    exercise: ExerciseInfo,
    room: int,
    satisfied: Callable[[ProgramVolume], bool],
) -> int | None:
    """The fewest sets (1..room) of ``exercise`` in ``session`` that satisfy, or None."""
    for sets in range(1, room + 1):
        if satisfied(ctx.simulate([*changes, _add_change(session, exercise, sets)])):
            return sets
    return None


def _add_sets_for(
    ctx: _Context,
    muscle: str,
    satisfied: Callable[[ProgramVolume], bool],
    *,
    max_exercises: int = 2,
) -> tuple[list[Change], ProgramVolume] | None:
    """Changes adding 1–2 prime-mover exercises for ``muscle`` until ``satisfied`` (or the caps).

    Exercise choice: one not in the program yet (else one in it, for another session), on
    equipment the program already uses,
    then exercises that put fewer sets on other muscles. Session choice: counted sessions that
    already train the muscle's category, then the one with the fewest sets.
    """
    if not ctx.week:
        return None
    in_program = ctx.snapshot.exercise_ids()
    equipment = ctx.snapshot.equipment_used()
    category = MUSCLE_CATEGORY[muscle]
    pool = [c for c in ctx.candidates if c.contribution(muscle) == PRIME_MOVER and ctx.unit(c, muscle) > 0]
    pool.sort(
        key=lambda c: (
            c.id in in_program,  # an exercise already in the program only in another session
            c.equipment not in equipment,
            sum(1 for m, v in c.contributions.items() if m != muscle and float(v) >= 0.5),
            c.name.lower(),
        )
    )
    changes: list[Change] = []
    used_sessions: set[str] = set()
    used_exercises: set[str] = set()
    volume = ctx.volume
    for _ in range(max_exercises):
        if satisfied(volume):
            break
        snapshot = apply_changes(ctx.snapshot, changes, ctx.exercises)
        weekly = _weekly(ctx, volume)

        def session_key(s: PlannedSession) -> tuple[bool, bool, int, int]:
            raw = _session_raw(s)
            same_category = any(MUSCLE_CATEGORY.get(m) == category and v > 0 for m, v in raw.items())
            return (s.id in used_sessions, not same_category, s.total_sets, s.order_index)

        sessions = sorted(snapshot.counted_sessions(), key=session_key)
        # The first exercise (in preference order) that fits anywhere; within it, the first session
        # (in preference order) where it satisfies the goal, else the session with the most room.
        choice: tuple[PlannedSession, ExerciseInfo, int] | None = None
        for exercise in pool:
            if exercise.id in used_exercises:
                continue
            roomiest: tuple[PlannedSession, int] | None = None
            for session in sessions:
                if any(e.exercise.id == exercise.id for e in session.exercises):
                    continue
                room = min(
                    _room_for(ctx, session, exercise, new=True, weekly=weekly),
                    MAX_SETS_PER_ADDED_EXERCISE,
                )
                if room < 1:
                    continue
                fewest = _fewest_sets(ctx, changes, session, exercise, room, satisfied)
                if fewest is not None:
                    choice = (session, exercise, fewest)
                    break
                if roomiest is None or room > roomiest[1]:
                    roomiest = (session, room)
            if choice is None and roomiest is not None:
                choice = (roomiest[0], exercise, roomiest[1])
            if choice:
                break
        if choice is None:
            break
        session, exercise, picked = choice
        changes.append(_add_change(session, exercise, picked))
        volume = ctx.simulate(changes)
        used_sessions.add(session.id)
        used_exercises.add(exercise.id)
    if not changes:
        return None
    return changes, volume


def _move_sets(
    ctx: _Context,
    source: PlannedSession,
    item: PlannedExercise,
    sets_to_move: int,
    muscle: str,
) -> tuple[list[Change], PlannedSession] | None:
    """Move ``sets_to_move`` sets of ``item`` from ``source`` to the counted session with the least
    ``muscle`` that has room. Returns the changes and the target session."""
    weekly = _weekly(ctx)
    # Moving within the week does not change weekly totals, so MRV headroom is not a concern:
    # pretend the moved sets are already counted.
    moved_weekly = dict(weekly)
    for m in item.exercise.contributions:
        moved_weekly[m] = weekly[m] - ctx.unit(item.exercise, m) * sets_to_move
    targets = sorted(
        (s for s in ctx.week if s.id != source.id),
        key=lambda s: (_session_raw(s).get(muscle, 0.0), s.total_sets, s.order_index),
    )
    for target in targets:
        existing = next((e for e in target.exercises if e.exercise.id == item.exercise.id), None)
        room = _room_for(ctx, target, item.exercise, new=existing is None, weekly=moved_weekly)
        if existing is not None:
            room = min(room, MAX_SETS - existing.sets)
        if room < sets_to_move:
            continue
        remaining = item.sets - sets_to_move
        changes = [_set_sets_change(source, item, remaining, "Lower")]
        if existing is not None:
            changes.append(
                Change(
                    kind=SET_SETS,
                    text=(
                        f"Raise {item.exercise.name} in {target.name} from {existing.sets} to "
                        f"{existing.sets + sets_to_move} sets."
                    ),
                    session_exercise_id=existing.id,
                    sets=existing.sets + sets_to_move,
                    expected=existing.sets,
                )
            )
        else:
            changes.append(
                Change(
                    kind=ADD,
                    text=(
                        f"Add {item.exercise.name} to {target.name}: {sets_to_move} "
                        f"set{'s' if sets_to_move != 1 else ''}"
                        + (f" of {item.reps}" if item.reps else "")
                        + (f", rest {item.rest_seconds} s" if item.rest_seconds is not None else "")
                        + "."
                    ),
                    session_id=target.id,
                    exercise_id=item.exercise.id,
                    sets=sets_to_move,
                    reps=item.reps,
                    rest_seconds=item.rest_seconds,
                )
            )
        return changes, target
    return None


def _move_fix(
    ctx: _Context, session: PlannedSession, item: PlannedExercise, k: int, muscle: str
) -> tuple[Fix, PlannedSession] | None:
    """:func:`_move_sets` as a one-click fix ("Move k sets of X from A to B"), with the target."""
    moved = _move_sets(ctx, session, item, k, muscle)
    if moved is None:
        return None
    changes, target = moved
    fix = Fix(
        description=f"Move {k} set{'s' if k != 1 else ''} of {item.exercise.name} from {session.name} to {target.name}.",
        changes=tuple(changes),
    )
    return fix, target


# ---------------------------------------------------------------- rules


def _rule_no_sessions(ctx: _Context) -> list[Finding]:
    if ctx.week:
        return []
    if ctx.snapshot.structure_type == "WEEKLY" and ctx.snapshot.sessions:
        why = "none of its sessions is on a weekday, so none counts toward the week"
    else:
        why = "it has no sessions yet"
    return [
        Finding(
            code="no_sessions",
            severity=HIGH,
            title="No training week yet",
            explanation=(
                f"Every muscle gets 0.0 weekly sets because {why}. Give sessions a weekday "
                "(weekly programs) or add sessions to the rotation, then review again."
            ),
            evidence=EVIDENCE["no_sessions"],
        )
    ]


def _harmless_cut(
    ctx: _Context,
    exercise: ExerciseInfo,
    muscle: str,
    weekly: Mapping[str, float],
    mevs: Mapping[str, float],
) -> bool:
    """True when one set less of ``exercise`` drops no other muscle from MEV to below it."""
    for m in exercise.contributions:
        if m != muscle and weekly[m] >= mevs[m] and weekly[m] - ctx.unit(exercise, m) < mevs[m]:
            return False
    return True


def _reaches(muscle: str, target: float) -> Callable[[ProgramVolume], bool]:
    def satisfied(volume: ProgramVolume) -> bool:
        return counted(volume, muscle) >= target - EPS

    return satisfied


def _rule_above_mrv(ctx: _Context) -> list[Finding]:
    findings = []
    for mv in ctx.volume.muscles:
        value, mrv = ctx.value(mv.muscle), mv.landmarks.mrv
        if value <= mrv + EPS:
            continue
        muscle = mv.muscle
        sets_now: dict[str, int] = {}
        where: dict[str, tuple[PlannedSession, PlannedExercise]] = {}
        for session in ctx.week:
            for item in session.exercises:
                if ctx.unit(item.exercise, muscle) > 0:
                    sets_now[item.id] = item.sets
                    where[item.id] = (session, item)
        weekly = _weekly(ctx)
        mevs = {m: ctx.landmarks[m].mev for m in weekly}
        current = value
        while current > mrv + EPS and any(s > 0 for s in sets_now.values()):
            options = [i for i, s in sets_now.items() if s > 0]

            options.sort(
                key=lambda i: (
                    not _harmless_cut(ctx, where[i][1].exercise, muscle, weekly, mevs),
                    -where[i][1].exercise.contribution(muscle),
                    -sets_now[i] * where[i][1].exercise.contribution(muscle),
                    where[i][0].order_index,
                )
            )
            chosen = options[0]
            info = where[chosen][1].exercise
            sets_now[chosen] -= 1
            for m in info.contributions:
                weekly[m] -= ctx.unit(info, m)
            current = weekly[muscle]
        changes = [
            _set_sets_change(where[i][0], where[i][1], sets, "Lower")
            for i, sets in sets_now.items()
            if sets != where[i][1].sets
        ]
        after = ctx.value(muscle, ctx.simulate(changes))
        names = ", ".join(
            f"{item.exercise.name} in {session.name} ({item.sets} × {item.exercise.contribution(muscle):g})"
            for session, item in where.values()
        )
        findings.append(
            Finding(
                code="above_mrv",
                severity=HIGH,
                title=f"{_label(muscle)} above MRV",
                explanation=(
                    f"{_label(muscle)} gets {_n(value)} weekly sets, {_n(value - mrv)} above its MRV of "
                    f"{mrv:g} (MAV {mv.landmarks.mav_low:g}–{mv.landmarks.mav_high:g}). It comes from {names}. "
                    f"Taking sets from the exercises that load it most brings it to {_n(after)}."
                ),
                evidence=EVIDENCE["above_mrv"],
                fix=Fix(
                    description=f"Take sets from {_lower(muscle)} work: {_n(value)} → {_n(after)} weekly sets.",
                    changes=tuple(changes),
                )
                if changes
                else None,
                muscle=muscle,
            )
        )
    return findings


def _watched(muscle: str, landmarks: Landmarks) -> bool:
    """MEV is checked for the 11 major muscles, and for any other the lifter set landmarks for
    (forearms' default MEV of 2 comes from pulling work; flagging it would be noise)."""
    return muscle in MAJOR_MUSCLES or landmarks != DEFAULT_LANDMARKS.get(muscle)


def _rule_below_mev(ctx: _Context) -> list[Finding]:
    if not ctx.week:
        return []
    findings = []
    rows = [
        (ctx.value(mv.muscle) / mv.landmarks.mev, mv)
        for mv in ctx.volume.muscles
        if _watched(mv.muscle, mv.landmarks)
        and mv.landmarks.mev > 0
        and ctx.value(mv.muscle) < mv.landmarks.mev - EPS
    ]
    for _, mv in sorted(rows, key=lambda r: (r[0], Muscle.values.index(r[1].muscle))):
        muscle, value, mev = mv.muscle, ctx.value(mv.muscle), mv.landmarks.mev
        planned = _add_sets_for(ctx, muscle, _reaches(muscle, mev))
        explanation = (
            f"{_label(muscle)} gets {_n(value)} weekly sets, below its MEV of {mev:g} "
            f"(MAV {mv.landmarks.mav_low:g}–{mv.landmarks.mav_high:g}): {_n(mev - value)} short."
        )
        fix = None
        if planned is None:
            explanation += (
                f" No exercise in your library that trains {_lower(muscle)} as prime mover fits into "
                "a session within the caps (30 sets, 8 exercises, 10 sets for one muscle, the other "
                "muscles' MRV); add a session or make room."
            )
        else:
            changes, after_volume = planned
            after = ctx.value(muscle, after_volume)
            explanation += f" The change below brings it to {_n(after)}."
            if after < mev - EPS:
                explanation += " That is as far as the sessions' caps allow; add a session for the rest."
            fix = Fix(
                description=f"Train {_lower(muscle)} directly: {_n(value)} → {_n(after)} weekly sets.",
                changes=tuple(changes),
            )
        findings.append(
            Finding(
                code="below_mev",
                severity=HIGH,
                title=f"{_label(muscle)} below MEV",
                explanation=explanation,
                evidence=EVIDENCE["below_mev"],
                fix=fix,
                muscle=muscle,
            )
        )
    return findings


def _top_contributor(session: PlannedSession, muscle: str) -> PlannedExercise | None:
    items = [e for e in session.exercises if e.exercise.contribution(muscle) > 0]
    if not items:
        return None
    return max(
        items, key=lambda e: (e.exercise.contribution(muscle), e.sets * e.exercise.contribution(muscle))
    )


def _rule_session_muscle_over_10(ctx: _Context) -> list[Finding]:
    findings = []
    for session in ctx.week:
        raw = _session_raw(session)
        for muscle in Muscle.values:
            sets = round(raw.get(muscle, 0.0), 2)
            if sets <= SESSION_MUSCLE_WARNING_SETS + EPS:
                continue
            item = _top_contributor(session, muscle)
            assert item is not None  # noqa: S101
            c = item.exercise.contribution(muscle)
            k = min(item.sets, math.ceil((sets - SESSION_MUSCLE_WARNING_SETS) / c - EPS))
            moved = _move_fix(ctx, session, item, k, muscle)
            explanation = (
                f"{session.name} gives {_lower(muscle)} {_n(sets)} fractional sets, "
                f"{_n(sets - SESSION_MUSCLE_WARNING_SETS)} over the 10 that one session uses well."
            )
            fix = None
            if moved is None:
                explanation += " No other session has room for them; add a session."
            else:
                fix, target = moved
                explanation += (
                    f" Moving {k} set{'s' if k != 1 else ''} of {item.exercise.name} to {target.name} "
                    "keeps the weekly total and brings this session to "
                    f"{_n(sets - k * c)}."
                )
            findings.append(
                Finding(
                    code="session_muscle_over_10",
                    severity=MEDIUM,
                    title=f"Too much {_lower(muscle)} in {session.name}",
                    explanation=explanation,
                    evidence=EVIDENCE["session_muscle_over_10"],
                    fix=fix,
                    muscle=muscle,
                    session_id=session.id,
                )
            )
    return findings


def _rule_once_a_week(ctx: _Context, skip: set[str]) -> list[Finding]:
    findings = []
    for mv in ctx.volume.muscles:
        muscle, value = mv.muscle, ctx.value(mv.muscle)
        if muscle in skip or value < ONCE_A_WEEK_SETS - EPS or mv.frequency > 1.0 + EPS:
            continue
        sessions = [s for s in ctx.week if _session_raw(s).get(muscle, 0.0) >= 1.0]
        if len(sessions) != 1:
            continue
        session = sessions[0]
        item = _top_contributor(session, muscle)
        if item is None:
            continue
        explanation = (
            f"{_label(muscle)} gets {_n(value)} weekly sets, all in {session.name} "
            f"(trained {mv.frequency:g}× a week)."
        )
        k = item.sets // 2
        moved = _move_fix(ctx, session, item, k, muscle) if k >= 1 else None
        fix = None
        if moved is None:
            explanation += " There is no other session with room to take half; add one."
        else:
            fix, target = moved
            explanation += (
                f" Moving {k} of the {item.sets} sets of {item.exercise.name} to {target.name} trains it "
                "twice a week with the same weekly volume."
            )
        findings.append(
            Finding(
                code="once_a_week",
                severity=MEDIUM,
                title=f"{_label(muscle)} trained once a week",
                explanation=explanation,
                evidence=EVIDENCE["once_a_week"],
                fix=fix,
                muscle=muscle,
                session_id=session.id,
            )
        )
    return findings


def _rule_session_size(ctx: _Context) -> list[Finding]:
    findings = []
    for session in sorted(ctx.snapshot.sessions, key=lambda s: s.order_index):
        too_many_sets = session.total_sets > SESSION_TOTAL_WARNING_SETS
        too_many_exercises = len(session.exercises) > MAX_EXERCISES_PER_SESSION
        if not (too_many_sets or too_many_exercises):
            continue
        code = "session_over_30_sets" if too_many_sets else "session_over_8_exercises"
        parts = []
        if too_many_sets:
            parts.append(f"{session.total_sets} sets (more than {SESSION_TOTAL_WARNING_SETS})")
        if too_many_exercises:
            parts.append(f"{len(session.exercises)} exercises (more than {MAX_EXERCISES_PER_SESSION})")
        explanation = f"{session.name} has {' and '.join(parts)}."
        # Move whole exercises, last first, to the lightest sessions with room.
        changes: list[Change] = []
        total, count = session.total_sets, len(session.exercises)
        load = {s.id: (s.total_sets, len(s.exercises)) for s in ctx.week if s.id != session.id}
        targets = [s for s in ctx.week if s.id != session.id]
        for item in sorted(session.exercises, key=lambda e: -e.order_index):
            if total <= SESSION_TOTAL_WARNING_SETS and count <= MAX_EXERCISES_PER_SESSION:
                break
            for target in sorted(targets, key=lambda s: (load[s.id][0], s.order_index)):
                sets_there, n_there = load[target.id]
                raw = _session_raw(target)
                fits = (
                    sets_there + item.sets <= SESSION_TOTAL_WARNING_SETS
                    and n_there < MAX_EXERCISES_PER_SESSION
                    and not any(e.exercise.id == item.exercise.id for e in target.exercises)
                    and all(
                        raw.get(m, 0.0) + item.sets * float(c) <= SESSION_MUSCLE_WARNING_SETS + EPS
                        for m, c in item.exercise.contributions.items()
                    )
                )
                if not fits:
                    continue
                changes.append(_set_sets_change(session, item, 0, "Lower"))
                changes.append(
                    Change(
                        kind=ADD,
                        text=f"Add {item.exercise.name} to {target.name}: {item.sets} sets"
                        + (f" of {item.reps}" if item.reps else "")
                        + (f", rest {item.rest_seconds} s" if item.rest_seconds is not None else "")
                        + ".",
                        session_id=target.id,
                        exercise_id=item.exercise.id,
                        sets=item.sets,
                        reps=item.reps,
                        rest_seconds=item.rest_seconds,
                    )
                )
                load[target.id] = (sets_there + item.sets, n_there + 1)
                total -= item.sets
                count -= 1
                break
        fix = None
        if changes and total <= SESSION_TOTAL_WARNING_SETS and count <= MAX_EXERCISES_PER_SESSION:
            moved = [c for c in changes if c.kind == ADD]
            explanation += (
                f" Moving {len(moved)} exercise{'s' if len(moved) != 1 else ''} to lighter sessions "
                f"leaves it at {total} sets and {count} exercises with the same weekly volume."
            )
            fix = Fix(description=f"Spread {session.name} over lighter sessions.", changes=tuple(changes))
        else:
            explanation += " The other sessions have no room for its exercises; add a session."
        findings.append(
            Finding(
                code=code,
                severity=MEDIUM,
                title=f"{session.name} is too long",
                explanation=explanation,
                evidence=EVIDENCE["session_size"],
                fix=fix,
                session_id=session.id,
            )
        )
    return findings


def _side(ctx: _Context, muscles: Sequence[str], volume: ProgramVolume | None = None) -> float:
    """Fractional weekly sets per muscle of one side (the mean, so sides of 1 and 2 muscles compare)."""
    vol = volume or ctx.volume
    return sum(vol.muscle(m).fractional_sets for m in muscles) / len(muscles)


def _ratio_text(left: float, right: float) -> str:
    if right <= 0:
        return "no sets on the other side"
    return f"{left / right:.2f}:1"


def _in_band(pair: BalancePair, left: float, right: float) -> bool:
    if left < 1 and right < 1:
        return True
    if right <= 0:
        return False
    return pair.low - EPS <= left / right <= pair.high + EPS


def _rule_balance(ctx: _Context) -> list[Finding]:
    if not ctx.week:
        return []
    findings = []
    for pair in BALANCE_PAIRS:
        left, right = _side(ctx, pair.left), _side(ctx, pair.right)
        if _in_band(pair, left, right):
            continue
        weak_muscles = pair.right if left > right else pair.left
        weak_label = pair.right_label if left > right else pair.left_label
        strong_label = pair.left_label if left > right else pair.right_label
        # Strengthen the weaker side's muscle that is furthest below the middle of its MAV.
        weak = min(
            weak_muscles,
            key=lambda m: (
                ctx.value(m) / max((ctx.landmarks[m].mav_low + ctx.landmarks[m].mav_high) / 2, 1),
                Muscle.values.index(m),
            ),
        )

        def satisfied(volume: ProgramVolume, pair: BalancePair = pair) -> bool:
            return _in_band(pair, _side(ctx, pair.left, volume), _side(ctx, pair.right, volume))

        planned = _add_sets_for(ctx, weak, satisfied)
        per = " per muscle" if len(pair.left) != len(pair.right) or len(pair.left) > 1 else ""
        explanation = (
            f"{pair.title}: {_n(left)} weekly fractional sets{per} of {pair.left_label} vs {_n(right)} of "
            f"{pair.right_label}, a ratio of {_ratio_text(left, right)}; the band is {pair.band}. "
            f"{strong_label.capitalize()} gets far more than {weak_label}."
        )
        fix = None
        if planned is not None:
            changes, after = planned
            new_left, new_right = _side(ctx, pair.left, after), _side(ctx, pair.right, after)
            explanation += (
                f" More {_lower(weak)} work makes it {_n(new_left)} vs {_n(new_right)} "
                f"({_ratio_text(new_left, new_right)})."
            )
            fix = Fix(
                description=f"Add {_lower(weak)} work to even out {pair.title.lower()}.",
                changes=tuple(changes),
            )
        else:
            explanation += f" No session has room for more {_lower(weak)} work within the caps."
        findings.append(
            Finding(
                code=pair.code,
                severity=MEDIUM,
                title=f"{pair.title} out of balance",
                explanation=explanation,
                evidence=EVIDENCE["balance"],
                fix=fix,
                muscle=weak,
            )
        )
    return findings


def _rule_duplicates(ctx: _Context) -> list[Finding]:
    findings = []
    for session in sorted(ctx.snapshot.sessions, key=lambda s: s.order_index):
        groups: dict[str, list[PlannedExercise]] = {}
        for item in sorted(session.exercises, key=lambda e: e.order_index):
            groups.setdefault(item.exercise.id, []).append(item)
        for items in groups.values():
            if len(items) < 2:
                continue
            first, rest = items[0], items[1:]
            total = sum(i.sets for i in items)
            merged = min(total, MAX_SETS)
            changes = [_set_sets_change(session, first, merged, "Raise")] if merged != first.sets else []
            changes += [_set_sets_change(session, i, 0, "Lower") for i in rest]
            sets_list = " + ".join(str(i.sets) for i in items)
            explanation = (
                f"{first.exercise.name} appears {len(items)} times in {session.name} "
                f"({sets_list} sets). One entry with {merged} sets gives the same volume"
                + (f" (capped at {MAX_SETS} sets)" if merged < total else "")
                + "."
            )
            findings.append(
                Finding(
                    code="duplicate_exercise",
                    severity=LOW,
                    title=f"{first.exercise.name} twice in {session.name}",
                    explanation=explanation,
                    evidence=EVIDENCE["duplicate_exercise"],
                    fix=Fix(
                        description=f"Merge the {len(items)} entries of {first.exercise.name} in {session.name}.",
                        changes=tuple(changes),
                    ),
                    session_id=session.id,
                )
            )
    return findings


def _rule_short_rest(ctx: _Context) -> list[Finding]:
    rows = [
        (session, item)
        for session in sorted(ctx.snapshot.sessions, key=lambda s: s.order_index)
        for item in session.exercises
        if item.exercise.is_compound
        and item.rest_seconds is not None
        and item.rest_seconds < MIN_REST_COMPOUND
    ]
    if not rows:
        return []
    listed = ", ".join(f"{i.exercise.name} in {s.name} ({i.rest_seconds} s)" for s, i in rows)
    changes = tuple(
        Change(
            kind=SET_REST,
            text=f"Rest {SUGGESTED_REST_COMPOUND} s after {i.exercise.name} in {s.name} (was {i.rest_seconds} s).",
            session_exercise_id=i.id,
            rest_seconds=SUGGESTED_REST_COMPOUND,
            expected=i.rest_seconds,
        )
        for s, i in rows
    )
    return [
        Finding(
            code="short_rest",
            severity=LOW,
            title="Short rest on compound lifts",
            explanation=(
                f"{len(rows)} compound lift{'s' if len(rows) != 1 else ''} rest under {MIN_REST_COMPOUND} s: "
                f"{listed}. Compound lifts load several muscles and need longer to recover between sets."
            ),
            evidence=EVIDENCE["short_rest"],
            fix=Fix(description=f"Set rest to {SUGGESTED_REST_COMPOUND} s on these lifts.", changes=changes),
        )
    ]


def suggested_reps(low: int, high: int) -> str:
    if high < REPS_LOW:
        return "5-8"
    if low > REPS_HIGH:
        return "20-30"
    new_low, new_high = max(low, REPS_LOW), min(high, REPS_HIGH)
    return str(new_low) if new_low == new_high else f"{new_low}-{new_high}"


def _rule_reps(ctx: _Context) -> list[Finding]:
    rows = []
    for session in sorted(ctx.snapshot.sessions, key=lambda s: s.order_index):
        for item in session.exercises:
            parsed = parse_reps(item.reps)
            if parsed is None:
                continue
            low, high = parsed
            if low < REPS_LOW or high > REPS_HIGH:
                rows.append((session, item, suggested_reps(low, high)))
    if not rows:
        return []
    listed = ", ".join(f"{i.exercise.name} in {s.name} ({i.reps})" for s, i, _ in rows)
    changes = tuple(
        Change(
            kind=SET_REPS,
            text=f"{i.exercise.name} in {s.name}: {new} reps (was {i.reps}).",
            session_exercise_id=i.id,
            reps=new,
            expected=i.reps,
        )
        for s, i, new in rows
    )
    return [
        Finding(
            code="reps_out_of_range",
            severity=LOW,
            title="Reps outside 5–30",
            explanation=(
                f"{len(rows)} exercise{'s' if len(rows) != 1 else ''} prescribe reps outside "
                f"{REPS_LOW}–{REPS_HIGH}: {listed}. Within that range, sets taken near failure grow "
                "muscle about equally; outside it, the evidence is thin (AMRAP is fine)."
            ),
            evidence=EVIDENCE["reps_out_of_range"],
            fix=Fix(description="Bring the reps into 5–30.", changes=changes),
        )
    ]


def _all_clear(ctx: _Context) -> Finding:
    figures = ", ".join(f"{_lower(m)} {_n(ctx.value(m))}" for m in MAJOR_MUSCLES)
    ratios = "; ".join(
        f"{pair.title.lower()} {_ratio_text(_side(ctx, pair.left), _side(ctx, pair.right))}"
        for pair in BALANCE_PAIRS
    )
    biggest = max((s.total_sets for s in ctx.week), default=0)
    return Finding(
        code="all_clear",
        severity=INFO,
        title="Nothing to fix",
        explanation=(
            f"All {len(MAJOR_MUSCLES)} major muscles between MEV and MRV ({ctx.volume.counting} weekly "
            f"sets): {figures}. No muscle above its MRV, none over 10 sets in one session, the longest "
            f"session has {biggest} sets; {ratios}; rest and reps within the evidence."
        ),
        evidence=EVIDENCE["all_clear"],
    )


def review_program(
    snapshot: ProgramSnapshot,
    volume: ProgramVolume,
    candidates: Sequence[ExerciseInfo] = (),
) -> list[Finding]:
    """Findings for the program, most important first (an ``all_clear`` one when none).

    ``volume`` is the program's weekly volume (the user's counting rule and landmarks);
    ``candidates`` are the exercises the lifter may add (their visible library).
    """
    ctx = _Context(snapshot, volume, candidates)
    over_10 = _rule_session_muscle_over_10(ctx)
    groups: list[list[Finding]] = [
        _rule_no_sessions(ctx),
        _rule_above_mrv(ctx),
        _rule_below_mev(ctx),
        over_10,
        _rule_session_size(ctx),
        _rule_once_a_week(ctx, skip={f.muscle for f in over_10 if f.muscle}),
        _rule_balance(ctx),
        _rule_duplicates(ctx),
        _rule_short_rest(ctx),
        _rule_reps(ctx),
    ]
    findings = [f for group in groups for f in group]
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: rule order within a severity
    return findings or [_all_clear(ctx)]
