"""Triage look-up latency under concurrent load, against a trivial page in the same run.

The demo clinic (`make demo`'s data: synth clinic --seed 1, import, demousers, demopathway,
democare) is made in a fresh database by a child process (`prepare`). democare enrols every
patient of the clinic with a personnummer (Skatteverket's test numbers) in care, with a
whole card: a responsible nurse, a plan, an agreement, a booked visit and an open
questionnaire link (painpath.care.demo.triage_patients). A second child serves painpath's
WSGI application with Django's threaded server on 127.0.0.1 (`serve`). The parent logs in
as the demo's triage nurse at Habo and as the demo user of another clinic, then LEVELS
threads send look-ups through real HTTP (POST, CSRF, session): a personnummer by Habo's
nurse (a hit, the card), the same number by the other clinic (a miss) and a name by Habo's
nurse, and, as the baseline, the same number of GETs of the empty search page.
Every answer is checked (status and content); a wrong one counts as an error.
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from rich.table import Table

from benchmarks import OUT
from benchmarks.databases import child_env, fresh_database

# Concurrent clients, each sending its next request as soon as the last is answered: two
# nurses on the phone at once, and eight (far more than a clinic's triage), saturating.
LEVELS = (2, 8)
REQUESTS = 600  # per target and level
BASELINE, ALL = "baseline: the empty search page (GET)", "triage look-up, all (POST)"
WARMUP = 40
MIX = (("hit", 2), ("miss", 1), ("name", 1))  # of the look-ups
PAGE = "/telefonradgivning/"
EXPECT = {  # what every answer must contain
    "baseline": b'id="triage-q"',
    "hit": b'class="triage-card"',
    "miss": b"Ingen patient hittades",
    "name": b'class="triage-matches"',
}
KIND_LABELS = (
    ("hit", "personnummer, hit: the card"),
    ("miss", "personnummer, other clinic: miss"),
    ("name", "name search"),
)
EXTRACT = OUT / "triage-clinic-seed1"


# --- in a child with Django: the data, and the server ------------------------------------


def look_ups(enrolments) -> dict[str, list[str]]:
    """What the load types: their personnummer (hits at Habo, misses elsewhere), and names."""
    numbers = [e.patient.personnummer for e in enrolments]
    names = [e.family_name for e in enrolments] + [
        f"{e.first_name} {e.family_name}"[:9] for e in enrolments
    ]
    return {"hit": numbers, "miss": numbers, "name": names}


def prepare(extract: Path) -> dict:
    from io import StringIO

    from django.core.management import call_command

    from painpath.access.demo import DEMO_PASSWORD
    from painpath.care.demo import triage_patients
    from painpath.ingest.actions import run_import
    from painpath.records.models import Clinic

    quiet = {"stdout": StringIO(), "verbosity": 0}
    call_command("migrate", **quiet)
    result, run = run_import(extract, rejects_path=OUT / "var" / "triage-rejects.csv")
    if result is None:
        raise SystemExit(f"import failed: {run.error}")
    call_command("demousers", clinic="habo", name="Habo vårdcentral (syntetisk)", **quiet)
    call_command("demopathway", clinic="habo", **quiet)
    call_command("democare", clinic="habo", **quiet)
    queries = look_ups(triage_patients(Clinic.objects.get(code="habo")))
    return {**queries, "password": DEMO_PASSWORD}  # the demo users' (made just now)


def serve() -> None:
    """Django's threaded WSGI server (as runserver's), quiet, on a free port it prints."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def setup(self):
            super().setup()
            # The handler writes headers and body apart; with Nagle's algorithm on, the body
            # waits for the client's delayed ACK: 40 ms on every kept-alive request (measured).
            # Production servers (gunicorn, uWSGI) set TCP_NODELAY too.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):
            pass

    app = get_wsgi_application()
    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(app)
    print(server.server_address[1], flush=True)
    server.serve_forever()


# --- in the parent: the load ----------------------------------------------------------------


class Client:
    """One logged-in browser: its cookies and CSRF token, over a kept-alive connection."""

    def __init__(self, port: int, username: str, password: str):
        self.port, self.cookies, self.conn = port, {}, None
        page = self.send("GET", "/konto/logga-in/")[1]
        login = {"username": username, "password": password, "csrfmiddlewaretoken": token(page)}
        status, _ = self.send("POST", "/konto/logga-in/", login)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"could not log in as {username} (HTTP {status})")
        self.csrf = token(self.send("GET", PAGE)[1])  # rotated at login

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        body = urlencode(form).encode() if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept-alive connection the server closed: once more
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, data
        raise AssertionError("unreachable")

    def look_up(self, query: str) -> tuple[int, bytes]:
        return self.send("POST", PAGE, {"q": query, "csrfmiddlewaretoken": self.csrf})


def token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def plan(queries: dict[str, list[str]], n: int, rng: random.Random) -> list[tuple[str, str]]:
    kinds = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=n)
    return [(kind, rng.choice(queries[kind])) for kind in kinds]


