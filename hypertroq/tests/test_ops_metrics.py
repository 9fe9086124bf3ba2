"""/metrics (Prometheus) exposed and protected, the staff metrics page, /readyz and request logs."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from hypertroq import metrics
from hypertroq.logging import JsonFormatter, RedactFilter, redact

pytestmark = pytest.mark.django_db


def test_metrics_served_to_loopback_in_prometheus_format(client):
    client.get(reverse("home"))
    client.get("/no-such-page/")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert 'hypertroq_http_request_duration_seconds_bucket{le="0.005",method="GET",view="home"}' in body
    assert 'hypertroq_http_responses_total{method="GET",status="200",view="home"}' in body
    assert 'hypertroq_http_responses_total{method="GET",status="404",view="<unresolved>"}' in body
    assert "hypertroq_db_queries_per_request_bucket" in body
    assert "hypertroq_db_query_time_per_request_seconds_sum" in body
    assert "hypertroq_cache_hit_ratio" in body
    assert "hypertroq_db_connections{state=" in body
    assert (
        "hypertroq_ai_queries_total" in body
        or "hypertroq_ai_queries_created" in body
        or "# HELP hypertroq_ai_queries" in body
    )
    assert "# HELP hypertroq_embedding_seconds" in body


@override_settings(METRICS_TOKEN="s3cret-scrape-token", METRICS_ALLOWED_IPS=["127.0.0.1", "10.0.0.0/8"])
def test_metrics_protected_by_address_or_token(client):
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", **outside).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token", **outside).status_code == 403
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **outside).status_code == 200
    )
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    # Through a reverse proxy (X-Forwarded-For) the loopback peer is the proxy, not a local caller.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403


@override_settings(METRICS_TOKEN="")
def test_empty_token_setting_never_matches(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_cache_hits_and_misses_are_counted():
    before_hits, before_misses, _ = metrics.cache_totals()
    cache.set("ops-test-key", 1)
    assert cache.get("ops-test-key") == 1
    assert cache.get("ops-test-missing") is None
    assert cache.get_many(["ops-test-key", "ops-test-missing"]) == {"ops-test-key": 1}
    hits, misses, _ = metrics.cache_totals()
    assert (hits - before_hits, misses - before_misses) == (2, 2)


def test_observe_embedding_and_ai_query_show_in_metrics(client):
    metrics.observe_embedding(0.2, 16)
    metrics.observe_ai_query(consumed=True)
    body = client.get("/metrics").content.decode()
    assert "hypertroq_embedding_seconds_count 1.0" in body or "hypertroq_embedding_seconds_count" in body
    assert 'hypertroq_ai_queries_total{outcome="consumed"}' in body
    assert "hypertroq_embedded_texts_total" in body


def test_staff_metrics_page_shows_percentiles_cache_and_connections(staff_client, client):
    for _ in range(5):
        staff_client.get(reverse("home"))
    response = staff_client.get(reverse("ops_admin_metrics"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<th scope="row">home</th>' in body
    assert "p95 (ms)" in body
    assert 'id="cache-ratio"' in body
    assert "connection" in body and 'id="db-connections"' in body
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert reverse("ops_admin_metrics") in index


def test_staff_metrics_page_is_staff_only(user_client):
    response = user_client.get(reverse("ops_admin_metrics"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_percentiles_from_the_window():
    minute_a = {
        "durations": {"v": [0.01 * i for i in range(1, 51)]},
        "seen": {"v": 50},
        "errors": {},
        "slow_queries": [],
    }
    minute_b = {
        "durations": {"v": [0.01 * i for i in range(51, 101)]},
        "seen": {"v": 50},
        "errors": {"v": 2},
        "slow_queries": [(0.3, "v", "SELECT 1"), (0.5, "v", "SELECT 2")],
    }
    summaries, slow = metrics.summarise([minute_a, minute_b])
    (summary,) = summaries
    assert summary.requests == 100
    assert summary.errors == 2
    assert round(summary.p50_ms) == 500
    assert round(summary.p95_ms) == 950
    assert round(summary.p99_ms) == 990
    assert slow[0][2] == "SELECT 2"


def test_readyz_ok_and_names_the_failed_check(client, monkeypatch):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok"}

    from hypertroq import ops_views

    monkeypatch.setattr(ops_views, "_check_cache", lambda: "error")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_readyz_reports_pending_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from hypertroq import ops_views

    monkeypatch.setattr(ops_views, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("fake", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


# --- logs ----------------------------------------------------------------------------------------------


def test_one_json_request_line_with_id_user_view_status_duration_and_queries(user_client, user, caplog):
    with caplog.at_level(logging.INFO, logger="hypertroq.request"):
        response = user_client.get(
            reverse("home") + "?token=abcdef123456&email=x@example.com", HTTP_X_REQUEST_ID="req-123"
        )
    assert response["X-Request-ID"] == "req-123"
    (record,) = [r for r in caplog.records if r.name == "hypertroq.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-123"
    assert line["user_id"] == str(user.pk)
    assert line["view"] == "home"
    assert line["method"] == "GET"
    assert line["path"] == "/"  # no query string
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert line["queries"] >= 1  # session + user
    assert "token" not in json.dumps(line)
    assert "example.com" not in json.dumps(line)


def test_request_id_is_generated_when_missing_or_malformed(client):
    generated = client.get(reverse("home"))["X-Request-ID"]
    assert len(generated) == 32
    assert (
        client.get(reverse("home"), HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
        != "bad id\nwith newline"
    )


def test_slow_queries_logged_with_sql_but_not_parameters(client, caplog, monkeypatch):
    from hypertroq import middleware

    monkeypatch.setattr(middleware, "SLOW_QUERY_MS", 0.0)  # every query counts as slow
    with caplog.at_level(logging.WARNING, logger="hypertroq.db.slow"):
        client.post(reverse("accounts:login"), {"username": "someone@example.com", "password": "pw-secret-1"})
    slow = [r for r in caplog.records if r.name == "hypertroq.db.slow"]
    assert slow, "expected the login's user lookup to be logged"
    text = " ".join(json.dumps(JsonFormatter().format(r)) for r in slow)
    assert "SELECT" in text
    assert "someone@example.com" not in text
    assert "pw-secret-1" not in text


def test_redaction_filter_masks_emails_tokens_and_passwords():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "login for %s with password=%s, header Bearer abcdefghijklmnop, link /reset/MQ/c4k2lp-3f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c/",
        ("lifter@example.com", "hunter2hunter2"),
        None,
    )
    record.email = "lifter@example.com"
    record.note = "contact admin@hypertroq.local"
    record.session_token = "zzz"
    assert RedactFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "lifter@example.com" not in line
    assert "hunter2hunter2" not in line
    assert "abcdefghijklmnop" not in line
    assert "admin@hypertroq.local" not in line
    assert "zzz" not in line
    assert "[email]" in line and "[redacted]" in line
    assert redact("key Rzq9Wc1k2Yy7Lh3nPq8xT5vR2sU6wN9mB4 end") == "key [redacted] end"
    user_id = "0b7d6c1e-4f3a-4c5e-9d2b-1a2b3c4d5e6f"
    assert redact(f"/programs/{user_id}/") == f"/programs/{user_id}/"
    assert redact("plain text about squats: 3x10 @ RPE 8") == "plain text about squats: 3x10 @ RPE 8"


def _ai_count(outcome: str) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value("hypertroq_ai_queries_total", {"outcome": outcome}) or 0.0


def test_ai_query_consume_is_counted_consumed_and_refused(user):
    from accounts.quota import AIQuotaExceeded, ai_query_consume

    user.ai_queries_limit = 1
    user.save(update_fields=["ai_queries_limit"])
    consumed, refused = _ai_count("consumed"), _ai_count("refused")
    ai_query_consume(user=user)
    with pytest.raises(AIQuotaExceeded):
        ai_query_consume(user=user)
    assert _ai_count("consumed") == consumed + 1
    assert _ai_count("refused") == refused + 1


def test_embedding_batches_are_timed(monkeypatch):
    import numpy as np
    from prometheus_client import REGISTRY

    from exercises import embeddings
    from exercises.integrations.embedding_runtime import DIMENSIONS
    from exercises.tests.fakes import install_runtime

    class FakeModel:
        def encode(self, texts, **kwargs):
            return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)

    install_runtime(monkeypatch, FakeModel)
    batches = REGISTRY.get_sample_value("hypertroq_embedding_seconds_count") or 0.0
    texts = REGISTRY.get_sample_value("hypertroq_embedded_texts_total") or 0.0
    embeddings.embed_texts(["barbell squat", "cable fly", "leg curl"])
    assert REGISTRY.get_sample_value("hypertroq_embedding_seconds_count") == batches + 1
    assert REGISTRY.get_sample_value("hypertroq_embedded_texts_total") == texts + 3


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_and_scrapes_are_not_redirected_to_https(client):
    assert client.get("/metrics").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("home")).status_code == 301  # everything else still is
