"""Reads of measurements, scoped to the requesting lifter (photos: ``body.photo_selectors``).

Tenant isolation lives here: every id from a URL or a form goes through a ``*_get_for_owner``
function, which raises ``Http404`` for anything that is not the lifter's own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from body.domain import PERCENT, from_canonical, length_unit_for
from body.models import KIND_DIMENSION, Dimension, Kind, Measurement, MeasurementCategory

# The data export reads both halves of the body here: photo_files_for_export(user) streams photos.
from body.photo_selectors import ExportPhoto, photo_files_for_export  # noqa: F401
from hypertroq.http import valid_uuid
from training.selectors import preferences_for


@dataclass(frozen=True)
class Units:
    mass: str  # kg or lb
    length: str  # cm or in

    def for_dimension(self, dimension: str, unit_label: str = "") -> str:
        units: dict[str, str] = {
            Dimension.MASS: self.mass,
            Dimension.LENGTH: self.length,
            Dimension.PERCENT: PERCENT,
        }
        return units.get(dimension, unit_label)


def units_for(*, user: Any) -> Units:
    """The lifter's units: their training preference's kg or lb, and cm or in alongside."""
    mass = str(preferences_for(user=user).unit)
    return Units(mass=mass, length=length_unit_for(mass))


@dataclass(frozen=True)
class Series:
    """One thing measured over time: a built-in kind, or one of the lifter's categories."""

    key: str  # the form field's name and the chart's address: "body-weight" or the category's id
    label: str
    kind: str
    dimension: str
    unit: str  # the unit shown (and entered by default)
    category: MeasurementCategory | None = None

    @property
    def slug(self) -> str:
        return self.key


def kind_slug(kind: str) -> str:
    return kind.lower().replace("_", "-")


BUILT_IN_KINDS = [k for k in Kind.values if k != Kind.CUSTOM]
KIND_BY_SLUG = {kind_slug(k): k for k in BUILT_IN_KINDS}


def series_for_kind(kind: str, units: Units) -> Series:
    dimension = KIND_DIMENSION[kind]
    return Series(
        key=kind_slug(kind),
        label=str(Kind(kind).label),
        kind=kind,
        dimension=dimension,
        unit=units.for_dimension(dimension),
    )


def series_for_category(category: MeasurementCategory, units: Units) -> Series:
    return Series(
        key=str(category.pk),
        label=category.name,
        kind=Kind.CUSTOM,
        dimension=category.dimension,
        unit=units.for_dimension(category.dimension, category.unit_label),
        category=category,
    )


def categories_for(*, user: Any) -> QuerySet[MeasurementCategory]:
    return MeasurementCategory.objects.filter(user=user).order_by("name")


def all_series(*, user: Any, units: Units) -> list[Series]:
    """Every built-in kind, then the lifter's categories by name (one query)."""
    built_in = [series_for_kind(k, units) for k in BUILT_IN_KINDS]
    return built_in + [series_for_category(c, units) for c in categories_for(user=user)]


def category_get_for_owner(*, user: Any, category_id: uuid.UUID | str) -> MeasurementCategory:
    if not valid_uuid(category_id):
        raise Http404("No such measurement.")
    category = categories_for(user=user).filter(pk=category_id).first()
    if category is None:
        raise Http404("No such measurement.")
    return category


def measurement_get_for_owner(
    *, user: Any, measurement_id: uuid.UUID | str, deleted: bool = False
) -> Measurement:
    """One of the lifter's measurements (``deleted=True``: one in the trash, for Undo), else 404."""
    if not valid_uuid(measurement_id):
        raise Http404("No such measurement.")
    found = (
        Measurement.all_objects.filter(user=user, pk=measurement_id, is_deleted=deleted)
        .select_related("category")
        .first()
    )
    if found is None or (found.category is not None and found.category.is_deleted):
        raise Http404("No such measurement.")
    return found


def measurements_on(*, user: Any, day: dt.date) -> dict[str, Measurement]:
    """The lifter's values of one day, by series key (the quick-entry form's initial values)."""
    rows = Measurement.objects.filter(user=user, measured_on=day).exclude(category__is_deleted=True)
    return {(str(m.category_id) if m.category_id else kind_slug(m.kind)): m for m in rows}


@dataclass(frozen=True)
class Latest:
    series: Series
    value: Decimal  # in the series' unit
    measured_on: dt.date


def latest_values(*, user: Any, series: list[Series]) -> list[Latest]:
    """The newest value of each series that has one, in ``series`` order (one query)."""
    rows = (
        Measurement.objects.filter(user=user)
        .exclude(category__is_deleted=True)
        .order_by("kind", "category_id", "-measured_on")
        .distinct("kind", "category_id")
    )
    newest = {(str(m.category_id) if m.category_id else kind_slug(m.kind)): m for m in rows}
    return [
        Latest(s, display_value(newest[s.key].value, s), newest[s.key].measured_on)
        for s in series
        if s.key in newest
    ]


def display_value(value: Decimal, series: Series) -> Decimal:
    return from_canonical(
        value, series.unit if series.dimension in (Dimension.MASS, Dimension.LENGTH) else ""
    )


def history(*, user: Any, series: Series, since: dt.date | None = None) -> list[Measurement]:
    """The series' values, oldest first (one query)."""
    rows = Measurement.objects.filter(user=user, kind=series.kind)
    rows = rows.filter(category=series.category) if series.category else rows.filter(category__isnull=True)
    if since is not None:
        rows = rows.filter(measured_on__gte=since)
    return list(rows.order_by("measured_on"))


def measurements_for_export(user: Any) -> list[dict[str, Any]]:
    """Every live measurement of ``user`` as plain rows, oldest first, in canonical units:
    ``{"date": "2026-12-07", "kind": "BODY_WEIGHT", "category": "", "dimension": "MASS",
    "value": "82.40", "unit": "kg"}`` (``category`` is the name of the lifter's own category for
    ``kind == "CUSTOM"``; its ``unit`` is its label). One query."""
    rows = (
        Measurement.objects.filter(user=user)
        .exclude(category__is_deleted=True)
        .select_related("category")
        .order_by("measured_on", "kind", "category__name")
    )
    canonical: dict[str, str] = {Dimension.MASS: "kg", Dimension.LENGTH: "cm", Dimension.PERCENT: "%"}
    out = []
    for m in rows:
        dimension = str(m.category.dimension if m.category else KIND_DIMENSION[m.kind])
        out.append(
            {
                "date": m.measured_on.isoformat(),
                "kind": m.kind,
                "category": m.category.name if m.category else "",
                "dimension": dimension,
                "value": f"{m.value:.2f}",
                "unit": canonical.get(dimension, m.category.unit_label if m.category else ""),
            }
        )
    return out
