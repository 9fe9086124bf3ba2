"""Writes of measurements and categories (photos: ``body.photo_services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from body.domain import from_canonical, to_canonical
from body.models import MAX_VALUE, BodySharing, Dimension, Kind, Measurement, MeasurementCategory
from body.selectors import Series

EARLIEST_DAY = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Entry:
    """One value typed into the quick-entry form, in ``unit``."""

    series: Series
    value: Decimal
    unit: str


def _canonical(entry: Entry) -> Decimal:
    series = entry.series
    try:
        value = to_canonical(Decimal(entry.value), entry.unit)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({series.key: f"{series.label}: enter a number."}) from exc
    if value <= 0:
        raise ValidationError({series.key: f"{series.label} must be more than 0."})
    if series.kind == Kind.BODY_FAT and value >= 100:
        raise ValidationError({series.key: "Body fat is a percentage below 100."})
    top = MAX_VALUE[series.dimension]
    if value > top:
        shown = (
            from_canonical(top, entry.unit) if series.dimension in (Dimension.MASS, Dimension.LENGTH) else top
        )
        unit = f" {entry.unit}" if entry.unit and entry.unit != "%" else entry.unit
        raise ValidationError({series.key: f"{series.label}: at most {shown.normalize():f}{unit}."})
    return value


def check_day(measured_on: dt.date, today: dt.date) -> None:
    if measured_on > today + dt.timedelta(days=1):
        raise ValidationError({"measured_on": "That day is in the future."})
    if measured_on < EARLIEST_DAY:
        raise ValidationError({"measured_on": "Pick a day after 1900."})


@transaction.atomic
def measurements_record(
    *, user: Any, measured_on: dt.date, entries: Sequence[Entry], today: dt.date | None = None
) -> list[Measurement]:
    """Save the values of one day: a new row per series, or the day's row updated. All or nothing:
    one bad value and nothing is saved (the errors name each field). Four queries whatever the
    number of values: the day's rows locked, one insert, one update (the last two inside a
    savepoint, so a concurrent save of the same day becomes a clear error)."""
    check_day(measured_on, today or timezone.localdate())
    if not entries:
        raise ValidationError("Enter at least one value.")
    errors: dict[str, list[str]] = {}
    values: list[tuple[Entry, Decimal]] = []
    for entry in entries:
        try:
            values.append((entry, _canonical(entry)))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    existing = {
        (m.kind, m.category_id): m
        for m in Measurement.objects.select_for_update().filter(user=user, measured_on=measured_on)
    }
    new, changed = [], []
    for entry, value in values:
        category = entry.series.category
        row = existing.get((entry.series.kind, category.pk if category else None))
        if row is None:
            row = Measurement(
                user=user, kind=entry.series.kind, category=category, measured_on=measured_on, value=value
            )
            # user and category come from the caller's scoped reads: no query to re-check them.
            row.full_clean(exclude=["user", "category"], validate_unique=False, validate_constraints=False)
            new.append(row)
        elif row.value != value:
            row.value = value
            row.updated_at = timezone.now()
            changed.append(row)
    try:
        with transaction.atomic():
            if new:
                Measurement.objects.bulk_create(new)
            if changed:
                Measurement.objects.bulk_update(changed, ["value", "updated_at"])
    except IntegrityError as exc:  # another request saved the same day meanwhile
        raise ValidationError(
            "These values were saved from elsewhere at the same moment: try again."
        ) from exc
    return new + changed


@transaction.atomic
def measurement_delete(*, user: Any, measurement: Measurement) -> Measurement:
    """To the trash (Undo restores it)."""
    if measurement.user_id != user.pk:
        raise ValidationError("Not your measurement.")
    measurement.mark_deleted()
    measurement.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return measurement


@transaction.atomic
def measurement_restore(*, user: Any, measurement: Measurement) -> Measurement:
    """Back from the trash, unless the day got a new value meanwhile (that one stays)."""
    if measurement.user_id != user.pk:
        raise ValidationError("Not your measurement.")
    taken = Measurement.objects.filter(
        user=user, kind=measurement.kind, category=measurement.category, measured_on=measurement.measured_on
    ).exists()
    if taken:
        raise ValidationError("That day has a newer value now; the deleted one stays deleted.")
    measurement.mark_restored()
    measurement.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return measurement


@transaction.atomic
def category_create(*, user: Any, name: str, dimension: str, unit_label: str = "") -> MeasurementCategory:
    name = " ".join(name.split())
    if (
        MeasurementCategory.objects.filter(user=user)
        .annotate(lower=Lower("name"))
        .filter(lower=name.lower())
        .exists()
    ):
        raise ValidationError({"name": "You already have a measurement with this name."})
    category = MeasurementCategory(
        user=user,
        name=name,
        dimension=dimension,
        unit_label=unit_label.strip() if dimension == Dimension.PLAIN else "",
    )
    category.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            category.save(force_insert=True)
    except IntegrityError as exc:  # the same name created at the same moment elsewhere
        raise ValidationError({"name": "You already have a measurement with this name."}) from exc
    return category


@transaction.atomic
def category_delete(*, user: Any, category: MeasurementCategory) -> MeasurementCategory:
    """Soft-deletes the category; its values go out of sight with it."""
    if category.user_id != user.pk:
        raise ValidationError("Not your measurement.")
    category.mark_deleted()
    category.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return category


@transaction.atomic
def sharing_update(*, user: Any, photos_with_coach: bool) -> BodySharing:
    sharing, _ = BodySharing.objects.update_or_create(
        user=user, defaults={"photos_with_coach": photos_with_coach}
    )
    return sharing
