"""The base cost of a signed-in page: what every page pays before its own work (issue 18).

Run: `.venv/bin/python bench/bench_base.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_base, created and dropped here), so the dev data is untouched.

A lifter signs in (the test client, in-process, through the whole middleware stack: session,
user + organization, CSP, OTP, axes, session lifetime, request log, compression...) and requests

- the notifications list (a trivial signed-in page: the base template, the bell, one small query),
- the programs list (a signed-in page with a little more of its own),
- the bell alone (htmx polls it every minute on every open page),
- the web app manifest (a bare view: no template, no user, the middleware alone),
- the templates list (issue 18's second page: the seeded templates, its cards cached).

For each: the median wall time, the fastest run, the median CPU time of this process (immune to
waiting for a CPU on a busy machine) and the number of SQL queries. The load average is printed.
`--profile PAGE` prints a cProfile of that page instead (notifications, programs, bell, manifest,
templates).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time

import _django

_django.production_cache("bench_base")  # Redis like production, when one is named

_django.setup("_bench_base")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

# Measure like production: no DEBUG, no template debug info, no test-runner instrumentation.
settings.DEBUG = False
settings.TEMPLATES[0].setdefault("OPTIONS", {})["debug"] = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

RUNS = 300
PAGES = {
    "notifications": "/notifications/",
    "programs": "/programs/",
    "bell": "/notifications/bell/",
    "manifest": "/manifest.webmanifest",
    "templates": "/programs/templates/",
}


def measure(fn, runs: int = RUNS) -> tuple[float, float, float]:
    """(median wall ms, fastest wall ms, median CPU ms)."""
    for _ in range(20):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def count_queries(fn) -> list[str]:
    queries: list[str] = []  # (the test client's request_started empties connection.queries)
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        fn()
    return queries


def main() -> None:
    profile_page = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else ""
    verbose = "-v" in sys.argv
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from django.core.management import call_command

        from accounts.tests.factories import UserFactory
        from notifications.services import notification_create

        call_command("seed", verbosity=0)  # the library and the published templates
        user = UserFactory()
        for i in range(5):
            notification_create(user=user, kind="plan_changed", title=f"Note {i}")
        client = Client(headers={"Accept-Encoding": "gzip"})
        client.force_login(user)
        for url in PAGES.values():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        if profile_page:
            url = PAGES[profile_page]
            for _ in range(20):
                client.get(url)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(200):
                client.get(url)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(150)
            stats.sort_stats("tottime").print_stats(30)
            return

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(
            f"Signed-in base cost ({RUNS} runs each; load average {load:.1f}, {os.cpu_count()} CPUs; "
            f"cache {cache}, sessions {settings.SESSION_ENGINE.rsplit('.', 1)[-1]})"
        )
        print(f"  {'':22}{'median':>9}{'fastest':>10}{'py CPU':>10}{'queries':>9}")
        for name, url in PAGES.items():
            queries = count_queries(lambda url=url: client.get(url))
            median, fastest, cpu = measure(lambda url=url: client.get(url))
            print(f"  {name + ' ' + url:22.22}{median:7.2f}ms{fastest:8.2f}ms{cpu:8.2f}ms{len(queries):>9}")
            if verbose:
                for sql in queries:
                    print(f"      {sql[:150]}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"  (load average at the end {load:.1f})")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
