"""Audit receivers for what Django itself announces: sign-in, failed sign-in, sign-out, admin edits.

Everything else (password, email, role and tier changes, deletes, restores, imports) is recorded by
the services that make the change, in their own transaction (``hypertroq.audit.audit_log``).
"""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver

from hypertroq.audit import AuditAction, audit_log

logger = logging.getLogger(__name__)

_OPERATIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}
# Model fields whose change by staff gets its own entry besides the generic admin_change.
_WATCHED_FIELDS = {
    "subscription_tier": AuditAction.TIER_CHANGED,
    "role": AuditAction.ROLE_CHANGED,
    "subscription_status": AuditAction.STATUS_CHANGED,
    "ai_queries_limit": AuditAction.QUOTA_CHANGED,
    "email": AuditAction.EMAIL_CHANGED,
    "password": AuditAction.PASSWORD_CHANGED,
}


@receiver(user_logged_in, dispatch_uid="hypertroq_audit_sign_in")
def _on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(action=AuditAction.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="hypertroq_audit_sign_out")
def _on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        audit_log(action=AuditAction.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="hypertroq_audit_sign_in_failed")
def _on_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The attempted email is not stored; the account it names (if any) becomes the target.
    attempted = credentials.get("username") or credentials.get("email") or ""
    target = None
    if attempted:
        user_model = get_user_model()
        manager: Any = getattr(user_model, "all_objects", user_model._default_manager)
        target = manager.filter(email__iexact=str(attempted)).only("id", "organization_id").first()
    audit_log(
        action=AuditAction.SIGN_IN_FAILED,
        target=target,
        data={"known_account": target is not None},
        request=request,
    )


def _changed_fields(entry: LogEntry) -> tuple[list[str], list[dict[str, Any]]]:
    """Field labels changed on the object itself, and per-inline changes (no object labels)."""
    try:
        messages = json.loads(entry.change_message or "[]")
    except ValueError:
        return [], []
    fields: list[str] = []
    inlines: list[dict[str, Any]] = []
    for message in messages if isinstance(messages, list) else []:
        for operation, detail in message.items():
            if not isinstance(detail, dict):
                continue
            if "name" in detail:
                inlines.append(
                    {
                        "model": str(detail["name"]),
                        "operation": operation,
                        "fields": list(detail.get("fields", [])),
                    }
                )
            elif operation == "changed":
                fields.extend(str(label) for label in detail.get("fields", []))
    return fields, inlines


def _model_field_names(model: Any, labels: list[str]) -> list[str]:
    """Map admin form labels ("Subscription tier") back to model field names."""
    by_label: dict[str, str] = {}
    for field in model._meta.get_fields():
        name = getattr(field, "name", "")
        by_label[name.lower()] = name
        verbose = getattr(field, "verbose_name", None)
        if verbose:
            by_label[str(verbose).lower()] = name
    return [by_label.get(label.lower(), label) for label in labels]


@receiver(post_save, sender=LogEntry, dispatch_uid="hypertroq_audit_admin_change")
def _on_admin_log_entry(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = cast("ContentType | None", instance.content_type)
    model = content_type.model_class() if content_type else None
    labels, inlines = _changed_fields(instance)
    fields = _model_field_names(model, labels) if model is not None else labels
    operation = _OPERATIONS.get(instance.action_flag, str(instance.action_flag))
    target = None
    if model is not None and instance.action_flag != DELETION:
        manager: Any = getattr(model, "all_objects", model._default_manager)
        target = manager.filter(pk=instance.object_id).first()
    data = {
        "operation": operation,
        "model": content_type.natural_key()[0] + "." + content_type.model if content_type else "",
        "fields": fields,
        "inlines": inlines,
    }
    if target is not None:
        audit_log(action=AuditAction.ADMIN_CHANGE, actor=instance.user, target=target, data=data)
    else:
        audit_log(
            action=AuditAction.ADMIN_CHANGE,
            actor=instance.user,
            target_type=content_type,
            target_id=str(instance.object_id or ""),
            data=data,
        )
    if target is None or operation != "change":
        return
    for field in fields:
        action = _WATCHED_FIELDS.get(field)
        if action is None:
            continue
        new_value: Any = getattr(target, field, None)
        if field in ("email", "password"):
            new_value = None  # never stored
        audit_log(
            action=action,
            actor=instance.user,
            target=target,
            data={"via": "admin", "field": field, "to": new_value},
        )
