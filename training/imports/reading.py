"""Reading an uploaded history file: size limit, text decoding, CSV dialect, value parsing and the
problems a lifter can fix, each with its row and column.

Pure functions over bytes and strings; no database. ``formats`` turns the rows into workouts.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from training.domain.units import KG, LB, to_kg

# A 5-year Strong file is about 5 MB; anything past this is not a training log.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_REPORTED_PROBLEMS = 50
MAX_WEIGHT_KG = Decimal("1000")
MAX_REPS = 100
MAX_NAME = 255
MAX_NOTE = 500
MAX_WORKOUT_NOTES = 2000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (row = line in the file, 1 is the header) and what."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column “{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFileError(Exception):
    """The file cannot be imported; ``problems`` says what is wrong and where."""

    def __init__(self, problems: list[Problem], *, total: int | None = None) -> None:
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems
        self.total = total if total is not None else len(problems)


class CellError(ValueError):
    """A value that cannot be read; the caller adds the row and column."""


@dataclass
class Problems:
    """Collects problems (keeps the first :data:`MAX_REPORTED_PROBLEMS`, counts all)."""

    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, message: str, *, row: int | None = None, column: str = "") -> None:
        self.total += 1
        if len(self.items) < MAX_REPORTED_PROBLEMS:
            self.items.append(Problem(message, row, column))

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportFileError(self.items, total=self.total)


def check_size(size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            [
                Problem(
                    f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
                    f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Export a shorter period, or ask us to import it."
                )
            ]
        )
    if size == 0:
        raise ImportFileError([Problem("The file is empty.")])


# The training log inside a HypertroQ "Download my data" ZIP, best first.
ZIP_MEMBERS = ("training/log.json", "training/log.csv")


def unzip_training_log(data: bytes) -> bytes:
    """The training log out of a HypertroQ data download (a ZIP); the member's declared size is
    checked against the limit before it is read, and the read stops at the limit anyway."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            member = next((m for m in ZIP_MEMBERS if m in names), None)
            if member is None:
                raise ImportFileError(
                    [
                        Problem(
                            "This ZIP has no training/log.json: upload a HypertroQ data download, or the CSV itself."
                        )
                    ]
                )
            check_size(archive.getinfo(member).file_size)
            with archive.open(member) as handle:
                content = handle.read(MAX_IMPORT_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise ImportFileError([Problem(f"The ZIP file cannot be opened ({exc}).")]) from None
    check_size(len(content))
    return content


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252. A file with
    NUL bytes (a spreadsheet, a ZIP, an image) is refused."""
    check_size(len(data))
    if data[:4] == b"PK\x03\x04":
        data = unzip_training_log(data)
    if b"\x00" in data[:65536]:
        raise ImportFileError(
            [
                Problem(
                    "This is not a CSV or JSON file (it contains binary data). Export as CSV and upload that."
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFileError(
                [Problem("The file is not text in UTF-8: save or export it as UTF-8 CSV.", row=line)]
            ) from None


def sniff_delimiter(header_line: str) -> str:
    """``,`` (most apps), ``;`` (Strong on Android in some languages) or a tab."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_key(name: str) -> str:
    """A header cell compared without case, quotes or extra spaces."""
    return " ".join(name.strip().strip('"').lower().split())


# --- values -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_decimal(text: str) -> Decimal | None:
    """``82.5`` or ``82,5`` (decimal comma); empty gives None."""
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise CellError(f"“{text[:40]}” is not a number")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise CellError(f"“{text[:40]}” is not a number") from None


def parse_weight(text: str, unit: str) -> Decimal:
    """A load in ``unit`` as kg (empty = 0, a bodyweight exercise's added load)."""
    value = parse_decimal(text)
    if value is None:
        return Decimal("0.00")
    if value < 0:
        raise CellError(f"the weight {text.strip()} is negative")
    kg = to_kg(value, unit)
    if kg > MAX_WEIGHT_KG:
        raise CellError(f"the weight {text.strip()} {unit} is over 1000 kg")
    return kg


def parse_reps(text: str) -> int | None:
    """Whole reps 0-100; empty gives None (a timed or cardio row, not a set of reps)."""
    value = parse_decimal(text)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(f"reps must be a whole number, not {text.strip()}")
    if value < 0 or value > MAX_REPS:
        raise CellError(f"reps must be 0 to {MAX_REPS}, not {text.strip()}")
    return int(value)


def rir_from_rpe(rpe: Decimal) -> Decimal:
    """RIR = 10 − RPE (Zourdos 2016), kept to 0-5 in steps of 0.5 (RPE 5 or less reads as RIR 5)."""
    rir = Decimal(10) - rpe
    rir = (rir * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return min(max(rir, Decimal(0)), Decimal(5)).quantize(Decimal("0.1"))


def parse_rpe(text: str) -> Decimal | None:
    """An RPE (1-10) as RIR; empty or 0 (apps write 0 for "not given") gives None."""
    value = parse_decimal(text)
    if value is None or value == 0:
        return None
    if value < 1 or value > 10:
        raise CellError(f"RPE must be 1 to 10, not {text.strip()}")
    return rir_from_rpe(value)


def parse_rir(text: str) -> Decimal | None:
    value = parse_decimal(text)
    if value is None:
        return None
    if value < 0 or value > 5 or (value * 2) != (value * 2).to_integral_value():
        raise CellError(f"RIR must be 0 to 5 in steps of 0.5, not {text.strip()}")
    return value.quantize(Decimal("0.1"))


def parse_unit(text: str) -> str:
    key = text.strip().lower().rstrip(".")
    if key in ("kg", "kgs", "kilograms", "kilogram"):
        return KG
    if key in ("lb", "lbs", "pounds", "pound"):
        return LB
    raise CellError(f"“{text.strip()[:20]}” is not a weight unit (kg or lbs)")


def local_datetime(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return naive.replace(tzinfo=tz)


def parse_datetime(text: str, formats: tuple[str, ...], tz: dt.tzinfo) -> dt.datetime:
    """A date and time in one of ``formats`` (local time in ``tz``), or ISO 8601 with or without
    an offset."""
    text = text.strip()
    if not text:
        raise CellError("the date is empty")
    for fmt in formats:
        try:
            return local_datetime(dt.datetime.strptime(text, fmt), tz)  # noqa: DTZ007 (made aware just here)
        except ValueError:
            continue
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"“{text[:40]}” is not a date and time this file's app writes") from None
    return value if value.tzinfo else local_datetime(value, tz)


_DURATION_PART = re.compile(r"(\d+)\s*(h|m|s)", re.IGNORECASE)


def parse_duration(text: str) -> dt.timedelta | None:
    """Strong's ``2h 38m`` / ``45m`` / ``30s`` (or plain seconds); empty gives None."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return dt.timedelta(seconds=int(text))
    parts = _DURATION_PART.findall(text)
    if not parts or _DURATION_PART.sub("", text).strip():
        raise CellError(f"“{text[:40]}” is not a duration like 1h 20m")
    seconds = 0
    for amount, unit in parts:
        seconds += int(amount) * {"h": 3600, "m": 60, "s": 1}[unit.lower()]
    return dt.timedelta(seconds=seconds)


def clean_text(text: str, *, limit: int) -> str:
    """Free text from the file: trimmed, cut to ``limit``, the export's formula guard removed."""
    text = text.strip()
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text[:limit]
