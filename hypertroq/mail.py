"""Outgoing email: services store an outbox row and a job sends it (``hypertroq.tasks.send_email``).

``email_queue`` is the only way the project sends mail. It runs inside the caller's transaction:
the row is written with it, and the job is deferred when it commits, so a rolled-back change mails
no one and the request never waits on the mail server. One ``idempotency_key`` is one email: the
same event enqueued twice stores one row, and the job sends a row once however often it runs.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from hypertroq.jobs import defer_on_commit
from hypertroq.models import OutboundEmail
from hypertroq.tasks import email_lock, send_email


@transaction.atomic
def email_queue(
    *,
    to: str,
    subject: str,
    body: str,
    idempotency_key: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail:
    """Store the email and send it by a job after commit. Returns the (possibly existing) row."""
    key = idempotency_key or f"once:{uuid.uuid4()}"
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key[:200],
        defaults={
            "to_address": to,
            "subject": " ".join(subject.split())[:255],
            "body": body,
            "headers": headers or {},
        },
    )
    if created:
        defer_on_commit(send_email, queueing_lock=email_lock(email.pk), email_id=str(email.pk))
    return email
