"""Hard-delete accounts whose 30-day deletion grace period is over (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.services import account_purge_expired


class Command(BaseCommand):
    help = "Permanently delete accounts that were deleted more than 30 days ago, with their data."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = account_purge_expired()
        self.stdout.write(f"Purged {purged} account{'s' if purged != 1 else ''}.")
