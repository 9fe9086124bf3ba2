"""Measurements: units, the 7-day average, the one-screen entry, charts, and what bad input does."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory, UserPreferencesFactory
from body import selectors, services
from body.charts import rows_for
from body.domain import from_canonical, to_canonical, trailing_average
from body.models import Kind, Measurement
from body.selectors import Units, series_for_kind
from body.services import Entry
from body.tests.factories import MeasurementCategoryFactory, MeasurementFactory

D = dt.date
KG_CM = Units(mass="kg", length="cm")


# --- Pure maths ------------------------------------------------------------------------------------


def test_units_round_trip_exactly_defined_factors():
    assert to_canonical(Decimal("180"), "lb") == Decimal("81.65")  # 180 × 0.45359237
    assert to_canonical(Decimal("15"), "in") == Decimal("38.10")
    assert to_canonical(Decimal("82.4"), "kg") == Decimal("82.40")
    assert from_canonical(Decimal("81.65"), "lb") == Decimal("180.0")
    assert from_canonical(Decimal("38.10"), "in") == Decimal("15.0")
    with pytest.raises(ValueError):
        to_canonical(Decimal(1), "stone")


def test_seven_day_average_is_a_calendar_window():
    points = [
        (D(2026, 1, 1), Decimal(80)),
        (D(2026, 1, 2), Decimal(81)),
        (D(2026, 1, 4), Decimal(82)),
        (D(2026, 1, 7), Decimal(83)),  # window 1..7: 80, 81, 82, 83
        (D(2026, 1, 8), Decimal(84)),  # window 2..8: 81, 82, 83, 84 (the 1st drops out)
        (D(2026, 1, 20), Decimal(90)),  # after a gap: itself only
    ]
    averages = [avg for _, avg in trailing_average(points)]
    assert averages == [
        Decimal("80.00"),
        Decimal("80.50"),
        Decimal("81.00"),
        Decimal("81.50"),
        Decimal("82.50"),
        Decimal("90.00"),
    ]


def test_three_day_window_and_repeating_thirds():
    points = [(D(2026, 1, d), Decimal(v)) for d, v in ((1, 1), (2, 1), (3, 2))]
    assert [a for _, a in trailing_average(points, days=3)] == [
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("1.33"),
    ]


@pytest.mark.django_db
def test_chart_rows_average_uses_the_week_before_the_range():
    user = UserFactory()
    for day, value in ((1, "80"), (2, "82"), (8, "84")):
        MeasurementFactory(user=user, measured_on=D(2026, 3, day), value=Decimal(value))
    series = series_for_kind(Kind.BODY_WEIGHT, KG_CM)
    rows = rows_for(series, selectors.history(user=user, series=series), since=D(2026, 3, 8))
    assert [(r.day, r.value, r.average) for r in rows] == [(D(2026, 3, 8), Decimal("84.0"), Decimal("83.0"))]


# --- The service -----------------------------------------------------------------------------------


def _series(user, *kinds, units=KG_CM):
    return {s.key: s for s in selectors.all_series(user=user, units=units) if not kinds or s.kind in kinds}


@pytest.mark.django_db
def test_record_a_day_in_pounds_and_inches_stores_kg_and_cm(django_assert_num_queries):
    user = UserFactory()
    s = _series(user)
    entries = [
        Entry(s["body-weight"], Decimal("180"), "lb"),
        Entry(s["waist"], Decimal("32"), "in"),
        Entry(s["body-fat"], Decimal("15.5"), "%"),
    ]
    # savepoint, lock the day's rows, savepoint, one insert of three rows, release × 2
    with django_assert_num_queries(6):
        services.measurements_record(
            user=user, measured_on=D(2026, 5, 1), entries=entries, today=D(2026, 5, 1)
        )
    stored = {m.kind: m.value for m in Measurement.objects.filter(user=user)}
    assert stored == {
        "BODY_WEIGHT": Decimal("81.65"),
        "WAIST": Decimal("81.28"),
        "BODY_FAT": Decimal("15.50"),
    }


@pytest.mark.django_db
def test_saving_a_day_again_updates_it_in_the_same_number_of_queries(django_assert_num_queries):
    user = UserFactory()
    s = _series(user)
    day = D(2026, 5, 1)
    services.measurements_record(
        user=user, measured_on=day, entries=[Entry(s["body-weight"], Decimal("80"), "kg")], today=day
    )
    entries = [Entry(s["body-weight"], Decimal("79.5"), "kg"), Entry(s["neck"], Decimal("40"), "cm")]
    with django_assert_num_queries(7):  # the lock, one insert (neck), one update (weight), savepoints
        services.measurements_record(user=user, measured_on=day, entries=entries, today=day)
    assert Measurement.objects.get(user=user, kind=Kind.BODY_WEIGHT).value == Decimal("79.50")
    assert Measurement.objects.filter(user=user).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "value", "unit", "message"),
    [
        ("body-weight", "0", "kg", "Body weight must be more than 0."),
        ("body-weight", "-3", "kg", "Body weight must be more than 0."),
        ("body-weight", "1200", "lb", "Body weight: at most 1102.3 lb."),
        ("body-fat", "100", "%", "Body fat is a percentage below 100."),
        ("waist", "500", "cm", "Waist: at most 400 cm."),
    ],
)
def test_one_bad_value_saves_nothing(key, value, unit, message):
    user = UserFactory()
    s = _series(user)
    entries = [Entry(s["neck"], Decimal("40"), "cm"), Entry(s[key], Decimal(value), unit)]
    with pytest.raises(ValidationError) as caught:
        services.measurements_record(
            user=user, measured_on=D(2026, 5, 1), entries=entries, today=D(2026, 5, 1)
        )
    assert caught.value.message_dict[key] == [message]
    assert not Measurement.all_objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_day_in_the_future_is_refused():
    user = UserFactory()
    s = _series(user)
    with pytest.raises(ValidationError, match="in the future"):
        services.measurements_record(
            user=user,
            measured_on=D(2026, 5, 3),
            entries=[Entry(s["neck"], Decimal("40"), "cm")],
            today=D(2026, 5, 1),
        )


@pytest.mark.django_db
def test_database_refuses_what_the_service_refuses():
    user = UserFactory()
    category = MeasurementCategoryFactory(user=user)
    bad = [
        {"kind": Kind.BODY_WEIGHT, "value": Decimal("0")},
        {"kind": Kind.BODY_FAT, "value": Decimal("100")},
        {"kind": Kind.CUSTOM, "value": Decimal("1")},  # no category
        {"kind": Kind.NECK, "value": Decimal("1"), "category": category},
        {"kind": "BICEPS", "value": Decimal("1")},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Measurement.objects.create(user=user, measured_on=D(2026, 1, 1), **fields)
    MeasurementFactory(user=user, measured_on=D(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasurementFactory(user=user, measured_on=D(2026, 1, 1))


@pytest.mark.django_db
def test_delete_then_undo_and_a_deleted_day_can_be_entered_again():
    user = UserFactory()
    s = _series(user)
    day = D(2026, 5, 1)
    [row] = services.measurements_record(
        user=user, measured_on=day, entries=[Entry(s["neck"], Decimal("40"), "cm")], today=day
    )
    services.measurement_delete(user=user, measurement=row)
    assert not Measurement.objects.filter(user=user).exists()
    services.measurement_restore(user=user, measurement=row)
    assert Measurement.objects.get(user=user).value == Decimal("40.00")
    services.measurement_delete(user=user, measurement=row)
    services.measurements_record(
        user=user, measured_on=day, entries=[Entry(s["neck"], Decimal("41"), "cm")], today=day
    )
    with pytest.raises(ValidationError, match="newer value"):
        services.measurement_restore(user=user, measurement=row)


@pytest.mark.django_db
def test_own_category_names_are_unique_per_lifter_in_any_case():
    user = UserFactory()
    services.category_create(user=user, name="Resting pulse", dimension="PLAIN", unit_label="bpm")
    with pytest.raises(ValidationError, match="already have"):
        services.category_create(user=user, name="resting  PULSE", dimension="PLAIN")
    services.category_create(user=UserFactory(), name="Resting pulse", dimension="PLAIN")


@pytest.mark.django_db
def test_export_selector_rows():
    user = UserFactory()
    category = services.category_create(user=user, name="Resting pulse", dimension="PLAIN", unit_label="bpm")
    MeasurementFactory(user=user, measured_on=D(2026, 1, 2), value=Decimal("81.5"))
    Measurement.objects.create(
        user=user, kind=Kind.CUSTOM, category=category, measured_on=D(2026, 1, 1), value=52
    )
    gone = MeasurementFactory(user=user, measured_on=D(2026, 1, 3))
    services.measurement_delete(user=user, measurement=gone)
    MeasurementFactory(measured_on=D(2026, 1, 1))  # someone else's
    assert selectors.measurements_for_export(user) == [
        {
            "date": "2026-01-01",
            "kind": "CUSTOM",
            "category": "Resting pulse",
            "dimension": "PLAIN",
            "value": "52.00",
            "unit": "bpm",
        },
        {
            "date": "2026-01-02",
            "kind": "BODY_WEIGHT",
            "category": "",
            "dimension": "MASS",
            "value": "81.50",
            "unit": "kg",
        },
    ]


# --- Pages -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_quick_entry_page_defaults_to_today_in_the_lifters_units(client):
    user = UserFactory()
    UserPreferencesFactory(user=user, unit="lb")
    client.force_login(user)
    response = client.get(reverse("body:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'name="measured_on" value="\d{4}-\d\d-\d\d"', html)
    assert re.search(r'value="lb"[^>]*checked', html)
    assert re.search(r'value="in"[^>]*checked', html)
    assert 'inputmode="decimal"' in html
    assert 'href="/body/"' in html  # the main navigation links here


@pytest.mark.django_db
def test_posting_the_form_saves_and_a_bad_value_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("body:overview")
    today = timezone.localdate().isoformat()
    bad = client.post(
        url,
        {"measured_on": today, "mass_unit": "kg", "length_unit": "cm", "body-weight": "82,4", "waist": "abc"},
    )
    assert bad.status_code == 400
    assert "Waist: enter a number, like 82.4." in bad.content.decode()
    assert "Nothing was saved" in bad.content.decode()
    assert not Measurement.objects.filter(user=user).exists()
    ok = client.post(
        url, {"measured_on": today, "mass_unit": "kg", "length_unit": "cm", "body-weight": "82,4"}
    )
    assert ok.status_code == 302
    assert Measurement.objects.get(user=user).value == Decimal("82.40")


@pytest.mark.django_db
def test_body_weight_chart_has_the_average_line_and_a_table(client):
    user = UserFactory()
    today = timezone.localdate()
    for i, value in enumerate(("80", "81", "82")):
        MeasurementFactory(user=user, measured_on=today - dt.timedelta(days=2 - i), value=Decimal(value))
    client.force_login(user)
    html = client.get(reverse("body:series", kwargs={"kind": "body-weight"})).content.decode()
    assert html.count('<polyline class="chart-line') == 2
    assert "7-day average" in html
    assert 'aria-describedby="series-table"' in html and 'id="series-table"' in html
    assert '<td data-label="7-day average">81.0 kg</td>' in html  # (80 + 81 + 82) / 3 on the last day


@pytest.mark.django_db
def test_chart_page_query_count_does_not_grow_with_values(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    url = reverse("body:series", kwargs={"kind": "body-weight"})
    today = timezone.localdate()
    MeasurementFactory(user=user, measured_on=today)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(1, 60):
        MeasurementFactory(user=user, measured_on=today - dt.timedelta(days=i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_entry_page_queries_do_not_grow_with_categories_or_values(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    url = reverse("body:overview")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    today = timezone.localdate()
    for i in range(5):
        category = MeasurementCategoryFactory(user=user)
        Measurement.objects.create(
            user=user, kind=Kind.CUSTOM, category=category, measured_on=today, value=i + 1
        )
        MeasurementFactory(user=user, kind=Kind.WAIST, measured_on=today - dt.timedelta(days=i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('inputmode="decimal"') == 10 + 5


@pytest.mark.django_db
def test_own_category_write_queries(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(6):  # savepoint, name taken?, savepoint, insert, release × 2
        category = services.category_create(user=user, name="Wrist", dimension="LENGTH")
    with django_assert_num_queries(3):  # savepoint, update, release
        services.category_delete(user=user, category=category)


def test_chart_places_values_by_date():
    from body.charts import Row, chart_for

    series = series_for_kind(Kind.WAIST, KG_CM)
    days = [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 11)]  # a gap of nine days after two in a row
    rows = [Row(None, day, Decimal(v), None) for day, v in zip(days, ("90", "89", "88"), strict=True)]  # type: ignore[arg-type]
    chart = chart_for(series, rows)
    [line] = chart.lines
    xs = [p.x for p in line.points]
    assert xs[0] == chart.plot_left and xs[2] == chart.plot_right
    assert round((xs[1] - xs[0]) * 9) == round(xs[2] - xs[1])  # one day, then nine days
    ys = [p.y for p in line.points]
    assert ys[0] < ys[1] < ys[2]  # smaller is lower on the chart
    assert [t.label for t in chart.y_ticks] == ["88", "88.5", "89", "89.5", "90"]
    assert len(chart_for(series, rows[:1]).lines[0].points) == 1


@pytest.mark.django_db
def test_a_long_history_lists_the_newest_values_with_a_link_to_all(client):
    user = UserFactory()
    today = timezone.localdate()
    Measurement.objects.bulk_create(
        [
            Measurement(user=user, kind=Kind.BODY_WEIGHT, measured_on=today - dt.timedelta(days=i), value=80)
            for i in range(75)
        ]
    )
    client.force_login(user)
    url = reverse("body:series", kwargs={"kind": "body-weight"})
    html = client.get(url).content.decode()
    assert html.count('<th scope="row">') == 60
    assert "Show all 75 values" in html and "15 older not listed" in html
    assert client.get(url, {"rows": "all"}).content.decode().count('<th scope="row">') == 75
