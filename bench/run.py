#!/usr/bin/env python3
"""The benchmark suite: one command (bench/run.sh).

Builds the release binary, generates the dataset (or reuses it), starts the server and
measures five scenarios at concurrency 1, 16 and 64 with oha: requests per second, p50
and p99 latency, SQL statements per request (from /metrics) and the server's peak RSS.
Writes a Markdown table per database to bench/RESULTS.md.

Runs the scenarios with the response cache on (the default), then the reads again on a
server with it off. Also writes the database's plans for (b) and (c) to bench/plans/,
runs (b)'s statements straight against the database for comparison (pgbench on
PostgreSQL), and with SOAK seconds keeps (b) running at concurrency 16, and (e) at 2,
while it samples the server's RSS.

Environment: EVENTS (default 1000000), DURATION seconds per run (default 10), SOAK
(seconds, default 0: no soak),
DATABASES (default "sqlite postgres"), BENCH_PG (the server, default
postgres://postgres@localhost) and BENCH_PG_PARAMS (default host=/var/run/postgresql: the
Unix socket, because sqlx 0.9.0 no longer sets TCP_NODELAY and loses ~40 ms to Nagle's
algorithm on every request whose message spans TCP segments).
"""
import json
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "garrison"
OHA = ROOT / "bench" / ".tools" / "bin" / "oha"
DATA = ROOT / "bench" / "data"
EVENTS = int(os.environ.get("EVENTS", "1000000"))
DURATION = int(os.environ.get("DURATION", "10"))
SOAK = int(os.environ.get("SOAK", "0"))
DATABASES = os.environ.get("DATABASES", "sqlite postgres").split()
PG = os.environ.get("BENCH_PG", "postgres://postgres@localhost")
PG_PARAMS = os.environ.get("BENCH_PG_PARAMS", "host=/var/run/postgresql")


def pg_url(database):
    return f"{PG}/{database}" + (f"?{PG_PARAMS}" if PG_PARAMS else "")
CONCURRENCY = [1, 16, 64]


def run(*args, **kw):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], check=True, **kw)


