"""Email backends that misbehave, for the job tests."""

from __future__ import annotations

import time
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """The mail server refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


class HangingBackend(BaseEmailBackend):
    """The mail server never answers (the worker is killed while it waits)."""

    def send_messages(self, email_messages: Any) -> int:
        time.sleep(300)
        return 0


class SlowBackend(BaseEmailBackend):
    """A mail server 200 ms away (TLS handshake and SMTP dialogue): for the sign-up bench."""

    delay = 0.2

    def send_messages(self, email_messages: Any) -> int:
        time.sleep(self.delay)
        return len(list(email_messages))
