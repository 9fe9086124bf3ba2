"""programs.volume: the pure maths, without a database."""

from __future__ import annotations

import pytest

from programs.volume import (
    CONTRIBUTOR_LEVEL,
    DEFAULT_LANDMARKS,
    DIRECT,
    MUSCLE_LEVEL,
    SESSION_LEVEL,
    Landmarks,
    SessionMuscleSets,
    SessionVolume,
    VolumeRow,
    bar_geometry,
    landmark_status,
    program_volume,
    program_volume_json,
    rows_by_program,
)


def bench_rows(program="p1", sessions=(("s1", "Monday", 0), ("s2", "Thursday", 3)), sets=3):
    """What the aggregate query returns for bench press (CHEST 1, FRONT_DELTS .5, TRICEPS .5)."""
    rows = []
    for order, (sid, name, day) in enumerate(sessions):
        base = {
            "program_id": program,
            "session_id": sid,
            "session_name": name,
            "order_index": order,
            "day_of_week": day,
        }
        rows.append(VolumeRow(**base, level=SESSION_LEVEL, total_sets=sets))
        for muscle, share in (("CHEST", 1.0), ("FRONT_DELTS", 0.5), ("TRICEPS", 0.5)):
            rows.append(
                VolumeRow(
                    **base,
                    level=MUSCLE_LEVEL,
                    muscle=muscle,
                    fractional=sets * share,
                    direct=sets if share == 1.0 else 0,
                )
            )
            rows.append(
                VolumeRow(
                    **base,
                    level=CONTRIBUTOR_LEVEL,
                    muscle=muscle,
                    session_exercise_id=f"se-{sid}",
                    exercise="Barbell Bench Press",
                    sets=sets,
                    contribution=share,
                    fractional=sets * share,
                    exercise_id="bench",
                    equipment="BARBELL",
                    reps="8-12",
                    se_order=0,
                )
            )
    return rows


def volume_of(structure_type="WEEKLY", frequency=2, rows=None, **kwargs):
    grouped = rows_by_program(rows if rows is not None else bench_rows())["p1"]
    return program_volume(
        structure_type=structure_type,
        frequency=frequency,
        sessions=grouped.sessions,
        contributors=grouped.contributors,
        **kwargs,
    )


def test_worked_example_weekly():
    volume = volume_of()
    chest, front, triceps = (volume.muscle(m) for m in ("CHEST", "FRONT_DELTS", "TRICEPS"))
    assert (chest.fractional_sets, chest.direct_sets, chest.frequency) == (6.0, 6.0, 2)
    assert (front.fractional_sets, front.direct_sets) == (3.0, 0)
    assert (triceps.fractional_sets, triceps.direct_sets) == (3.0, 0)
    assert chest.status == "productive"  # MEV 6 ≤ 6 < MAV 12
    assert len(volume.muscles) == 17
    assert [c.session_id for c in chest.contributors] == ["s1", "s2"]


def test_worked_example_cyclic_scales_to_seven_days():
    volume = volume_of(structure_type="CYCLIC", frequency=3)
    assert volume.muscle("CHEST").fractional_sets == 9.0
    assert volume.muscle("CHEST").frequency == 3
    assert volume.per_label == "per 7 days on average"


def test_weekly_ignores_sessions_without_a_weekday():
    rows = bench_rows(sessions=(("s1", "Monday", 0), ("s2", "Someday", None)))
    assert volume_of(rows=rows).muscle("CHEST").fractional_sets == 3.0
    assert volume_of(rows=rows, structure_type="CYCLIC", frequency=2).muscle("CHEST").fractional_sets == 6.0


def test_direct_counting_measures_status_on_direct_sets():
    volume = volume_of(counting=DIRECT)
    assert volume.muscle("TRICEPS").counted_sets == 0
    assert volume.muscle("TRICEPS").status == "below_mev"  # 3 fractional, but 0 direct < MEV 6
    assert volume_of().muscle("TRICEPS").status == "below_mev"  # 3 < 6 either way
    assert volume_of(counting=DIRECT).muscle("CHEST").status == "productive"


