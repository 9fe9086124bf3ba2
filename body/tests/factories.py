"""Factories for measurements and categories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from body.models import Dimension, Kind, Measurement, MeasurementCategory


class MeasurementCategoryFactory(factory.django.DjangoModelFactory[MeasurementCategory]):
    class Meta:
        model = MeasurementCategory

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Wrist {n}")
    dimension = Dimension.LENGTH


class MeasurementFactory(factory.django.DjangoModelFactory[Measurement]):
    class Meta:
        model = Measurement

    user = factory.SubFactory(UserFactory)
    kind = Kind.BODY_WEIGHT
    measured_on = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    value = Decimal("80.00")
