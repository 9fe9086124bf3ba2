"""Gunicorn requests/s of the builder and the templates list, as a share of a bare "hello" view.

    .venv/bin/python bench/bench_gunicorn.py                  # 3 rounds × 8 s per page, port 8105
    .venv/bin/python bench/bench_gunicorn.py --rounds 5 --duration 10 --port 8115

What it does, all on this machine (needs ``wrk``):
1. a fresh database of its own on the embedded PostgreSQL (``hypertroq_bench_gunicorn<suffix>``,
   suffix from ``HYPERTROQ_TEST_DB_SUFFIX``), migrated and seeded; one lifter who starts the
   "Push/Pull/Legs 6-day" template (6 sessions, 35 exercises: the builder page of issue 18);
2. its own redis-server, collectstatic, and gunicorn with ``hypertroq/gunicorn.conf.py``
   (2 workers × 4 threads here) and production settings, serving the app plus ``/bench-hello/``
   (bench/_hello_wsgi.py: a bare view behind the same middleware);
3. signs in once, then per round runs ``wrk -t2 -c8`` with that session cookie and
   ``Accept-Encoding: gzip`` against the hello view, the builder, the templates list and the
   program's volume.json, one after the other, so each round's ratio page ÷ hello compares
   figures taken seconds apart on the same busy machine;
4. prints the median requests/s per page, the median ratio to hello, the bytes of each page (as
   sent, and before compression), and the load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import load  # bench/load.py: database, seeding and redis helpers

ROOT = load.ROOT
PY = load.PY
PASSWORD = load.PASSWORD

SNIPPET = r"""
import json
from django.urls import reverse
from accounts.models import User
from programs.models import TrainingProgram
from programs.services import template_use