def test_landmark_overrides_change_status_and_json():
    overrides = {"CHEST": Landmarks(2, 3, 4, 5, 6)}
    volume = volume_of(landmarks=overrides)
    assert volume.muscle("CHEST").status == "high"  # 6 > MAV high 5, ≤ MRV 6
    document = program_volume_json(program_id="p1", volume=volume)
    chest = next(m for m in document["muscles"] if m["muscle"] == "CHEST")
    assert chest["landmarks"] == {"mv": 2, "mev": 3, "mav": [4, 5], "mrv": 6}
    assert volume.muscle("LATS").landmarks == DEFAULT_LANDMARKS["LATS"]


@pytest.mark.parametrize(
    ("sets", "status"),
    [
        (5.5, "below_mev"),
        (6, "productive"),
        (11.9, "productive"),
        (12, "optimal"),
        (20, "optimal"),
        (21, "high"),
        (22, "high"),
        (22.5, "above_mrv"),
    ],
)
def test_landmark_status_boundaries(sets, status):
    assert landmark_status(sets, DEFAULT_LANDMARKS["CHEST"]) == status


def test_warnings_for_big_sessions():
    session = SessionVolume(
        session_id="s1",
        name="Monster",
        order_index=0,
        day_of_week=0,
        total_sets=32,
        muscles={
            "CHEST": SessionMuscleSets(fractional=12.0, direct=12.0),
            "TRICEPS": SessionMuscleSets(fractional=10.0, direct=0),
        },
    )
    volume = program_volume(structure_type="WEEKLY", frequency=1, sessions=[session])
    codes = sorted((w.code, w.muscle) for w in volume.warnings)
    assert codes == [("session_muscle_over_10", "CHEST"), ("session_over_30_sets", None)]


def test_json_shape_matches_the_issue():
    document = program_volume_json(program_id="p1", volume=volume_of())
    assert set(document) >= {
        "program",
        "structure_type",
        "counting",
        "per",
        "muscles",
        "sessions",
        "warnings",
    }
    assert document["per"] == "week"
    chest = document["muscles"][0]
    assert chest == {
        "muscle": "CHEST",
        "fractional_sets": 6.0,
        "direct_sets": 6.0,
        "frequency": 2,
        "status": "productive",
        "landmarks": {"mv": 4, "mev": 6, "mav": [12, 20], "mrv": 22},
        "contributors": [
            {"session": "s1", "exercise": "Barbell Bench Press", "sets": 3, "contribution": 1.0},
            {"session": "s2", "exercise": "Barbell Bench Press", "sets": 3, "contribution": 1.0},
        ],
    }
    assert document["sessions"][0] == {
        "id": "s1",
        "name": "Monday",
        "day_of_week": 0,
        "total_sets": 3,
        "muscles": {"CHEST": 3.0, "FRONT_DELTS": 1.5, "TRICEPS": 1.5},
    }


def test_rows_give_session_items_once_each_in_order():
    grouped = rows_by_program(bench_rows())["p1"]
    assert [s.name for s in grouped.sessions] == ["Monday", "Thursday"]
    assert [(i.exercise, i.sets, i.reps) for i in grouped.items["s1"]] == [("Barbell Bench Press", 3, "8-12")]


def test_bar_marker_sits_at_the_weekly_sets_and_describes_itself():
    chest = volume_of().muscle("CHEST")
    bar = bar_geometry(chest)
    assert bar.scale_max == pytest.approx(22 * 1.2)
    assert bar.marker_x == pytest.approx(6 / (22 * 1.2) * 100, abs=0.01)
    assert [b.css for b in bar.bands][:2] == ["band-below-mv", "band-maintenance"]
    assert "Chest: 6 fractional sets per week, productive" in bar.description
    assert "MEV 6, MAV 12–20, MRV 22" in bar.description
