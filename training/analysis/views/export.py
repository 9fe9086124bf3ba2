"""The lifter's own log, downloaded as CSV (streamed) or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from training.analysis.export import log_csv_rows, log_json_document


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@login_required
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The whole log, one row per set (streamed)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        for row in log_csv_rows(user=request.user):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hypertroq-training-log.csv"'
    return response


@require_GET
@login_required
def export_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The whole log as JSON: workouts, each with its sets (weights in kg)."""
    body = json.dumps(log_json_document(user=request.user), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hypertroq-training-log.json"'
    return response
