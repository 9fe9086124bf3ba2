"""The AI-query quota: one atomic step that checks and counts the user's and organization's limits.

Every AI feature (natural-language exercise search, substitutes, program review, program generator)
calls :func:`ai_query_consume` before it does any work.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization, User
from accounts.tiers import has_pro_features
from hypertroq.metrics import observe_ai_query


class AIQuotaExceeded(ValidationError):
    """Raised when the user's or the organization's monthly AI queries are spent."""


# What a user reads when the month's AI queries are spent (the services raise it, pages show it).
QUOTA_RESET_NOTE = "They reset on the 1st (UTC); plain name search and everything else keep working."
USER_QUOTA_SPENT_MESSAGE = f"You have used all your AI queries for this month. {QUOTA_RESET_NOTE}"
ORGANIZATION_QUOTA_SPENT_MESSAGE = (
    f"Your organization has used all its AI queries for this month. {QUOTA_RESET_NOTE}"
)


def current_month(now: dt.datetime | None = None) -> dt.date:
    """First day of the current calendar month in UTC."""
    now = now or timezone.now()
    return now.astimezone(dt.UTC).date().replace(day=1)


# Two conditional UPDATEs in one transaction, user row first, then organization row (always that
# order, so no deadlocks). Each resets its counter lazily at a new month and counts the query only
# while under its limit. A concurrent request blocks on the row lock, then PostgreSQL re-evaluates
# the WHERE clause against the committed row, so the last query is never counted twice. When the
# organization refuses, the transaction rolls the user's increment back.
_CONSUME_USER_SQL = """
UPDATE users
   SET ai_queries_used = CASE WHEN ai_queries_month IS DISTINCT FROM %(month)s THEN 1
                              ELSE ai_queries_used + 1 END,
       ai_queries_month = %(month)s
 WHERE id = %(user_id)s
   AND (%(user_unlimited)s OR ai_queries_limit IS NULL
        OR (CASE WHEN ai_queries_month IS DISTINCT FROM %(month)s THEN 0
                 ELSE ai_queries_used END) < ai_queries_limit)
RETURNING organization_id, ai_queries_used
"""
_CONSUME_ORG_SQL = """
UPDATE organizations
   SET ai_queries_used = CASE WHEN ai_queries_month IS DISTINCT FROM %(month)s THEN 1
                              ELSE ai_queries_used + 1 END,
       ai_queries_month = %(month)s
 WHERE id = %(org_id)s
   AND subscription_status <> 'suspended'
   AND (ai_queries_limit IS NULL
        OR (CASE WHEN ai_queries_month IS DISTINCT FROM %(month)s THEN 0
                 ELSE ai_queries_used END) < ai_queries_limit)
RETURNING ai_queries_used
"""


@dataclass(frozen=True)
class QuotaStatus:
    used: int
    limit: int | None  # None = unlimited
    organization: bool = False  # the tighter limit is the organization's

    @property
    def spent_message(self) -> str:
        """Why no AI query is left (meaningful when ``remaining == 0``)."""
        return ORGANIZATION_QUOTA_SPENT_MESSAGE if self.organization else USER_QUOTA_SPENT_MESSAGE

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def unlimited(self) -> bool:
        return self.limit is None

    def __str__(self) -> str:
        if self.limit is None:
            return "Unlimited AI queries this month"
        return f"{self.remaining} of {self.limit} AI queries left this month"


def _used_this_month(used: int, month: dt.date | None, now_month: dt.date) -> int:
    return used if month == now_month else 0


def ai_quota_status(*, user: User) -> QuotaStatus:
    """What the user can still spend this month: the tighter of the user's and the org's limits."""
    month = current_month()
    org = user.organization
    user_used = _used_this_month(user.ai_queries_used, user.ai_queries_month, month)
    org_used = _used_this_month(org.ai_queries_used, org.ai_queries_month, month)
    candidates = []
    if user.ai_queries_limit is not None and not has_pro_features(user):
        candidates.append((user.ai_queries_limit - user_used, False, user_used, user.ai_queries_limit))
    if org.ai_queries_limit is not None:
        candidates.append((org.ai_queries_limit - org_used, True, org_used, org.ai_queries_limit))
    if not candidates:
        return QuotaStatus(used=user_used, limit=None)
    _, organization, used, limit = min(candidates)
    return QuotaStatus(used=used, limit=limit, organization=organization)


def organization_quota_status(*, organization: Organization) -> QuotaStatus:
    """The organization's own monthly counter and limit (None: the organization sets no limit of
    its own; its members' limits still apply, see :func:`ai_quota_status`)."""
    used = _used_this_month(organization.ai_queries_used, organization.ai_queries_month, current_month())
    return QuotaStatus(used=used, limit=organization.ai_queries_limit)


def _suspended(organization_id: uuid.UUID) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT subscription_status = 'suspended' FROM organizations WHERE id = %s", [organization_id]
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def ai_query_consume(*, user: User) -> None:
    """Count one AI query for ``user`` and their organization, or raise :class:`AIQuotaExceeded`.

    The user's own limit does not apply to users with pro features (DOMAIN.md: pro = unlimited);
    the organization's limit always does. A suspended organization's members spend nothing: the
    organization's UPDATE refuses, which rolls the user's count back.

    Atomic: a conditional UPDATE, no read-then-write; safe under concurrency.
    """
    month = current_month()
    exhausted = AIQuotaExceeded(USER_QUOTA_SPENT_MESSAGE, code="ai_quota_exceeded")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _CONSUME_USER_SQL,
            {"month": month, "user_id": user.pk, "user_unlimited": has_pro_features(user)},
        )
        row = cursor.fetchone()
        if row is None:
            observe_ai_query(consumed=False)
            raise exhausted
        org_id, user_used = row
        cursor.execute(_CONSUME_ORG_SQL, {"month": month, "org_id": org_id})
        if cursor.fetchone() is None:
            observe_ai_query(consumed=False)
            if _suspended(org_id):
                raise AIQuotaExceeded(
                    "Your organization is suspended, so AI features are paused; plain name search and "
                    "reading everything keep working.",
                    code="organization_suspended",
                )
            raise AIQuotaExceeded(ORGANIZATION_QUOTA_SPENT_MESSAGE, code="ai_quota_exceeded")
    observe_ai_query(consumed=True)  # /metrics: hypertroq_ai_queries_total
    # Keep the in-memory user in step for the rest of the request.
    user.ai_queries_used = user_used
    user.ai_queries_month = month
