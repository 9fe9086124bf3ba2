"""Structured logging: one JSON object per line, with a redaction filter as a safety net.

``JsonFormatter`` writes ``time``, ``level``, ``logger``, ``message`` and every ``extra=`` field.
``RedactFilter`` (on the handler, so it sees every record) masks email addresses, bearer tokens,
``password=...``/``token=...`` pairs and long token-like strings in the message and in extra
fields before anything is written. Code should not log such things in the first place; this
catches mistakes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
BEARER_RE = re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=\-]{8,}")
SECRET_PAIR_RE = re.compile(
    r"(?i)\b([\w\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|sessionid|csrftoken|signature)[\w\-]*)"
    r"(\s*[=:]\s*|\"\s*:\s*\"|'\s*:\s*')([^\s&,;\"']+)"
)
# Long opaque strings (signed tokens, password-reset links, API keys): 32+ characters of letters,
# digits and -_.: with both letters and digits. UUIDs and 32-hex request ids are kept (ids, not secrets).
LONG_TOKEN_RE = re.compile(r"[A-Za-z0-9_\-.:]{32,}")
UUID_RE = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{32})$"
)
SENSITIVE_KEYS = re.compile(r"(?i)password|passwd|secret|token|api[_\-]?key|authorization|cookie|email")


def redact(text: str) -> str:
    text = EMAIL_RE.sub("[email]", text)
    text = BEARER_RE.sub(lambda m: f"{m.group(1)} [redacted]", text)
    text = SECRET_PAIR_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    return LONG_TOKEN_RE.sub(_mask_token, text)


def _mask_token(match: re.Match[str]) -> str:
    value = match.group(0)
    if UUID_RE.match(value) or not re.search(r"\d", value) or not re.search(r"[A-Za-z]", value):
        return value
    return "[redacted]"


def _redact_value(key: str, value: Any) -> Any:
    if SENSITIVE_KEYS.search(key):
        return "[redacted]"
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "META") and hasattr(value, "path"):  # an HttpRequest: no query string
        return f"{getattr(value, 'method', '')} {value.path}"
    return redact(str(value))


class RedactFilter(logging.Filter):
    """Masks emails, tokens and passwords in the message, its arguments and extra fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS:
                setattr(record, key, _redact_value(key, value))
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = record.exc_text or self.formatException(record.exc_info)
        elif record.exc_text:
            payload["exception"] = record.exc_text
        return json.dumps(payload, default=str, ensure_ascii=False)
