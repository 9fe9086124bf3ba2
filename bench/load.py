"""Load test: gunicorn on loopback against a dedicated, seeded database; a realistic mix of requests.

    .venv/bin/python bench/load.py                      # stress: 8 then 32 users, 20 s each
    .venv/bin/python bench/load.py --users 8 --duration 10
    .venv/bin/python bench/load.py --mode think         # users who think: 25, 50, 100... users
    .venv/bin/python bench/load.py --mode think --users 50,100,200 --duration 60

Two modes:
- ``stress`` (closed loop, as before): every virtual user sends its next request as soon as the
  last one is answered, and logs out and in again now and then. It finds the throughput ceiling.
- ``think``: each virtual user logs in once (its session), then acts every 3-10 s (uniformly at
  random, ``--think``): library search 35 %, builder page 35 %, a volume update (the builder page,
  a tap on a row that fetches its form with htmx, the form saved with htmx) 20 %, templates list 10 %. Logins are spread over the first
  ``--ramp`` seconds and reported on their own (bcrypt's cost is by design); page figures count
  only requests sent once every user has logged in (the ramp's end at the earliest). For each level it prints p50/p95/p99 per page, and at the
  end the largest number of concurrent users served with p99 <= 150 ms and no errors, overall and
  per page. It stops after the first level that misses overall (``--keep-going`` runs them all).

What it does, all on this machine:
1. creates a fresh database ``hypertroq_bench`` on the embedded PostgreSQL (or on the server of
   ``BENCH_DATABASE_URL``), migrates and seeds it, and adds lifters who each start a program from a
   template;
2. starts its own redis-server on a free loopback port when one is installed (the production cache),
   runs collectstatic and starts gunicorn with ``hypertroq/gunicorn.conf.py`` on a free port
   (production settings: DEBUG off, manifest static files; HTTPS redirect off, it is plain HTTP);
3. drives virtual users (threads, one keep-alive ``http.client`` connection each) through a mix:
   library search (40 %), builder page (30 %), volume update: a row's form fetched (htmx, "row form") and saved with another
   number of sets (20 %),
   log out + log in (10 %); each user logs in first;
4. prints throughput, p50/p95/p99 per kind and overall, and errors; stops everything it started.

Requests ask for gzip (``Accept-Encoding``) as browsers do. The database is
``hypertroq_bench<HYPERTROQ_TEST_DB_SUFFIX>``, so helpers sharing one PostgreSQL do not collide.

Rate limits are switched off for the run (every virtual user shares one address; the limits are
there for people, not for a load test). Pages that are not there (404) are skipped and reported.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import html.parser
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypertroq.tests.local_redis import RedisProcess, free_port  # noqa: E402

PY = sys.executable
BENCH_DB = "hypertroq_bench" + os.environ.get("HYPERTROQ_TEST_DB_SUFFIX", "")
PASSWORD = "bench-password-2024"  # noqa: S105  (throw-away bench accounts)
SEARCH_TERMS = [
    "bench",
    "squat",
    "row",
    "curl",
    "press",
    "raise",
    "deadlift",
    "fly",
    "pulldown",
    "lunge",
    "calf",
    "",
]


# --- setup ---------------------------------------------------------------------------------------------
def embedded_database_url(name: str = "") -> str:
    """A DATABASE_URL for a fresh bench database (``BENCH_DB``, or ``name``) on the embedded server
    (started if needed)."""
    name = name or BENCH_DB
    sys.path.insert(0, str(ROOT))
    import psycopg

    from hypertroq.embedded_db import embedded_database_settings

    db = embedded_database_settings(ROOT)  # starts or joins the server
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    # django-environ reads a unix-socket directory from the path: postgres://user@:port//dir/name
    return f"postgres://{db['USER']}@:{db['PORT']}/{db['HOST']}/{name}"


SEED_SNIPPET = r"""
import json
from django.urls import NoReverseMatch, reverse
from accounts.models import User
from programs.models import TrainingProgram