email = "bench-ppl@example.com"
user = User.objects.by_email(email).first() or User.objects.create_user(email, PASSWORD, full_name="Bench PPL")
user.email_verified = True
user.save(update_fields=["email_verified"])
template = TrainingProgram.objects.get(is_template=True, name="Push/Pull/Legs 6-day")
program = TrainingProgram.objects.filter(user=user, is_template=False).first() or template_use(user=user, template=template)
print("BENCH-JSON " + json.dumps({
    "email": email,
    "login": reverse("accounts:login"),
    "builder": reverse("programs:detail", kwargs={"program_id": program.pk}),
    "volume_json": reverse("programs:volume_json", kwargs={"program_id": program.pk}),
    "templates": reverse("programs:template_list"),
}))
"""


def seed(env: dict[str, str], code: Path = ROOT) -> dict[str, str]:
    """Migrate and seed with the code that will serve the database (a baseline's own schema)."""
    print(f"== migrate + seed ({code.name})", flush=True)
    load.run_manage(env, "migrate", "--noinput", code=code)
    load.run_manage(env, "seed", code=code)
    result = load.run_manage(env, "shell", "-c", f"PASSWORD = {PASSWORD!r}\n" + SNIPPET, code=code)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
    raise SystemExit("seeding printed no result:\n" + result.stdout + result.stderr)


def sign_in(port: int, urls: dict[str, str]) -> str:
    """The Cookie header of a signed-in session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookies: dict[str, str] = {}

    def send(method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> int:
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status

    send("GET", urls["login"])
    body = urllib.parse.urlencode(
        {"username": urls["email"], "password": PASSWORD, "csrfmiddlewaretoken": cookies.get("csrftoken", "")}
    )
    status = send(
        "POST",
        urls["login"],
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}{urls['login']}",
        },
    )
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"could not sign in (HTTP {status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def page_bytes(port: int, path: str, cookie: str) -> tuple[int, int, str]:
    """(bytes on the wire with gzip asked for, bytes before compression, Content-Encoding)."""
    sizes = []
    encoding = ""
    for accept in ("gzip", "identity"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie, "Accept-Encoding": accept})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        if accept == "gzip":
            encoding = response.getheader("Content-Encoding", "") or "none"
        sizes.append(len(body))
        conn.close()
    return sizes[0], sizes[1], encoding


def start_gunicorn(code: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """gunicorn serving ``code`` (this checkout or a baseline) plus the hello view."""
    log = open(ROOT / "var" / f"bench-gunicorn-ratio-{port}.log", "w")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603  (fixed argument lists)
        [
            str(Path(PY).parent / "gunicorn"),
            "_hello_wsgi",
            "--pythonpath",
            str(ROOT / "bench"),
            "-c",
            "hypertroq/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=code,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wrk(port: int, path: str, cookie: str, seconds: float) -> float:
    out = subprocess.run(  # noqa: S603  (fixed argument lists)
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            "-c8",
            f"-d{seconds:g}s",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "Accept-Encoding: gzip",
            "-H",
            "Host: 127.0.0.1",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise SystemExit(f"wrk reported errors on {path}:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match:
        raise SystemExit(f"no Requests/sec in wrk's output:\n{out}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per page per round")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8105")))
    parser.add_argument(
        "--baseline",
        default="",
        help="a checkout of older code (git worktree add --detach DIR <commit>) served on port+10 and "
        "measured interleaved with this code, on a database of its own that its own code migrates "
        "and seeds (so a baseline from before a schema change works)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    load.BENCH_DB = "hypertroq_bench_gunicorn" + os.environ.get("HYPERTROQ_TEST_DB_SUFFIX", "")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "REDIS_URL")},
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or load.embedded_database_url(),
        "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "HYPERTROQ_NUM_PROXIES": "0",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RATELIMIT_ENABLED": "false",
        "HYPERTROQ_REQUEST_LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of a measurement
    }
    with load.redis_server() as redis_url:
        if redis_url:
            env["REDIS_URL"] = redis_url
        else:
            env["HYPERTROQ_SINGLE_PROCESS_CACHE"] = "true"
        urls = seed(env)  # production settings refuse to start without the cache
        load.run_manage(env, "collectstatic", "--noinput")
        # server -> (code, port, env, urls)
        servers = {"this code": (ROOT, args.port, env, urls)}
        if args.baseline:
            baseline = Path(args.baseline).resolve()
            base_env = {**env, "DATABASE_URL": load.embedded_database_url(load.BENCH_DB + "_baseline")}
            if os.environ.get("BENCH_DATABASE_URL"):
                raise SystemExit("--baseline needs the embedded server (a second database of its own)")
            base_urls = seed(base_env, baseline)
            load.run_manage(base_env, "collectstatic", "--noinput", code=baseline)
            servers["baseline"] = (baseline, args.port + 10, base_env, base_urls)
        processes = [start_gunicorn(code, port, server_env) for code, port, server_env, _ in servers.values()]
        try:
            for _, port, _, _ in servers.values():
                load.wait_for_port(port, 60)
            cookies = {
                server: sign_in(port, server_urls) for server, (_, port, _, server_urls) in servers.items()
            }
            pages = {
                server: {
                    "hello": "/bench-hello/",
                    "builder 6x6": server_urls["builder"],
                    "templates list": server_urls["templates"],
                    "volume.json": server_urls["volume_json"],
                }
                for server, (_, _, _, server_urls) in servers.items()
            }
            names = list(pages["this code"])
            sizes = {
                server: {
                    name: page_bytes(port, path, cookies[server]) for name, path in pages[server].items()
                }
                for server, (_, port, _, _) in servers.items()
            }
            for server, (_, port, _, _) in servers.items():
                for path in pages[server].values():  # warm every worker's caches
                    wrk(port, path, cookies[server], 2)
            load_before = os.getloadavg()
            rps = {server: {name: [] for name in names} for server in servers}
            ratios = {server: {name: [] for name in names} for server in servers}
            for round_number in range(args.rounds):
                # Interleaved: each server's pages seconds apart from the other's, so a busy
                # machine weighs on both alike.
                for server, (_, port, _, _) in servers.items():
                    hello = wrk(port, pages[server]["hello"], cookies[server], args.duration)
                    rps[server]["hello"].append(hello)
                    line = [f"hello {hello:.0f}"]
                    for name, path in pages[server].items():
                        if name == "hello":
                            continue
                        value = wrk(port, path, cookies[server], args.duration)
                        rps[server][name].append(value)
                        ratios[server][name].append(value / hello)
                        line.append(f"{name} {value:.0f} ({value / hello:.3f})")
                    print(f"   round {round_number + 1}, {server}: " + ", ".join(line), flush=True)
            load_after = os.getloadavg()
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()

    print(
        f"\nGunicorn 2 workers × 4 threads, wrk -t2 -c8, {args.rounds} rounds × {args.duration:g} s, "
        f"signed in, Accept-Encoding: gzip ({os.cpu_count()} CPUs)"
    )
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    summary: dict[str, Any] = {}
    for server in servers:
        print(
            f"  {server:<16}{'req/s (median)':>15}{'÷ hello':>9}{'bytes sent':>12}{'uncompressed':>14}  encoding"
        )
        summary[server] = {}
        for name in names:
            median = statistics.median(rps[server][name])
            ratio = statistics.median(ratios[server][name]) if ratios[server][name] else 1.0
            sent, raw, encoding = sizes[server][name]
            print(f"  {name:<16}{median:>15.1f}{ratio:>9.3f}{sent:>12,}{raw:>14,}  {encoding}")
            summary[server][name] = {
                "rps": round(median, 1),
                "ratio": round(ratio, 4),
                "bytes_sent": sent,
                "bytes": raw,
            }
    if "baseline" in servers:
        print("  this code ÷ baseline, median of the rounds: requests/s, and the share of hello")
        for name in names:
            direct = statistics.median(
                new / old for new, old in zip(rps["this code"][name], rps["baseline"][name], strict=True)
            )
            share = (
                statistics.median(
                    new / old
                    for new, old in zip(ratios["this code"][name], ratios["baseline"][name], strict=True)
                )
                if name != "hello"
                else 1.0
            )
            print(f"  {name:<16}{direct:>8.2f}×{share:>8.2f}×")
            summary[f"{name} speed-up"] = {"rps": round(direct, 2), "share_of_hello": round(share, 2)}
    print("\nSUMMARY " + json.dumps({"load_before": load_before, "load_after": load_after, "pages": summary}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