def log_in(port: int, clients: int, password: str) -> list[tuple[Client, Client]]:
    """Per client thread: Habo's triage nurse and the demo user of another clinic."""
    return [
        (Client(port, "triage", password), Client(port, "annan", password)) for _ in range(clients)
    ]


def load(sessions: list[tuple[Client, Client]], work: list[tuple[str, str]]) -> list[tuple]:
    """Send the work from one thread per session pair; (kind, seconds, ok) per request."""
    done, lock, items = [], threading.Lock(), iter(work)

    def worker(habo: Client, elsewhere: Client):
        while True:
            with lock:
                item = next(items, None)
            if item is None:
                return
            kind, query = item
            started = time.perf_counter()
            if kind == "baseline":
                status, body = habo.send("GET", PAGE)
            else:
                status, body = (elsewhere if kind == "miss" else habo).look_up(query)
            seconds = time.perf_counter() - started
            with lock:
                done.append((kind, seconds, status == 200 and EXPECT[kind] in body))

    threads = [threading.Thread(target=worker, args=pair) for pair in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done


def figures(label: str, timings: list[tuple], wall: float | None) -> dict:
    seconds = sorted(t for _, t, _ in timings)

    def pct(p: float) -> float:
        return round(1000 * seconds[min(len(seconds) - 1, int(p * len(seconds)))], 1)

    row = {"target": label, "requests": len(seconds), "errors": sum(not ok for *_, ok in timings)}
    row |= {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}
    row |= {
        "max_ms": round(1000 * seconds[-1], 1),
        "mean_ms": round(1000 * sum(seconds) / len(seconds), 1),
    }
    row["per_second"] = round(len(seconds) / wall, 1) if wall else None
    return row


def run(engine: str, *, levels=LEVELS, requests: int = REQUESTS, say=print) -> dict:
    ensure_extract(say)
    with fresh_database(engine, f"painpath_triage_{os.getpid()}") as url:
        env = child_env(url)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.triage_bench", "prepare", str(EXTRACT)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(f"{engine}: preparing the demo clinic failed:\n{done.stderr[-3000:]}")
        queries = json.loads(done.stdout.strip().splitlines()[-1])
        say(f"{engine}: demo clinic ready in {time.perf_counter() - started:.0f} s")
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.triage_bench", "serve"],
            env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            port = int(server.stdout.readline())
            return measure(port, queries, levels, requests, engine)
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure(port, queries, levels, requests, engine) -> dict:
    """At each level of concurrency: the baseline, then the look-ups, each `requests` long."""
    password, rng = queries.pop("password"), random.Random(1)
    sessions = log_in(port, max(levels), password)  # logging in hashes: once, not per level
    load(sessions, plan(queries, WARMUP, rng) + [("baseline", "")] * WARMUP)
    rows = []
    for clients in levels:
        some = sessions[:clients]
        started = time.perf_counter()
        base = load(some, [("baseline", "")] * requests)
        rows.append(figures(BASELINE, base, time.perf_counter() - started) | {"clients": clients})
        started = time.perf_counter()
        triage = load(some, plan(queries, requests, rng))
        rows.append(figures(ALL, triage, time.perf_counter() - started) | {"clients": clients})
        for kind, label in KIND_LABELS:
            share = [t for t in triage if t[0] == kind]
            rows.append(figures(f"  {label}", share, None) | {"clients": clients})
    for row in rows:
        row["engine"] = engine
    return {"engine": engine, "queries": {k: len(v) for k, v in queries.items()}, "rows": rows}


def ensure_extract(say) -> Path:
    if (EXTRACT / "patients.csv").is_file():
        return EXTRACT
    say("Making the demo clinic's extract (painpath synth clinic --seed 1) …")
    subprocess.run(
        [sys.executable, "-m", "painpath", "synth", "clinic", "--out", str(EXTRACT), "--seed", "1"],
        env={**child_env("sqlite:///:memory:"), "PYTHONHASHSEED": "0"}, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return EXTRACT


def table(title: str, results: list[dict]) -> Table:
    grid = Table(title=title)
    for column in (
        "engine",
        "clients",
        "target",
        "requests",
        "errors",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "req/s",
    ):
        grid.add_column(column, justify="left" if column in ("engine", "target") else "right")
    for result in results:
        for r in result["rows"]:
            grid.add_row(
                r["engine"], str(r["clients"]), r["target"], f"{r['requests']:,}", str(r["errors"]),
                f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}",
                f"{r['max_ms']:.1f}", f"{r['per_second']:.0f}" if r["per_second"] else "",
            )  # fmt: skip
    return grid


def main(argv: list[str] | None = None) -> None:
    """The children's entry point: `prepare EXTRACT` (prints the look-ups as JSON) or `serve`."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.triage_bench")
    parser.add_argument("step", choices=("prepare", "serve"))
    parser.add_argument("extract", nargs="?", type=Path)
    args = parser.parse_args(argv)
    import django

    django.setup()
    if args.step == "prepare":
        print(json.dumps(prepare(args.extract)))
    else:
        serve()


if __name__ == "__main__":
    main()
