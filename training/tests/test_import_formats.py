"""Reading history files from Strong, Hevy, FitNotes and HypertroQ (no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest

from training.imports.formats import parse_file
from training.imports.reading import MAX_IMPORT_BYTES, ImportFileError, parse_duration, rir_from_rpe

FILES = Path(__file__).parent / "import_files"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def read(name: str, **kwargs):
    return parse_file((FILES / name).read_bytes(), **kwargs)


def problems(name: str, data: bytes | None = None) -> list[str]:
    with pytest.raises(ImportFileError) as caught:
        parse_file(data if data is not None else (FILES / name).read_bytes())
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("rpe", "rir"), [("10", "0.0"), ("9.5", "0.5"), ("8", "2.0"), ("7.5", "2.5"), ("6", "4.0"), ("3", "5.0")]
)
def test_rpe_converts_to_rir_ten_minus_rpe(rpe, rir):
    assert rir_from_rpe(Decimal(rpe)) == Decimal(rir)


def test_strong_durations():
    assert parse_duration("2h 38m") == dt.timedelta(hours=2, minutes=38)
    assert parse_duration("45m") == dt.timedelta(minutes=45)
    assert parse_duration("3600") == dt.timedelta(hours=1)


def test_strong_first_layout_in_the_lifters_unit_and_time_zone():
    parsed = read("strong.csv", unit="lb", tz=BERLIN)
    assert parsed.format == "strong" and not parsed.unit_in_file
    assert parsed.rows_read == 8 and parsed.rows_skipped == 1  # the run has no reps
    push, legs = parsed.workouts
    assert push.name == "Push Day" and push.notes == "Felt good"
    assert push.started_at == dt.datetime(2020, 12, 30, 18, 51, 52, tzinfo=BERLIN)
    assert push.finished_at == push.started_at + dt.timedelta(hours=1, minutes=5)
    assert legs.finished_at - legs.started_at == dt.timedelta(hours=2, minutes=38)
    types = [(s.exercise, s.set_type, s.weight_kg, s.reps, s.rir) for s in push.sets]
    assert types == [
        ("Bench Press (Barbell)", "WARMUP", Decimal("18.14"), 10, None),
        ("Bench Press (Barbell)", "WORKING", Decimal("36.29"), 8, Decimal("2.0")),
        ("Bench Press (Barbell)", "WORKING", Decimal("36.29"), 7, Decimal("0.5")),
        ("Lateral Raise (Dumbbell)", "WORKING", Decimal("4.54"), 15, None),
        ("Lateral Raise (Dumbbell)", "DROP", Decimal("2.72"), 12, None),
    ]
    assert push.sets[2].note == "Paused, 1 s"
    assert [s.set_type for s in legs.sets] == ["WORKING", "FAILURE"]
    assert parsed.names() == {"Bench Press (Barbell)": 3, "Lateral Raise (Dumbbell)": 2, "Squat (Barbell)": 2}


def test_strong_without_unit_defaults_to_kg():
    assert read("strong.csv").workouts[0].sets[1].weight_kg == Decimal("80.00")


def test_strong_second_layout_semicolons_units_and_decimal_commas():
    parsed = read("strong_units_semicolon.csv", unit="kg")
    assert parsed.format == "strong" and parsed.unit_in_file
    upper, lower = parsed.workouts
    assert [s.weight_kg for s in upper.sets] == [
        Decimal("43.09"),
        Decimal("83.91"),
        Decimal("0.00"),
        Decimal("12.50"),
    ]
    assert upper.sets[0].set_type == "WARMUP" and upper.sets[2].note == "Bodyweight"
    assert lower.sets[0].weight_kg == Decimal("82.50") and lower.sets[0].rir == Decimal("3.0")
    assert lower.notes == "Knee ok"


def test_hevy_kg_layout():
    parsed = read("hevy_kg.csv", tz=BERLIN)
    assert parsed.format == "hevy" and parsed.unit_in_file and parsed.rows_skipped == 1  # the plank
    push, pull = parsed.workouts
    assert push.started_at == dt.datetime(2026, 3, 13, 15, 22, tzinfo=BERLIN)
    assert push.finished_at == dt.datetime(2026, 3, 13, 16, 30, tzinfo=BERLIN)
    assert push.notes == "Good session"
    assert [(s.set_type, s.weight_kg, s.reps, s.rir) for s in push.sets] == [
        ("WARMUP", Decimal("40.00"), 10, None),
        ("WORKING", Decimal("82.50"), 8, Decimal("2.0")),
        ("FAILURE", Decimal("82.50"), 6, Decimal("0.0")),
        ("WORKING", Decimal("10.00"), 15, None),
        ("DROP", Decimal("6.00"), 12, None),
    ]
    assert pull.sets[0].rir == Decimal("2.5")


def test_hevy_lbs_layout_converts_to_kg_whatever_unit_was_chosen():
    parsed = read("hevy_lbs.csv", unit="kg")
    assert [s.weight_kg for s in parsed.workouts[0].sets] == [Decimal("102.06"), Decimal("102.06")]


def test_fitnotes_ios_layout():
    parsed = read("fitnotes_ios.csv")
    assert parsed.format == "fitnotes_ios" and parsed.rows_skipped == 1  # the treadmill
    monday, wednesday = parsed.workouts
    assert monday.started_at.time() == dt.time(12, 0)
    assert [(s.exercise, s.weight_kg, s.reps) for s in monday.sets] == [
        ("Flat Barbell Bench Press", Decimal("80.00"), 8),
        ("Flat Barbell Bench Press", Decimal("80.00"), 8),
        ("Dumbbell Lateral Raise", Decimal("11.34"), 12),
    ]
    assert monday.sets[1].note == "Last one slow"
    assert wednesday.sets[0].weight_kg == Decimal("100.00")


def test_fitnotes_android_layout_reads_the_unit_per_row():
    parsed = read("fitnotes_android.csv")
    assert parsed.format == "fitnotes_android"
    assert parsed.workouts[0].sets[1].note == "Last one slow"
    assert parsed.workouts[1].sets[0].weight_kg == Decimal("102.06")


def test_not_a_csv_file():
    assert problems("not_csv.png") == [
        "This is not a CSV or JSON file (it contains binary data). Export as CSV and upload that."
    ]


def test_wrong_columns_names_what_it_found():
    (message,) = problems("wrong_columns.csv")
    assert message.startswith("row 1: The first line does not name the columns")
    assert "Day, Lift, Kilos, Times" in message


def test_broken_dates_are_reported_with_row_and_column():
    assert problems("broken_dates.csv") == [
        "row 3, column “Date”: “yesterday evening” is not a date and time this file's app writes",
        "row 4, column “Date”: “2020-13-45 18:51:52” is not a date and time this file's app writes",
    ]


def test_negative_weights_and_text_reps_are_reported():
    assert problems("negative_weight.csv") == [
        "row 3, column “weight_kg”: the weight -20 is negative",
        "row 4, column “reps”: “eight” is not a number",
    ]


def test_a_file_over_the_limit_is_refused_before_decoding():
    message = problems("", b"x" * (MAX_IMPORT_BYTES + 1))[0]
    assert "the limit is 20 MB" in message


def test_json_that_is_not_an_export():
    assert problems("", b'{"workouts": []}') == [
        'This JSON file is not a HypertroQ training export (no "format": "hypertroq-training-log").'
    ]


def test_json_export_sets_are_checked():
    data = (
        b'{"format": "hypertroq-training-log", "version": 1, "workouts": [{"started_at": '
        b'"2026-03-01T10:00:00+00:00", "sets": [{"exercise": "Squat", "weight_kg": -1, "reps": 5}]}]}'
    )
    assert problems("", data) == ["column “workouts[0].sets[0]”: the weight -1 is negative"]


def test_hypertroq_csv_export_written_by_hand():
    parsed = read("hypertroq_export.csv")
    assert parsed.format == "hypertroq_csv" and parsed.unit_in_file
    push, legs = parsed.workouts
    assert push.started_at == dt.datetime(2026, 11, 30, 17, 2, 11, tzinfo=dt.UTC)
    assert (push.name, push.program_name, push.notes) == ("Push A", "PPL", "Felt strong")
    raise_ = push.sets[2]
    assert (raise_.side, raise_.rir, raise_.note) == (
        "LEFT",
        Decimal("1.5"),
        "=cheat reps",
    )  # formula guard removed
    assert legs.finished_at is None and legs.sets[0].set_type == "FAILURE"


def test_hypertroq_json_export_written_by_hand():
    parsed = read("hypertroq_export.json")
    assert parsed.format == "hypertroq_json"
    (push,) = parsed.workouts
    assert push.body_weight_kg == Decimal("81.4")
    assert [(s.set_type, s.weight_kg, s.rir, s.side) for s in push.sets] == [
        ("WARMUP", Decimal("40.00"), None, None),
        ("WORKING", Decimal("82.50"), Decimal("2.0"), None),
        ("DROP", Decimal("6.00"), Decimal("0.5"), "RIGHT"),
    ]
    assert push.sets[1].logged_at == dt.datetime(2026, 11, 30, 17, 9, 30, tzinfo=dt.UTC)


def test_strong_header_with_the_unit_in_the_weight_column_wins_over_the_lifters_unit():
    data = (
        b"Workout #,Date,Workout Name,Duration (sec),Exercise Name,Set Order,Weight (lbs),Reps,Distance (meters),Seconds,Notes,Workout Notes,RPE\n"
        b"1,2024-02-01 07:00:00,Morning,3900,Deadlift (Barbell),1,315,5,,,,,9\n"
    )
    parsed = parse_file(data, unit="kg")
    (workout,) = parsed.workouts
    assert parsed.unit_in_file and workout.sets[0].weight_kg == Decimal("142.88")
    assert workout.finished_at - workout.started_at == dt.timedelta(minutes=65)


def test_strong_translated_header_is_read_by_position():
    data = (
        "Datum;Trainingsname;Dauer;Übungsname;Satzreihenfolge;Gewicht;Wdh.;Distanz;Sekunden;Notizen;Trainingsnotizen;RPE\n"
        "2024-02-01 07:00:00;Beine;1h 5m;Kniebeuge (Langhantel);1;100;5;0;0;;;8\n"
    ).encode()
    parsed = parse_file(data, unit="kg")
    (workout,) = parsed.workouts
    assert parsed.format == "strong" and workout.name == "Beine"
    assert (workout.sets[0].exercise, workout.sets[0].weight_kg, workout.sets[0].rir) == (
        "Kniebeuge (Langhantel)",
        Decimal("100.00"),
        Decimal("2.0"),
    )


def test_a_hypertroq_data_download_zip_is_read_for_its_training_log():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", "{}")
        archive.writestr("training/log.json", (FILES / "hypertroq_export.json").read_bytes())
    parsed = parse_file(buffer.getvalue())
    assert parsed.format == "hypertroq_json" and parsed.set_count == 3
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    assert problems("", empty.getvalue()) == [
        "This ZIP has no training/log.json: upload a HypertroQ data download, or the CSV itself."
    ]


def test_a_zip_whose_log_is_too_large_is_refused_unread():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("training/log.csv", b"0" * (MAX_IMPORT_BYTES + 10))  # compresses to ~20 kB
    assert len(buffer.getvalue()) < 100_000
    assert "the limit is 20 MB" in problems("", buffer.getvalue())[0]
