"""Measurement pages: quick entry of a day, a chart per measurement, the lifter's own categories.

Photos are in ``body.photo_views``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from body import selectors, services
from body.charts import DEFAULT_RANGE, RANGES, chart_for, rows_for, since_for
from body.domain import AVERAGE_DAYS
from body.forms import CategoryForm, QuickEntryForm, today_initial
from body.selectors import Series
from hypertroq.forms import add_service_errors, error_text
from hypertroq.ratelimit import ratelimit
from training.selectors import preferences_for, time_zone_for

TABLE_ROWS = 60  # the table under a chart shows the newest values; "Show all" for the rest


def lifter_today(user: Any) -> dt.date:
    return timezone.now().astimezone(time_zone_for(preferences_for(user=user))).date()


def _day_param(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today
    return day if dt.date(1900, 1, 1) <= day <= today + dt.timedelta(days=1) else today


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="body_write", key="user")
def overview(request: HttpRequest) -> HttpResponse:
    """One screen on a phone: the day (today unless picked), a big box per measurement, Save."""
    user: Any = request.user
    units = selectors.units_for(user=user)
    series = selectors.all_series(user=user, units=units)
    today = lifter_today(user)
    if request.method == "POST":
        form = QuickEntryForm(request.POST, series=series)
        if form.is_valid():
            try:
                saved = services.measurements_record(
                    user=user,
                    measured_on=form.cleaned_data["measured_on"],
                    entries=form.entries(),
                    today=today,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                day = form.cleaned_data["measured_on"]
                count = len(form.entries())
                changed = len(saved)
                messages.success(
                    request,
                    f"Saved {count} value{'s' if count != 1 else ''} for {day:%-d %b %Y}"
                    + ("." if changed == count else f" ({count - changed} unchanged)."),
                )
                return redirect(f"{reverse('body:overview')}?day={day.isoformat()}")
    else:
        day = _day_param(request, today)
        initial = today_initial(day, units)
        for key, m in selectors.measurements_on(user=user, day=day).items():
            match = next((s for s in series if s.key == key), None)
            if match is not None:
                initial[key] = selectors.display_value(m.value, match)
        form = QuickEntryForm(initial=initial, series=series)
    latest = selectors.latest_values(user=user, series=series)
    return render(
        request,
        "body/overview.html",
        {"form": form, "latest": latest, "units": units, "today": today},
        status=400 if form.errors else 200,
    )


def _series_page(request: HttpRequest, series: Series) -> HttpResponse:
    user: Any = request.user
    today = lifter_today(user)
    range_key = request.GET.get("range", DEFAULT_RANGE)
    if range_key not in RANGES:
        range_key = DEFAULT_RANGE
    since = since_for(range_key, today)
    fetch_since = since - dt.timedelta(days=AVERAGE_DAYS - 1) if since else None
    rows = rows_for(series, selectors.history(user=user, series=series, since=fetch_since), since)
    newest = list(reversed(rows))
    show_all = request.GET.get("rows") == "all"
    undo = None
    undo_id = request.GET.get("undo", "")
    if undo_id:
        try:
            undo = selectors.measurement_get_for_owner(user=user, measurement_id=undo_id, deleted=True)
        except Http404:
            undo = None
    return render(
        request,
        "body/series.html",
        {
            "series": series,
            "rows": newest[:TABLE_ROWS] if not show_all else newest,
            "hidden": 0 if show_all else max(len(newest) - TABLE_ROWS, 0),
            "total": len(newest),
            "chart": chart_for(series, rows),
            "range_key": range_key,
            "ranges": [("30", "30 days"), ("90", "90 days"), ("365", "A year"), ("all", "All")],
            "average_days": AVERAGE_DAYS,
            "undo": undo,
        },
    )


@login_required
@require_GET
def series_kind(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in selectors.KIND_BY_SLUG:
        raise Http404("No such measurement.")
    units = selectors.units_for(user=request.user)
    return _series_page(request, selectors.series_for_kind(selectors.KIND_BY_SLUG[kind], units))


@login_required
@require_GET
def series_category(request: HttpRequest, category_id: UUID) -> HttpResponse:
    category = selectors.category_get_for_owner(user=request.user, category_id=category_id)
    units = selectors.units_for(user=request.user)
    return _series_page(request, selectors.series_for_category(category, units))


def _series_url(measurement: Any) -> str:
    if measurement.category_id:
        return reverse("body:series_category", kwargs={"category_id": measurement.category_id})
    return reverse("body:series", kwargs={"kind": selectors.kind_slug(measurement.kind)})


@login_required
@require_POST
@ratelimit(group="body_write", key="user")
def measurement_delete(request: HttpRequest, measurement_id: UUID) -> HttpResponse:
    measurement = selectors.measurement_get_for_owner(user=request.user, measurement_id=measurement_id)
    services.measurement_delete(user=request.user, measurement=measurement)
    return redirect(f"{_series_url(measurement)}?undo={measurement.pk}")


@login_required
@require_POST
@ratelimit(group="body_write", key="user")
def measurement_restore(request: HttpRequest, measurement_id: UUID) -> HttpResponse:
    measurement = selectors.measurement_get_for_owner(
        user=request.user, measurement_id=measurement_id, deleted=True
    )
    try:
        services.measurement_restore(user=request.user, measurement=measurement)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Restored the value of {measurement.measured_on:%-d %b %Y}.")
    return redirect(_series_url(measurement))


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="body_write", key="user")
def categories(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added “{category.name}”: it is on the entry form now.")
            return redirect("body:categories")
    return render(
        request,
        "body/categories.html",
        {"form": form, "categories": list(selectors.categories_for(user=user))},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@ratelimit(group="body_write", key="user")
def category_delete(request: HttpRequest, category_id: UUID) -> HttpResponse:
    category = selectors.category_get_for_owner(user=request.user, category_id=category_id)
    services.category_delete(user=request.user, category=category)
    messages.success(request, f"Removed “{category.name}” and its values.")
    return redirect("body:categories")
