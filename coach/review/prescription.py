"""Rules on single entries' prescription: the same exercise twice in a session, short rest on
compound lifts, reps outside 5–30."""

from __future__ import annotations

from coach.plan import SET_REPS, SET_REST, Change, Fix, PlannedExercise
from coach.review.context import ReviewContext
from coach.review.findings import EVIDENCE, LOW, Finding
from coach.review.fixes import set_sets_change
from programs.rules import MAX_SETS

MIN_REST_COMPOUND = 60
SUGGESTED_REST_COMPOUND = 120
REPS_LOW, REPS_HIGH = 5, 30


def rule_duplicates(ctx: ReviewContext) -> list[Finding]:
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
            changes = [set_sets_change(session, first, merged, "Raise")] if merged != first.sets else []
            changes += [set_sets_change(session, i, 0, "Lower") for i in rest]
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


def rule_short_rest(ctx: ReviewContext) -> list[Finding]:
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


def suggested_reps(low: int, high: int) -> str:
    if high < REPS_LOW:
        return "5-8"
    if low > REPS_HIGH:
        return "20-30"
    new_low, new_high = max(low, REPS_LOW), min(high, REPS_HIGH)
    return str(new_low) if new_low == new_high else f"{new_low}-{new_high}"


def rule_reps(ctx: ReviewContext) -> list[Finding]:
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