def scale():
    """Actors, bases and assets in proportion to the events."""
    return dict(actors=max(EVENTS // 500, 100), bases=max(EVENTS // 2500, 40), assets=max(EVENTS // 250, 200))


def dataset(kind):
    """The database URL, generating the data unless a previous run left it."""
    s = scale()
    name = f"garrison_bench_{EVENTS}"
    if kind == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"{name}.db"
        url = f"sqlite://{path}"
        fresh = not path.exists()
    else:
        url = pg_url(name)
        exists = subprocess.run(["psql", pg_url("postgres"), "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                                capture_output=True, text=True).stdout.strip() == "1"
        if not exists:
            run("psql", pg_url("postgres"), "-qc", f"CREATE DATABASE {name}")
        fresh = not exists
    if fresh:
        started = time.time()
        run(BIN, "generate", "--events", EVENTS, "--actors", s["actors"], "--bases", s["bases"],
            "--assets", s["assets"], "--database-url", url)
        generated = time.time() - started
        (DATA / f"{kind}-{EVENTS}.generated").parent.mkdir(parents=True, exist_ok=True)
        (DATA / f"{kind}-{EVENTS}.generated").write_text(f"{generated:.0f}")
    return url


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(address, query, variables=None, token=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"{address}/graphql", body, {"content-type": "application/json"})
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    if "errors" in answer:
        raise SystemExit(f"{query}: {answer['errors']}")
    return answer["data"]


def statements(address):
    text = urllib.request.urlopen(f"{address}/metrics").read().decode()
    return int(float(re.search(r"^garrison_sql_statements_total (\S+)", text, re.M).group(1)))


def status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


# A transliteration of a generated name ("Ḥa"+"mei"+"mim"): typo-tolerant full-text search.
SEARCH = '{ search(query: "Hameymim", first: 20) { totalCount edges { node { score node { id } } } } }'
DASHBOARD = """{ bases(first: 20) { nodes { name
    tenures { nodes { role actor { name } } }
    deployments { nodes { asset { name } } }
    events(last: 10) { nodes { title occurred { edtf }
      attestations { nodes { credibility report { title source { name reliability } } } } } } } } }"""
PLANS = ROOT / "bench" / "plans"


def page_query():
    return "query($a: ID!, $after: String) { events(first: 20, after: $after, filter: { actor: $a, during: \"2016/2024\" }) { nodes { id title occurred { edtf } } pageInfo { endCursor } } }"


def page_101(address):
    """The actor with the most events its (anonymous) reader sees, markings hiding some,
    and the cursor after its first 100 pages (or its last page, when it has fewer)."""
    actors = post(address, "{ actors(first: 100) { nodes { id events { totalCount } } } }")["actors"]["nodes"]
    actor = max(actors, key=lambda a: a["events"]["totalCount"])["id"]
    cursor = None
    for _ in range(100):
        after = post(address, page_query(), {"a": actor, "after": cursor})["events"]["pageInfo"]["endCursor"]
        if after is None:
            break
        cursor = after
    return actor, cursor


def scenarios(address, token):
    """The five measured requests, as GraphQL bodies."""
    base = post(address, "{ bases(first: 1) { nodes { id } } }")["bases"]["nodes"][0]["id"]
    actor, cursor = page_101(address)
    page = page_query()
    dashboard = DASHBOARD
    report = post(address, "{ reports(first: 1) { nodes { id } } }")["reports"]["nodes"][0]["id"]
    create = "mutation($i: CreateEventInput!) { createEvent(input: $i) { event { id } } }"
    event = {"kind": "STATEMENT", "status": "REPORTED", "title": "Benchmark statement",
             "attestations": [{"report": report, "excerpt": "bench", "credibility": 6}]}
    return [
        ("(a) point lookup", {"query": "query($id: ID!) { base(id: $id) { id name country } }", "variables": {"id": base}}, None),
        ("(b) nested dashboard", {"query": dashboard}, None),
        ("(c) page 101 by cursor", {"query": page, "variables": {"a": actor, "after": cursor}}, None),
        ("(c) page 1", {"query": page, "variables": {"a": actor}}, None),
        ("(d) search", {"query": SEARCH}, None),
        ("(e) create event", {"query": create, "variables": {"i": event}}, token),
    ]


def oha(address, body, concurrency, token, duration=None):
    args = [OHA, "-z", f"{duration or DURATION}s", "-c", concurrency, "--no-tui", "--output-format", "json",
            "-m", "POST", "-H", "content-type: application/json", "-d", json.dumps(body)]
    if token:
        args += ["-H", f"authorization: Bearer {token}"]
    out = subprocess.run([str(a) for a in args] + [f"{address}/graphql"], check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    summary = result["summary"]
    percentiles = result["latencyPercentiles"]
    total = sum(result.get("statusCodeDistribution", {}).values())
    errors = sum(v for k, v in result.get("statusCodeDistribution", {}).items() if k != "200")
    ms = lambda v: float("nan") if v is None else v * 1000  # no request finished in the run
    return summary["requestsPerSec"] or 0.0, ms(percentiles["p50"]), ms(percentiles["p99"]), total, errors


class Server:
    """`garrison serve` on a free port over `url`, with `flags`."""

    def __init__(self, url, *flags):
        port = free_port()
        self.address = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}", "--no-seed",
                                         "--database-url", url, *flags],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"{self.address}/readyz").status == 200:
                    break
            except Exception:
                time.sleep(0.1)

    def peak_mib(self):
        return status_kib(self.process.pid, "VmHWM") / 1024

    def stop(self):
        self.process.terminate()
        self.process.wait()


def measure(kind, server, cache, scenario_list):
    """Each scenario at each concurrency: one row per run."""
    rows = []
    for name, body, auth in scenario_list:
        for c in CONCURRENCY:
            before = statements(server.address)
            rps, p50, p99, total, errors = oha(server.address, body, c, auth)
            per_request = (statements(server.address) - before) / max(total, 1)
            rss = status_kib(server.process.pid, "VmRSS") / 1024
            rows.append((name, cache, c, rps, p50, p99, per_request, rss, errors))
            print(f"{kind} {name} cache {cache} c={c}: {rps:.0f} req/s p50 {p50:.1f} ms p99 {p99:.1f} ms, "
                  f"{per_request:.1f} SQL/req, RSS {rss:.0f} MiB, {errors} non-200", flush=True)
    return rows


RED_READER = "off, RED reader"


def markings_cost(rows):
    """Each read's rate for the CLEAR reader as a share of the RED reader's (no
    marking conditions), without the response cache."""
    rate = {(r[0], r[1], r[2]): r[3] for r in rows}
    shares = []
    for (name, cache, c), rps in rate.items():
        red = rate.get((name, RED_READER, c))
        if cache == "off" and red:
            shares.append(f"{name} c={c} {rps / red:.0%}")
    return "; ".join(shares)


def bench(kind):
    """The scenarios with the response cache on (the default), then the reads again
    with it off, so that the work of answering shows as well as the repeated answer."""
    url = dataset(kind)
    token = subprocess.run([BIN, "token", "create", "--role", "editor", "--name", f"bench-{time.time_ns()}"],
                           env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True,
                           text=True).stdout.strip()
    server = Server(url)
    try:
        scenario_list = scenarios(server.address, token)
        rows = measure(kind, server, "on", scenario_list)
        plans(kind, url, server.address)
        curve = soak(server, token, scenario_list) if SOAK else None
        peak = server.peak_mib()
    finally:
        server.stop()
    server = Server(url, "--response-cache-mb", "0")
    try:
        reads = [s for s in scenario_list if not s[0].startswith("(e)")]
        rows += measure(kind, server, "off", reads)
        peak_uncached = server.peak_mib()
    finally:
        server.stop()
    # The same reads by a RED reader, for whom no marking condition is added: the cost
    # of the visibility rule, as a ratio measured in one run.
    server = Server(url, "--response-cache-mb", "0", "--anonymous-clearance", "RED")
    try:
        rows += measure(kind, server, RED_READER, reads)
    finally:
        server.stop()
    alone = database_alone(kind, url)
    return rows, (peak, peak_uncached), alone, curve


def plans(kind, url, address):
    """The database's plans for (b) and (c) (page 101) as the server runs them."""
    PLANS.mkdir(exist_ok=True)
    actor, cursor = page_101(address)
    page = ('{ events(first: 20, after: "%s", filter: { actor: "%s", during: "2016/2024" }) '
            '{ nodes { id title occurred { edtf } } pageInfo { endCursor } } }') % (cursor, actor)
    for name, query in [("b-dashboard", DASHBOARD), ("c-page-101", page)]:
        out = run(BIN, "explain", "--database-url", url, query, capture_output=True, text=True).stdout
        (PLANS / f"{kind}-{name}.txt").write_text(f"# {' '.join(query.split())}\n\n{out}")


def database_alone(kind, url):
    """(b)'s statements run straight against the database: requests per second, at
    concurrency 16 with pgbench on PostgreSQL, one connection in a loop on SQLite."""
    script = PLANS / f"{kind}-b-dashboard.sql"
    run(BIN, "explain", "--statements-only", "--database-url", url, DASHBOARD,
        stdout=script.open("w"))
    if kind == "postgres":
        out = run("pgbench", "-n", "-f", script, "-c", 16, "-j", 2, "-T", DURATION, url,
                  capture_output=True, text=True).stdout
        return 16, float(re.search(r"tps = ([\d.]+)", out).group(1))
    import sqlite3
    statements = [l for l in script.read_text().splitlines() if l.strip()]
    db = sqlite3.connect(url.removeprefix("sqlite://"))
    started, runs = time.time(), 0
    while time.time() - started < DURATION:
        for sql in statements:
            db.execute(sql).fetchall()
        runs += 1
    return 1, runs / (time.time() - started)


def soak(server, token, scenario_list):
    """RSS every 30 s for SOAK seconds while (b) runs at concurrency 16 and (e) writes
    at concurrency 2, so that answers are both repeated and, after each write, made
    again. Returns the curve and each load's requests per second."""
    loads = []
    for name, concurrency in [("(b)", 16), ("(e)", 2)]:
        _, body, auth = next(s for s in scenario_list if s[0].startswith(name))
        args = [OHA, "-z", f"{SOAK}s", "-c", concurrency, "--no-tui", "--output-format", "json", "-m", "POST",
                "-H", "content-type: application/json", "-d", json.dumps(body)]
        if auth:
            args += ["-H", f"authorization: Bearer {auth}"]
        loads.append(subprocess.Popen([str(a) for a in args] + [f"{server.address}/graphql"],
                                      stdout=subprocess.PIPE, text=True))
    curve, started = [], time.time()
    pid = server.process.pid
    while any(load.poll() is None for load in loads):
        curve.append((time.time() - started, status_kib(pid, "VmRSS") / 1024))
        time.sleep(30)
    curve.append((time.time() - started, status_kib(pid, "VmRSS") / 1024))
    rates = [json.loads(load.stdout.read())["summary"]["requestsPerSec"] for load in loads]
    print(f"soak: (b) {rates[0]:.0f} req/s, (e) {rates[1]:.0f} req/s; RSS {curve}", flush=True)
    return curve, rates


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    mem = status_line = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({cpu}), {int(mem.split()[1]) // 1024 // 1024} GiB RAM, {platform.system()} {platform.release()}"


def main():
    run("cargo", "build", "--release", cwd=ROOT)
    if not OHA.exists():
        run("cargo", "install", "oha", "--locked", "--root", ROOT / "bench" / ".tools")
    s = scale()
    lines = [f"\n## {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — {EVENTS:,} events\n",
             f"Machine: {machine()}; load generator (oha) on the same machine. "
             f"Dataset: `garrison generate --events {EVENTS} --actors {s['actors']} --bases {s['bases']} --assets {s['assets']}`; "
             f"{DURATION} s per run.\n"]
    for kind in DATABASES:
        rows, (peak, peak_uncached), (alone_c, alone_rps), soaked = bench(kind)
        generated = DATA / f"{kind}-{EVENTS}.generated"
        took = f", generated in {generated.read_text().strip()} s" if generated.exists() else ""
        lines.append(f"\n### {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} (peak RSS {peak:.0f} MiB with the "
                     f"response cache, {peak_uncached:.0f} MiB without{took})\n")
        lines.append("| scenario | response cache | concurrency | req/s | p50 (ms) | p99 (ms) | SQL/request | RSS (MiB) | non-200 |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for name, cache, c, rps, p50, p99, sql, rss, errors in rows:
            lines.append(f"| {name} | {cache} | {c} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {sql:.1f} | {rss:.0f} | {errors} |")
        server = next(r[3] for r in rows if r[0].startswith("(b)") and r[1] == "off" and r[2] == alone_c)
        tool = "pgbench" if kind == "postgres" else "one sqlite3 connection"
        lines.append(f"\n(b)'s statements alone ({tool}, concurrency {alone_c}): {alone_rps:,.0f} per second; "
                     f"through the server without the response cache {server:,.0f} req/s: the server keeps "
                     f"{server / alone_rps:.0%} of the database's own rate. Plans: `bench/plans/{kind}-*.txt`.")
        lines.append(f"\nMarkings: the anonymous CLEAR reader's rate as a share of a RED reader's (whose reads "
                     f"carry no marking condition), without the response cache: {markings_cost(rows)}.")
        if soaked:
            curve, (reads, writes) = soaked
            points = ", ".join(f"{t / 60:.1f} min {mib:.0f}" for t, mib in curve)
            lines.append(f"\nRSS (MiB) during a {SOAK // 60}-minute soak, (b) at concurrency 16 ({reads:,.0f} req/s) "
                         f"while (e) writes at concurrency 2 ({writes:,.0f} req/s): {points}.")
    results = ROOT / "bench" / "RESULTS.md"
    if not results.exists():
        results.write_text("# Benchmark results\n\nWritten by `bench/run.sh`; each run appends a section.\n")
    with results.open("a") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