templates = list(TrainingProgram.objects.filter(is_template=True).order_by("name"))
users = []
for i in range(int(N_USERS)):
    email = f"bench-lifter-{i}@example.com"
    user = User.objects.by_email(email).first()
    if user is None:
        user = User.objects.create_user(email, PASSWORD, full_name=f"Bench Lifter {i}")
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    program = TrainingProgram.objects.filter(user=user, is_template=False).first()
    if program is None and templates:
        try:
            from programs.services import template_use
            program = template_use(user=user, template=templates[i % len(templates)])
        except Exception as exc:
            print("template_use unavailable:", exc.__class__.__name__)
    users.append({"email": email, "program_id": str(program.pk) if program else None})

def first_url(names, **kwargs):
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None

for entry in users:
    pid = entry["program_id"]
    entry["builder"] = first_url(
        ["programs:builder", "programs:program_builder", "programs:detail", "programs:program_detail", "programs:edit"],
        program_id=pid) if pid else None
print("BENCH-JSON " + json.dumps({
    "users": users,
    "login": reverse("accounts:login"),
    "logout": reverse("accounts:logout"),
    "search": reverse("exercises:list"),
    "templates": reverse("programs:template_list"),
}))
"""


def run_manage(
    env: dict[str, str], *args: str, check: bool = True, code: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """``manage.py`` of this checkout, or of ``code`` (an older checkout measured beside it)."""
    return subprocess.run(  # noqa: S603  (fixed argument lists)
        [PY, "manage.py", *args], cwd=code, env=env, capture_output=True, text=True, check=check
    )


def seed(env: dict[str, str], users: int) -> dict[str, Any]:
    print("== migrate + seed the bench database", flush=True)
    run_manage(env, "migrate", "--noinput")
    run_manage(env, "seed")
    code = f"N_USERS = {users}\nPASSWORD = {PASSWORD!r}\n" + SEED_SNIPPET
    result = run_manage(env, "shell", "-c", code)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
        print("  ", line)
    raise SystemExit("seeding printed no result:\n" + result.stdout + result.stderr)


@contextlib.contextmanager
def redis_server():
    binary = shutil.which("redis-server")
    if not binary:
        print("== no redis-server: local-memory cache per worker")
        yield ""
        return
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"hypertroq-bench-redis-{os.getpid()}"  # noqa: S108
    workdir.mkdir(parents=True, exist_ok=True)
    server = RedisProcess(free_port(), workdir)
    try:
        print(f"== redis-server on 127.0.0.1:{server.port}")
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.1)
    raise SystemExit(f"nothing listening on 127.0.0.1:{port} after {seconds} s")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int):
    log = open(ROOT / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603  (fixed argument lists)
        [
            str(Path(PY).parent / "gunicorn"),
            "hypertroq.wsgi",
            "-c",
            "hypertroq/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, 60)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# --- the virtual user ---------------------------------------------------------------------------------
# A builder row: a link to the row's form (issue 18), which a tap fetches with htmx.
ROW_LINK = re.compile(r'<a class="se-open" href="([^"]+)"')
HTMX = {"HX-Request": "true"}


class FormFinder(html.parser.HTMLParser):
    """Forms on a page: action, method, fields (inputs/selects/textareas with their values)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"][a["name"]] = a.get("value", "")
        elif self._form is not None and tag in ("select", "textarea") and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
        elif self._form is not None and tag == "option" and self._select and "selected" in a:
            self._form["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag in ("select", "textarea"):
            self._select = None


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Think mode: page requests sent before ``since`` are not counted; it moves to the moment the
    # last virtual user has logged in (bcrypt's CPU would otherwise colour the page figures).
    since: float = 0.0
    expected_logins: int = 0
    logins_done: int = 0

    duration: float = 0.0  # think mode: seconds of measurement once everyone has logged in
    cap: float = math.inf  # think mode: the latest end, whatever happens

    def end(self) -> float:
        """Think mode: when the users stop (``duration`` after the last log-in, at most ``cap``)."""
        if self.logins_done < self.expected_logins:
            return self.cap
        return min(self.since + self.duration, self.cap)

    def logged_in(self) -> None:
        with self.lock:
            self.logins_done += 1
            if self.expected_logins and self.logins_done >= self.expected_logins:
                self.since = max(self.since, time.monotonic())

    def counts(self, kind: str) -> bool:
        return kind == "log-in" or time.monotonic() >= self.since

    def ok(self, kind: str, seconds: float, started: float | None = None) -> None:
        if not (kind == "log-in" or (started if started is not None else time.monotonic()) >= self.since):
            return
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, kind: str, detail: str) -> None:
        if not self.counts(kind):
            return
        with self.lock:
            self.errors[kind] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{kind}: {detail}")


