"""Prometheus metrics and the rolling one-hour window behind the admin's operations page.

Counters and histograms use prometheus-client's default registry. Under gunicorn with several
workers set ``PROMETHEUS_MULTIPROC_DIR`` (``hypertroq/gunicorn.conf.py`` does it): every worker then
writes its samples to files there and ``/metrics`` sums them across workers (prometheus-client's
multiprocess mode). Without it (runserver, tests) each process reports only itself.

The admin page's percentiles come from :class:`RecentWindow`: each process keeps per-minute raw
durations per view (at most ``SAMPLES_PER_MINUTE`` per view, reservoir-sampled past that) and the
slowest queries, and copies its current minute to the cache every ``FLUSH_SECONDS``. The page
reads every worker's minutes from the cache, so with Redis it covers all workers (up to
``FLUSH_SECONDS`` late); with the local-memory cache (development) it sees the serving process only.
"""

from __future__ import annotations

import logging
import math
import os
import random
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from hypertroq.jobs import queue_stats

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
QUERY_COUNT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144)

REQUEST_LATENCY = Histogram(
    "hypertroq_http_request_duration_seconds",
    "Time to answer a request, by view name (URL pattern name) and method.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "hypertroq_http_responses",
    "Responses by view, method and status code.",
    ["view", "method", "status"],
)
DB_QUERY_TIME = Histogram(
    "hypertroq_db_query_time_per_request_seconds",
    "Total database time spent answering one request, by view.",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
DB_QUERY_COUNT = Histogram(
    "hypertroq_db_queries_per_request",
    "Database queries made to answer one request, by view.",
    ["view"],
    buckets=QUERY_COUNT_BUCKETS,
)
DB_SLOW_QUERIES = Counter(
    "hypertroq_db_slow_queries", "Queries slower than the slow-query threshold (100 ms).", ["view"]
)
CACHE_REQUESTS = Counter("hypertroq_cache_requests", "Cache lookups by result (hit or miss).", ["result"])
CACHE_ERRORS = Counter("hypertroq_cache_errors", "Cache lookups that failed (cache unreachable).")
AI_QUERIES = Counter(
    "hypertroq_ai_queries", "AI queries by outcome: consumed, or refused by the monthly quota.", ["outcome"]
)
EMBEDDING_TIME = Histogram(
    "hypertroq_embedding_seconds",
    "Time to compute one batch of embeddings.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
EMBEDDED_TEXTS = Counter("hypertroq_embedded_texts", "Texts embedded (exercises, search queries).")
RATE_LIMITED = Counter("hypertroq_rate_limited", "Requests refused by a rate limit, by group.", ["group"])


# --- helpers other code calls -------------------------------------------------------------------------
def observe_cache(*, hits: int, misses: int, errors: int = 0) -> None:
    if hits:
        CACHE_REQUESTS.labels("hit").inc(hits)
    if misses:
        CACHE_REQUESTS.labels("miss").inc(misses)
    if errors:
        CACHE_ERRORS.inc(errors)


def observe_ai_query(*, consumed: bool) -> None:
    AI_QUERIES.labels("consumed" if consumed else "refused").inc()


def observe_embedding(seconds: float, count: int = 1) -> None:
    """Record one embedding batch: how long it took and how many texts it embedded."""
    EMBEDDING_TIME.observe(max(seconds, 0.0))
    if count:
        EMBEDDED_TEXTS.inc(count)


def observe_rate_limited(group: str) -> None:
    RATE_LIMITED.labels(group).inc()


# --- scrape-time gauges -----------------------------------------------------------------------------------
class CacheRatioCollector(Collector):
    """``hypertroq_cache_hit_ratio``: hits / (hits + misses) since start (across workers)."""

    def __init__(self, source: Any) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        hits = misses = 0.0
        for metric in self.source.collect():
            if metric.name != "hypertroq_cache_requests":
                continue
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    if sample.labels.get("result") == "hit":
                        hits += sample.value
                    elif sample.labels.get("result") == "miss":
                        misses += sample.value
        ratio = GaugeMetricFamily(
            "hypertroq_cache_hit_ratio", "Cache hits / (hits + misses) since the workers started."
        )
        ratio.add_metric([], hits / (hits + misses) if hits + misses else math.nan)
        yield ratio


def database_connections() -> dict[str, int]:
    """Connections to this database by state, from pg_stat_activity."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(state, 'unknown'), count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() GROUP BY 1 ORDER BY 1"
        )
        return {str(state): int(count) for state, count in cursor.fetchall()}


class DatabaseConnectionsCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "hypertroq_db_connections", "Connections to the application database, by state.", labels=["state"]
        )
        try:
            for state, count in database_connections().items():
                gauge.add_metric([state], count)
        except Exception as exc:
            logger.warning("metrics: pg_stat_activity unavailable (%s)", exc.__class__.__name__)
        yield gauge


class JobQueueCollector(Collector):
    """The job queue at scrape time (``hypertroq.jobs.queue_stats``): depth by queue, the oldest
    runnable job's wait, running, waiting-to-retry, failed jobs and failures in the last hour."""

    def collect(self) -> Iterator[Metric]:
        try:
            stats = queue_stats()
        except Exception as exc:
            logger.warning("metrics: job queue unavailable (%s)", exc.__class__.__name__)
            return
        depth = GaugeMetricFamily(
            "hypertroq_jobs_queued", "Jobs ready to run and waiting for a worker, by queue.", labels=["queue"]
        )
        for queue, count in sorted(stats.queued.items()):
            depth.add_metric([queue], count)
        yield depth
        oldest = GaugeMetricFamily(
            "hypertroq_jobs_oldest_queued_age_seconds",
            "How long the oldest job ready to run has waited for a worker (0 when none waits).",
        )
        oldest.add_metric([], stats.oldest_queued_seconds)
        yield oldest
        states = GaugeMetricFamily(
            "hypertroq_jobs",
            "Jobs by state: running, scheduled (retry backoff or later), failed.",
            labels=["state"],
        )
        states.add_metric(["running"], stats.running)
        states.add_metric(["scheduled"], stats.scheduled)
        states.add_metric(["failed"], stats.failed)
        yield states
        failures = GaugeMetricFamily(
            "hypertroq_job_failures_last_hour", "Job runs that failed in the last hour (retried or not)."
        )
        failures.add_metric([], stats.failures_last_hour)
        yield failures


def exposition() -> tuple[bytes, str]:
    """The text served at /metrics, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST

    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        source: Any = CollectorRegistry()
        multiprocess.MultiProcessCollector(source)
    else:
        source = REGISTRY
    registry.register(_Forward(source))
    registry.register(CacheRatioCollector(source))
    registry.register(DatabaseConnectionsCollector())
    registry.register(JobQueueCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Forward(Collector):
    def __init__(self, source: Any) -> None:
        self.source = source

    def collect(self) -> Iterable[Metric]:
        return self.source.collect()


# --- the rolling window for the admin page -----------------------------------------------------------
SAMPLES_PER_MINUTE = 1000
SLOW_QUERIES_KEPT = 10
FLUSH_SECONDS = 10.0
WINDOW_MINUTES = 60
_CACHE_PREFIX = "ops:window"


@dataclass
class MinuteData:
    durations: dict[str, list[float]] = field(default_factory=dict)  # view -> seconds
    seen: dict[str, int] = field(default_factory=dict)  # view -> requests (incl. unsampled)
    errors: dict[str, int] = field(default_factory=dict)  # view -> 5xx responses
    slow_queries: list[tuple[float, str, str]] = field(default_factory=list)  # (seconds, view, sql)

    def as_dict(self) -> dict[str, Any]:
        return {
            "durations": self.durations,
            "seen": self.seen,
            "errors": self.errors,
            "slow_queries": self.slow_queries,
        }


class RecentWindow:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.minutes: dict[int, MinuteData] = {}
        self.last_flush = 0.0
        self.rng = random.Random()  # noqa: S311  (sampling, not security)

    def record(
        self, *, view: str, seconds: float, status: int, slow_queries: list[tuple[float, str]]
    ) -> None:
        minute = int(time.time() // 60)
        with self.lock:
            data = self.minutes.get(minute)
            if data is None:
                data = self.minutes[minute] = MinuteData()
                for old in [m for m in self.minutes if m < minute - 2]:
                    del self.minutes[old]  # older minutes live in the cache
            seen = data.seen.get(view, 0) + 1
            data.seen[view] = seen
            samples = data.durations.setdefault(view, [])
            if len(samples) < SAMPLES_PER_MINUTE:
                samples.append(seconds)
            else:  # reservoir sampling keeps a uniform sample of the minute
                slot = self.rng.randrange(seen)
                if slot < SAMPLES_PER_MINUTE:
                    samples[slot] = seconds
            if status >= 500:
                data.errors[view] = data.errors.get(view, 0) + 1
            for query_seconds, sql in slow_queries:
                data.slow_queries.append((query_seconds, view, sql[:2000]))
            if len(data.slow_queries) > SLOW_QUERIES_KEPT:
                data.slow_queries.sort(reverse=True)
                del data.slow_queries[SLOW_QUERIES_KEPT:]
            due = time.monotonic() - self.last_flush >= FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self) -> None:
        """Copy this process's recent minutes to the cache (best effort; a cache outage is skipped)."""
        from django.core.cache import cache

        pid = os.getpid()
        with self.lock:
            self.last_flush = time.monotonic()
            payload = {
                f"{_CACHE_PREFIX}:{pid}:{minute}": data.as_dict() for minute, data in self.minutes.items()
            }
        try:
            cache.set_many(payload, timeout=(WINDOW_MINUTES + 5) * 60)
            workers = cache.get(f"{_CACHE_PREFIX}:workers") or {}
            now = time.time()
            workers = {p: seen for p, seen in workers.items() if now - seen < (WINDOW_MINUTES + 5) * 60}
            workers[pid] = now
            cache.set(f"{_CACHE_PREFIX}:workers", workers, timeout=(WINDOW_MINUTES + 5) * 60)
        except Exception as exc:
            logger.warning("metrics window: cache unavailable (%s)", exc.__class__.__name__)

    def collect(self, minutes: int = WINDOW_MINUTES) -> list[dict[str, Any]]:
        """Every worker's per-minute data for the last ``minutes``, from the cache, plus this
        process's own unflushed minutes."""
        from django.core.cache import cache

        self.flush()
        now_minute = int(time.time() // 60)
        wanted = range(now_minute - minutes + 1, now_minute + 1)
        try:
            workers = cache.get(f"{_CACHE_PREFIX}:workers") or {}
            keys = [f"{_CACHE_PREFIX}:{pid}:{minute}" for pid in workers for minute in wanted]
            found = cache.get_many(keys) if keys else {}
        except Exception:
            found = {}
        own_prefix = f"{_CACHE_PREFIX}:{os.getpid()}:"
        with self.lock:
            for minute, data in self.minutes.items():
                if minute in wanted:
                    found[f"{own_prefix}{minute}"] = data.as_dict()  # fresher than the cache copy
        return list(found.values())


WINDOW = RecentWindow()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass(frozen=True)
class ViewSummary:
    view: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def summarise(window_minutes: list[dict[str, Any]]) -> tuple[list[ViewSummary], list[tuple[float, str, str]]]:
    """Per-view p50/p95/p99 (ms), busiest first, and the slowest queries, slowest first."""
    durations: dict[str, list[float]] = {}
    seen: dict[str, int] = {}
    errors: dict[str, int] = {}
    slow: list[tuple[float, str, str]] = []
    for data in window_minutes:
        for view, values in data.get("durations", {}).items():
            durations.setdefault(view, []).extend(values)
        for view, count in data.get("seen", {}).items():
            seen[view] = seen.get(view, 0) + count
        for view, count in data.get("errors", {}).items():
            errors[view] = errors.get(view, 0) + count
        slow.extend(tuple(item) for item in data.get("slow_queries", []))  # type: ignore[misc]
    summaries = []
    for view, values in durations.items():
        values.sort()
        summaries.append(
            ViewSummary(
                view=view,
                requests=seen.get(view, len(values)),
                errors=errors.get(view, 0),
                p50_ms=percentile(values, 0.50) * 1000,
                p95_ms=percentile(values, 0.95) * 1000,
                p99_ms=percentile(values, 0.99) * 1000,
            )
        )
    summaries.sort(key=lambda s: (-s.requests, s.view))
    slow.sort(reverse=True)
    return summaries, slow[:SLOW_QUERIES_KEPT]


def cache_totals() -> tuple[float, float, float]:
    """(hits, misses, errors) since start, across workers in multiprocess mode."""
    hits = misses = errors = 0.0
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        source: Any = CollectorRegistry()
        multiprocess.MultiProcessCollector(source)
    else:
        source = REGISTRY
    for metric in source.collect():
        for sample in metric.samples:
            if sample.name == "hypertroq_cache_requests_total":
                if sample.labels.get("result") == "hit":
                    hits += sample.value
                else:
                    misses += sample.value
            elif sample.name == "hypertroq_cache_errors_total":
                errors += sample.value
    return hits, misses, errors
