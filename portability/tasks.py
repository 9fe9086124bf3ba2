"""Jobs of "Download my data": build an archive (deferred when a lifter asks), delete the expired
ones (hourly). See ``hypertroq/jobs.py`` for the rules every task follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from procrastinate.contrib.django import app

from hypertroq.jobs import QUEUE_DEFAULT, QUEUE_PERIODIC, backoff, payload_uuid
from portability.runner import data_export_build, data_exports_delete_expired


@app.task(name="portability.build_data_export", queue=QUEUE_DEFAULT, retry=backoff(retries=3))
def build_data_export(*, export_id: Any) -> str:
    return data_export_build(export_id=payload_uuid(export_id, name="export_id"))


@app.periodic(cron="17 * * * *", periodic_id="delete-expired-data-exports")
@app.task(
    name="portability.delete_expired_data_exports",
    queue=QUEUE_PERIODIC,
    queueing_lock="delete_expired_data_exports",
    retry=backoff(retries=2),
)
def delete_expired_data_exports(timestamp: int) -> int:
    return data_exports_delete_expired(now=dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))