class VirtualUser:
    def __init__(
        self, port: int, account: dict[str, Any], urls: dict[str, Any], stats: Stats, seed: int
    ) -> None:
        self.port = port
        self.account = account
        self.urls = urls
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(seed)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, str] | None = None,
        referer: str = "",
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, str, dict[str, str]]:
        headers = {
            "Host": "127.0.0.1",
            "User-Agent": "hypertroq-bench",
            "Accept-Encoding": "gzip",
            **(extra_headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}{referer or path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                if (response.getheader("Content-Encoding") or "").lower() == "gzip":
                    raw = gzip.decompress(raw)
                text = raw.decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "max-age=0" not in value.lower():
                    self.cookies[name.strip()] = cookie_value
                else:
                    self.cookies.pop(name.strip(), None)
        return response.status, text, {k.lower(): v for k, v in response.getheaders()}

    def timed(
        self,
        kind: str,
        method: str,
        path: str,
        body: dict[str, str] | None = None,
        ok=(200, 302),
        referer: str = "",
        extra_headers: dict[str, str] | None = None,
    ) -> str | None:
        sent_at = time.monotonic()
        started = time.perf_counter()
        try:
            status, text, _ = self.request(method, path, body, referer, extra_headers)
        except Exception as exc:
            self.stats.error(kind, f"{exc.__class__.__name__} on {method} {path}")
            return None
        elapsed = time.perf_counter() - started
        if status == 404:
            self.stats.skipped.add(f"{kind} ({path}: 404)")
            return None
        if status not in ok:
            self.stats.error(kind, f"{status} on {method} {path}")
            return None
        self.stats.ok(kind, elapsed, sent_at)
        return text

    def login(self) -> bool:
        login = self.urls["login"]
        self.request("GET", login)  # csrftoken cookie
        text = self.timed(
            "log-in",
            "POST",
            login,
            {
                "username": self.account["email"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
            ok=(302,),
        )
        return text is not None

    def logout(self) -> None:
        self.request("POST", self.urls["logout"], {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})

    def search(self) -> None:
        term = self.rng.choice(SEARCH_TERMS)
        self.timed("library search", "GET", f"{self.urls['search']}?{urllib.parse.urlencode({'q': term})}")

    def builder(self) -> str | None:
        path = self.account.get("builder")
        if not path:
            self.stats.skipped.add("builder page (no builder URL yet)")
            return None
        return self.timed("builder page", "GET", path)

    def templates(self) -> None:
        self.timed("templates list", "GET", self.urls["templates"])

    def volume_update(self, *, view_first: bool = False) -> None:
        """Save one row of the builder with another number of sets. ``view_first``: the builder
        page it is read from counts as a "builder page" request (think mode: a person opens the
        page, then edits); otherwise that read is not timed (stress mode, as before)."""
        path = self.account.get("builder")
        if not path:
            self.stats.skipped.add("volume update (no builder URL yet)")
            return
        if view_first:
            page = self.builder()
            if page is None:
                return
            text = page
        else:
            status, text, _ = self.request("GET", path)
            if status != 200:
                self.stats.skipped.add(f"volume update (builder {status})")
                return
        # As a browser with JavaScript does it: a tap on a row fetches its form (htmx), Save posts
        # it (htmx: the row, the volume panel and a toast come back).
        rows = ROW_LINK.findall(text)
        if not rows:
            self.stats.skipped.add("volume update (no exercise row on the builder page)")
            return
        row = html.unescape(self.rng.choice(rows))
        form_html = self.timed("row form", "GET", row, referer=path, extra_headers=HTMX)
        if form_html is None:
            return
        finder = FormFinder()
        finder.feed(form_html)
        forms = [f for f in finder.forms if f["method"] == "post" and "sets" in f["fields"]]
        if not forms:
            self.stats.skipped.add("volume update (no form with a 'sets' field in the row)")
            return
        form = forms[0]
        fields = dict(form["fields"])
        fields["sets"] = str(self.rng.randint(2, 5))
        fields.setdefault("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))
        self.timed(
            "volume update",
            "POST",
            html.unescape(form["action"]) or path,
            fields,
            ok=(200, 302, 303),
            referer=path,
            extra_headers=HTMX,
        )

    def run(self, deadline: float) -> None:
        if not self.login():
            return
        while time.monotonic() < deadline:
            roll = self.rng.random()
            if roll < 0.4:
                self.search()
            elif roll < 0.7:
                self.builder()
            elif roll < 0.9:
                self.volume_update()
            else:
                self.logout()
                if not self.login():
                    return
        self.conn.close()

    def think_run(self, deadline: float, start_at: float, think: tuple[float, float]) -> None:
        """Think mode: log in once at ``start_at``, then one action every 3-10 s until the end."""
        time.sleep(max(0.0, start_at - time.monotonic()))
        logged_in = self.login()
        self.stats.logged_in()  # (a failed log-in is an error of its own; it must not hold the rest)
        if not logged_in:
            return
        while True:
            pause = self.rng.uniform(*think)
            if time.monotonic() + pause >= min(deadline, self.stats.end()):
                break
            time.sleep(pause)
            # A person who waited minutes comes back on a new connection (gunicorn's keep-alive
            # is 5 s), as a browser would.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            roll = self.rng.random()
            if roll < 0.35:
                self.search()
            elif roll < 0.7:
                self.builder()
            elif roll < 0.9:
                self.volume_update(view_first=True)
            else:
                self.templates()
        self.conn.close()


# --- reporting ----------------------------------------------------------------------------------------
def pct(values: list[float], fraction: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(fraction * len(ordered)))) - 1] * 1000


def report(users: int, elapsed: float, stats: Stats, *, login_apart: bool = False) -> dict[str, Any]:
    """Print and return the level's figures. ``login_apart``: "all" leaves log-ins out (think
    mode reports them on their own line; bcrypt is slow on purpose)."""
    pages = {k: v for k, v in stats.latencies.items() if not (login_apart and k == "log-in")}
    everything = [v for values in pages.values() for v in values]
    errors = sum(n for k, n in stats.errors.items() if not (login_apart and k == "log-in"))
    total = len(everything) + errors
    print(
        f"\n== {users} concurrent users, {elapsed:.1f} s: {len(everything)} ok, {errors} errors "
        f"({errors / max(total, 1):.1%} of {total}), {len(everything) / elapsed:.1f} req/s"
        + (" (pages, after the ramp)" if login_apart else "")
    )
    print(f"   {'kind':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    kinds = {}
    for kind in sorted(set(stats.latencies) | set(stats.errors)):
        values = stats.latencies.get(kind, [])
        print(
            f"   {kind:<16}{len(values):>7}{pct(values, 0.5):>9.1f}{pct(values, 0.95):>9.1f}{pct(values, 0.99):>9.1f}{stats.errors.get(kind, 0):>8}"
        )
        kinds[kind] = {
            "count": len(values),
            "p50_ms": round(pct(values, 0.5), 1),
            "p99_ms": round(pct(values, 0.99), 1),
            "errors": stats.errors.get(kind, 0),
        }
    label = "all pages" if login_apart else "all"
    print(
        f"   {label:<16}{len(everything):>7}{pct(everything, 0.5):>9.1f}{pct(everything, 0.95):>9.1f}{pct(everything, 0.99):>9.1f}{errors:>8}"
    )
    for skipped in sorted(stats.skipped):
        print(f"   skipped: {skipped}")
    for sample in stats.error_samples:
        print(f"   error: {sample}")
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests_ok": len(everything),
        "errors": errors,
        "throughput_rps": round(len(everything) / elapsed, 1),
        "p50_ms": round(pct(everything, 0.5), 1),
        "p95_ms": round(pct(everything, 0.95), 1),
        "p99_ms": round(pct(everything, 0.99), 1),
        "kinds": kinds,
    }


def run_phase(port: int, users: int, seconds: float, data: dict[str, Any]) -> dict[str, Any]:
    stats = Stats()
    accounts = data["users"]
    deadline = time.monotonic() + seconds
    vus = [VirtualUser(port, accounts[i % len(accounts)], data, stats, seed=i) for i in range(users)]
    threads = [threading.Thread(target=vu.run, args=(deadline,), daemon=True) for vu in vus]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return report(users, time.monotonic() - started, stats)


P99_LIMIT_MS = 150.0


def run_think_phase(
    port: int, users: int, seconds: float, ramp: float, think: tuple[float, float], data: dict[str, Any]
) -> dict[str, Any]:
    """``users`` people who each log in once (spread over ``ramp`` s), then act every 3-10 s."""
    stats = Stats()
    accounts = data["users"]
    begin = time.monotonic()
    stats.since = begin + ramp
    stats.expected_logins = users
    stats.duration = seconds
    stats.cap = deadline = begin + ramp + seconds + 120
    vus = [VirtualUser(port, accounts[i % len(accounts)], data, stats, seed=i) for i in range(users)]
    threads = [
        threading.Thread(target=vu.think_run, args=(deadline, begin + ramp * i / users, think), daemon=True)
        for i, vu in enumerate(vus)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=ramp + seconds + 180)
    measured = max(1.0, stats.end() - stats.since)
    if stats.since > begin + ramp + 1:
        print(f"   (log-ins ran {stats.since - begin - ramp:.1f} s past the ramp: pages counted from then)")
    return report(users, measured, stats, login_apart=True)


def fits(figures: dict[str, Any]) -> bool:
    return figures["errors"] == 0 and figures["requests_ok"] > 0 and figures["p99_ms"] <= P99_LIMIT_MS


def think_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The largest level with p99 <= 150 ms and no errors: over all pages, and per page."""
    best: dict[str, int] = {}
    overall = max((r["users"] for r in results if fits(r)), default=0)
    kinds = sorted({k for r in results for k in r["kinds"] if k != "log-in"})
    for kind in kinds:
        best[kind] = max(
            (
                r["users"]
                for r in results
                if kind in r["kinds"]
                and r["kinds"][kind]["errors"] == 0
                and r["kinds"][kind]["count"] > 0
                and r["kinds"][kind]["p99_ms"] <= P99_LIMIT_MS
            ),
            default=0,
        )
    print(
        f"\n== think mode: largest number of concurrent users with p99 <= {P99_LIMIT_MS:.0f} ms and no errors"
    )
    print(f"   {'all pages':<16}{overall:>6}")
    for kind in kinds:
        print(f"   {kind:<16}{best[kind]:>6}")
    for r in results:
        login = r["kinds"].get("log-in", {})
        print(
            f"   log-in at {r['users']} users: p50 {login.get('p50_ms', math.nan)} ms, "
            f"p99 {login.get('p99_ms', math.nan)} ms, {login.get('errors', 0)} errors (reported apart)"
        )
    return {"all_pages": overall, **best}


def scrape_metrics(port: int) -> None:
    """/metrics summed over the gunicorn workers (Prometheus multiprocess mode): a sanity check."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics", headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    text = response.read().decode()
    total = sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("hypertroq_http_responses_total{")
    )
    ratio = [line for line in text.splitlines() if line.startswith("hypertroq_cache_hit_ratio ")]
    print(
        f"\n== /metrics: HTTP {response.status}, {total:.0f} responses counted across workers, {ratio[0] if ratio else 'no cache ratio'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("stress", "think"), default="stress")
    parser.add_argument(
        "--users", default="", help="comma-separated levels (stress: 8,32; think: 25,50,100,150,200,300)"
    )
    parser.add_argument(
        "--duration", type=float, default=0.0, help="seconds per level (stress: 20; think: 45 after the ramp)"
    )
    parser.add_argument("--ramp", type=float, default=15.0, help="think: seconds over which users log in")
    parser.add_argument("--think", default="3,10", help="think: seconds between a user's actions, min,max")
    parser.add_argument("--keep-going", action="store_true", help="think: run every level even after a miss")
    parser.add_argument("--accounts", type=int, default=32, help="lifter accounts to seed (default 32)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    args = parser.parse_args()
    think_mode = args.mode == "think"
    default_levels = "25,50,100,150,200,300" if think_mode else "8,32"
    levels = [int(x) for x in (args.users or default_levels).split(",") if x.strip()]
    duration = args.duration or (45.0 if think_mode else 20.0)
    low, high = (float(x) for x in args.think.split(","))

    database_url = os.environ.get("BENCH_DATABASE_URL") or embedded_database_url()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "REDIS_URL")},
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "HYPERTROQ_NUM_PROXIES": "0",  # the load generator talks to gunicorn directly
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RATELIMIT_ENABLED": "false",
        "HYPERTROQ_REQUEST_LOG_LEVEL": "WARNING",  # the request lines would dominate the log file
    }
    results = []
    # The cache first: production settings refuse to start (even to migrate) without REDIS_URL.
    with redis_server() as redis_url:
        if redis_url:
            env["REDIS_URL"] = redis_url
        else:
            env["HYPERTROQ_SINGLE_PROCESS_CACHE"] = "true"  # rate limits are off here anyway
        data = seed(env, args.accounts)
        missing = sum(1 for u in data["users"] if not u.get("builder"))
        if missing:
            print(
                f"   note: {missing} of {len(data['users'])} lifters have no builder URL (programs pages not there yet?)"
            )
        run_manage(env, "collectstatic", "--noinput")
        port = args.port or free_port()
        with gunicorn(env, port):
            print(
                f"== gunicorn on 127.0.0.1:{port} (hypertroq/gunicorn.conf.py); log in var/bench-gunicorn.log"
            )
            # warm up: first requests import views, fill caches
            warm = VirtualUser(port, data["users"][0], data, Stats(), seed=999)
            warm.run(time.monotonic() + 3)
            load_before = os.getloadavg()
            for users in levels:
                if think_mode:
                    figures = run_think_phase(port, users, duration, args.ramp, (low, high), data)
                    results.append(figures)
                    if not fits(figures) and not args.keep_going:
                        print(f"   p99 over {P99_LIMIT_MS:.0f} ms or errors at {users} users: stopping here")
                        break
                else:
                    results.append(run_phase(port, users, duration, data))
            load_after = os.getloadavg()
            scrape_metrics(port)
    print(
        f"\n== load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} CPUs)"
    )
    summary: dict[str, Any] = {"mode": args.mode, "levels": results}
    if think_mode:
        summary["largest_users_p99_150ms"] = think_summary(results)
    print("\nSUMMARY " + json.dumps(summary))


if __name__ == "__main__":
    main()
