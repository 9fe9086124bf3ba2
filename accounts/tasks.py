"""Account jobs: the daily purge of accounts whose deletion grace period is over."""

from __future__ import annotations

from procrastinate.contrib.django import app

from accounts.services import account_purge_expired
from hypertroq.jobs import QUEUE_PERIODIC, backoff


@app.periodic(cron="5 3 * * *", periodic_id="purge-deleted-accounts")
@app.task(
    name="accounts.purge_deleted_accounts",
    queue=QUEUE_PERIODIC,
    queueing_lock="purge_deleted_accounts",
    retry=backoff(retries=3),
)
def purge_deleted_accounts(timestamp: int) -> int:
    """Hard-delete what is past grace (``manage.py purge_deleted_accounts`` does the same by hand).
    Idempotent: a second run finds nothing left to purge."""
    return account_purge_expired()
