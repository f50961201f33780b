"""remarks side by side with Isso under a breaking-news load, on loopback, in one run.

Installs Isso (PyPI ``isso``) into its own virtualenv in a temporary folder (never in the project),
seeds both servers with the same data (one article with 200 comments, one with 2,000), and drives
both with the same load generators (reads and posts: Debian's ``wrk`` when installed, else the
Python asyncio one; the burst: the asyncio one), alternating remarks and Isso run by run (A/B/A/B) so the machine's
other load falls on both. Bounded: every run lasts ``--seconds`` and stops at
``MAX_REQUESTS``; nothing leaves 127.0.0.1. Writes bench/reports/surge.md and surge.png.

    .venv/bin/python bench/surge.py [--seconds 5] [--reps 2] [--isso-venv DIR] [--all-checks]
    .venv/bin/python bench/surge.py --burst [--isso-venv DIR]   # the issue's burst only (section of the report)
    .venv/bin/python bench/surge.py --rss [--before-src DIR]    # memory after 10,000 requests (section)
    .venv/bin/python bench/surge.py --posts [--seconds 10]      # posting only (section of the report)
    .venv/bin/python bench/surge.py --posts --two-processes     # ... and remarks as 2 processes too
    .venv/bin/python bench/surge.py --posts --before-src DIR    # ... and the code before (a src/ folder), same rounds

``--burst`` offers 2,000 posts in 10 s (open loop: each post leaves at its time whatever the answers
so far) to remarks with all its checks, then to Isso, reads both databases back (every acknowledged
comment there; for remarks, how long until every one of them has its automatic decision) and
rewrites only the burst section of the report.

Where Isso has no equivalent (moderation checks, HTML pages, logged-in readers) remarks is measured
alone and the report says so; posting is compared with remarks' checks off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).parent
ROOT = HERE.parent
MAX_REQUESTS = 20_000  # per run of the Python generator, whatever the duration
WRK_MAX_REQUESTS = 200_000  # per wrk run (far above what either server answers in a run; if reached, the rate is low)
ISSO = "isso==0.14.0"
PASSWORD = "surge-test-password"
SIZES = (200, 2000)
TEXT = "The council should publish the flood report before the vote; residents deserve to read it."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server at {url} exited")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


# --- the two servers -------------------------------------------------------------------------------


def head(src: Path) -> str:
    """The newest migration of the code in ``src`` (revisions are numbered: 0001, 0002, ...)."""
    versions = src / "remarks" / "db" / "migrations" / "versions"
    return max(p.name.split("_", 1)[0] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))


class Remarks:
    name = "remarks"

    def __init__(self, tmp: Path, checks: str | None, workers: int = 1, tag: str = "") -> None:
        self.db_url = f"sqlite:///{tmp / f'remarks{tag}.db'}"
        self.checks, self.workers, self.tmp = checks, workers, tmp
        self.article_ids: dict[int, int] = {}
        self.heads: list[dict[str, str]] = []

    def seed(self, n_users: int, src: Path = ROOT / "src") -> None:
        """Users and the stories, in a database migrated as far as the code in ``src`` knows (the code before
        a change runs on its own schema: an index added since would flatter it)."""
        from remarks import db as dbmod
        from remarks.models import Article, Comment
        from remarks.services import accounts

        dbmod.upgrade(self.db_url, head(src))
        engine = dbmod.make_engine(self.db_url)
        factory = dbmod.make_sessionmaker(engine)
        hashed = accounts.hash_password(PASSWORD)
        with dbmod.unit_of_work(factory) as s:
            users = [accounts.create_user(s, None, username=f"reader{i}", password=PASSWORD, password_hash=hashed)
                     for i in range(max(n_users, 20))]
            for size in SIZES:
                a = Article(slug=f"story-{size}", title=f"A story with {size} comments", body="The story.")
                s.add(a)
                s.flush()
                self.article_ids[size] = a.id
                s.add_all(Comment(article_id=a.id, author_id=users[i % len(users)].id, text=f"{TEXT} ({i})",
                                  state="published") for i in range(size))
        engine.dispose()

    def start(self, src: Path = ROOT / "src") -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "REMARKS_COMMENTS_PER_MINUTE": "1000000", "REMARKS_WEBHOOKS_ENABLED": "false",
               "REMARKS_LOG_LEVEL": "WARNING", "PYTHONPATH": str(src)}
        if self.checks is not None:
            env["REMARKS_CHECKS"] = self.checks
        log = open(self.tmp / "remarks.log", "a")  # noqa: SIM115 - the server writes to it while it runs
        self.proc = subprocess.Popen([sys.executable, "-m", "remarks.cli", "serve", "--db", self.db_url, "--port",
                                      str(self.port), "--workers", str(self.workers)], env=env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        wait_up(f"{self.base}/healthz", self.proc)

    def log_in(self, n: int) -> None:
        self.heads = []
        for i in range(n):
            r = httpx.post(f"{self.base}/api/v1/session", json={"username": f"reader{i}", "password": PASSWORD},
                           timeout=60)
            self.heads.append({"Authorization": f"Bearer {r.json()['token']}"})

    def read_url(self, size: int, kind: str = "json") -> str:
        aid = self.article_ids[size]
        return f"/api/v1/articles/{aid}" if kind == "json" else f"/articles/story-{size}"

    def post(self, size: int, i: int) -> tuple[str, dict, dict]:
        key = str(uuid.uuid4())
        return (f"/api/v1/articles/{self.article_ids[size]}/comments",
                {"text": f"{TEXT} [{key[:8]}]", "idempotency_key": key}, self.heads[i % len(self.heads)])

    def wrk_post(self, size: int) -> tuple[str, str, dict, list[str]]:
        """For wrk: the path, the body (two %s: the key), extra headers and the tokens to take in turn."""
        return (f"/api/v1/articles/{self.article_ids[size]}/comments",
                f'{{"text": "{TEXT} [%s]", "idempotency_key": "%s"}}', {},
                [h["Authorization"] for h in self.heads])

    def pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        return [int(p) for p in out]

    def stop(self) -> None:
        stop(self.proc)


class Isso:
    name = "Isso"

    def __init__(self, tmp: Path, venv: Path) -> None:
        self.tmp, self.venv = tmp, venv
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.conf = tmp / "isso.cfg"
        self.conf.write_text(
            f"[general]\ndbpath = {tmp / 'isso.db'}\nhost = {self.base}\n[server]\nlisten = {self.base}\n"
            "[moderation]\nenabled = false\n[guard]\nenabled = false\nratelimit = 1000000\n"
            "[admin]\nenabled = false\n")

    def start(self) -> None:
        log = open(self.tmp / "isso.log", "a")  # noqa: SIM115 - the server writes to it while it runs
        self.proc = subprocess.Popen([str(self.venv / "bin" / "isso"), "-c", str(self.conf), "run"], stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        wait_up(f"{self.base}/info", self.proc)

    def seed(self) -> None:
        async def go() -> None:
            async with httpx.AsyncClient(base_url=self.base, timeout=60) as c:
                for size in SIZES:
                    sem = asyncio.Semaphore(8)

                    async def one(i: int, size: int = size, sem: asyncio.Semaphore = sem) -> None:
                        async with sem:
                            r = await c.post(f"/new?uri=/story-{size}", json={"text": f"{TEXT} ({i})", "title": f"Story {size}",
                                                                              "author": f"reader{i % 20}"},
                                             headers={"Origin": self.base})
                            c.cookies.clear()  # Isso sets an edit cookie per comment
                            assert r.status_code == 201, r.text

                    await asyncio.gather(*(one(i) for i in range(size)))
        asyncio.run(go())

    def read_url(self, size: int, kind: str = "json") -> str:
        return f"/?uri=/story-{size}&limit=50"  # remarks pages 50 threads; Isso gets the same limit

    def post(self, size: int, i: int) -> tuple[str, dict, dict]:
        return (f"/new?uri=/story-{size}", {"text": f"{TEXT} [{uuid.uuid4().hex[:8]}]", "author": f"reader{i}", "title": f"Story {size}"},
                {"Origin": self.base})

    def wrk_post(self, size: int) -> tuple[str, str, dict, list[str]]:
        return (f"/new?uri=/story-{size}", f'{{"text": "{TEXT} [%s]", "author": "reader-%s", "title": "Story {size}"}}',
                {"Origin": self.base}, [])

    def pids(self) -> list[int]:
        return [self.proc.pid]

    def stop(self) -> None:
        stop(self.proc)


# --- the load generator ----------------------------------------------------------------------------


@dataclass
class Result:
    server: str
    what: str
    concurrency: int
    ok: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    # Runs measured by wrk give their own p50 and p99 (ms) and request count instead of every latency.
    runs: list[tuple[int, float, float]] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # the machine's 1-minute load average after each run
    cpu: float = 0.0  # seconds of CPU the server's processes spent during the runs (posting runs)

    def add(self, other: Result) -> None:
        self.ok += other.ok
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.runs += other.runs
        self.load += other.load
        self.cpu += other.cpu
        for k, v in other.statuses.items():
            self.statuses[k] = self.statuses.get(k, 0) + v

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if self.runs:  # pooled wrk runs: p50 weighted by requests, p99 the worst run's (q >= 0.9)
            n = sum(r[0] for r in self.runs) or 1
            return (max(r[2] for r in self.runs) if q >= 0.9 else sum(r[0] * r[1] for r in self.runs) / n)
        lat = sorted(self.latencies) or [0.0]
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000


async def drive(base: str, make, concurrency: int, seconds: float, ok_codes: set[int]) -> Result:
    """``concurrency`` clients, each sending ``make(i)`` -> (method, url, json, headers) back to back."""
    res = Result("", "", concurrency)
    budget = [MAX_REQUESTS]
    end = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency + 2, max_keepalive_connections=concurrency + 2)

    async def client(i: int, c: httpx.AsyncClient) -> None:
        while time.monotonic() < end and budget[0] > 0:
            budget[0] -= 1
            method, url, body, headers = make(i)
            t0 = time.perf_counter()
            try:
                r = await c.request(method, url, json=body, headers=headers)
                code = r.status_code
                c.cookies.clear()  # Isso sets an edit cookie per comment; every request is a fresh reader
            except httpx.HTTPError:
                code = 0
            res.latencies.append(time.perf_counter() - t0)
            res.statuses[code] = res.statuses.get(code, 0) + 1
            res.ok += code in ok_codes

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
        t0 = time.monotonic()
        await asyncio.gather(*(client(i, c) for i in range(concurrency)))
        res.seconds = time.monotonic() - t0
    return res


def reads(server, size: int, concurrency: int, seconds: float, kind: str = "json", logged_in: bool = False) -> Result:
    url = server.read_url(size, kind)
    heads = server.heads if logged_in else []
    if GENERATOR[0] == "wrk":
        res = wrk(server.base + url, concurrency, seconds, [h["Authorization"] for h in heads])
    else:
        def make(i: int):
            return "GET", url, None, (heads[i % len(heads)] if heads else {})
        res = asyncio.run(drive(server.base, make, concurrency, seconds, {200}))
    res.load.append(os.getloadavg()[0])
    return res


# Reads are driven by wrk (Debian's package: one C process, event-driven) when it is there, for both servers
# alike: the Python generator costs more CPU per request than a cached read, on the same 2 cores.
GENERATOR = ["wrk" if shutil.which("wrk") else "python"]
WRK_SCRIPT = """
local tokens = {%(tokens)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; n = 0 end
%(request)s
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  n = n + 1
  if n >= %(limit)d then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local parts = {}
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
  end
  for k, v in pairs(all) do table.insert(parts, string.format('"%%d": %%d', k, v)) end
  local e = summary.errors
  io.write(string.format('WRK {"duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "failed": %%d, "statuses": {%%s}}\\n',
    summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout,
    table.concat(parts, ", ")))
end
"""
WRK_ROTATE = """
function request()
  n_sent = (n_sent or 0) + 1
  return wrk.format(nil, nil, {Authorization = tokens[(n_sent % #tokens) + 1]})
end
"""


def wrk(url: str, concurrency: int, seconds: float, tokens: list[str]) -> Result:
    """``concurrency`` connections, each sending GET ``url`` back to back for ``seconds`` (at most
    WRK_MAX_REQUESTS), a fresh reader each time (wrk keeps no cookies); logged in: tokens in turn."""
    import json

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % {"tokens": ", ".join(f'"{t}"' for t in tokens), "limit": WRK_MAX_REQUESTS,
                              "request": WRK_ROTATE if tokens else ""})
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "30s", "-s", f.name, url],
                             capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    data = json.loads(line[4:])
    statuses = {int(k): v for k, v in data["statuses"].items()}
    if data["failed"]:
        statuses[0] = statuses.get(0, 0) + data["failed"]  # no answer (timeout, reset)
    ok = statuses.get(200, 0)
    return Result("", "", concurrency, ok=ok, seconds=data["duration_us"] / 1e6, statuses=statuses,
                  runs=[(ok, data["p50_us"] / 1000, data["p99_us"] / 1000)])


WRK_POST = """
local tokens = {%(tokens)s}
function request()
  n_sent = (n_sent or 0) + 1
  local key = "%(run)s-" .. n_sent
  local headers = {["Content-Type"] = "application/json"%(headers)s}
  if #tokens > 0 then headers["Authorization"] = tokens[(n_sent %% #tokens) + 1] end
  return wrk.format("POST", "%(path)s", headers, string.format([[%(body)s]], key, key))
end
"""


def wrk_posts(server, size: int, concurrency: int, seconds: float) -> Result:
    """Posts driven by wrk, as the reads are: each connection posts its next comment (a new text and
    idempotency key each time) when the last is answered."""
    import json

    path, body, headers, tokens = server.wrk_post(size)
    lua = WRK_SCRIPT % {"tokens": "", "limit": WRK_MAX_REQUESTS, "request": WRK_POST % {
        "tokens": ", ".join(f'"{t}"' for t in tokens), "run": uuid.uuid4().hex[:12], "path": path, "body": body,
        "headers": "".join(f', ["{k}"] = "{v}"' for k, v in headers.items())}}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "30s", "-s", f.name,
                              server.base + path], capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(f.name)
    data = json.loads(next(x for x in out.splitlines() if x.startswith("WRK "))[4:])
    statuses = {int(k): v for k, v in data["statuses"].items()}
    if data["failed"]:
        statuses[0] = statuses.get(0, 0) + data["failed"]
    ok = statuses.get(201, 0) + statuses.get(202, 0)
    return Result("", "", concurrency, ok=ok, seconds=data["duration_us"] / 1e6, statuses=statuses,
                  runs=[(ok, data["p50_us"] / 1000, data["p99_us"] / 1000)])


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have spent so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def posts(server, size: int, concurrency: int, seconds: float) -> Result:
    pids = server.pids()
    before = cpu_seconds(pids)
    res = _posts(server, size, concurrency, seconds)
    res.cpu = cpu_seconds(pids) - before
    res.load.append(os.getloadavg()[0])
    return res


def _posts(server, size: int, concurrency: int, seconds: float) -> Result:
    if GENERATOR[0] == "wrk" and hasattr(server, "wrk_post"):
        return wrk_posts(server, size, concurrency, seconds)
    counter = [0]

    def make(i: int):
        counter[0] += 1
        url, body, headers = server.post(size, counter[0])
        return "POST", url, body, headers
    return asyncio.run(drive(server.base, make, concurrency, seconds, {201, 202}))


# --- the burst --------------------------------------------------------------------------------------

BURST_POSTS, BURST_SECONDS = 2000, 10.0
BURST_TIMEOUT = 60.0  # a client gives up on an answer after this long (counted as "no answer")
SCORED_WITHIN = 60.0  # the bound: every acknowledged comment decided this long after the burst
SCORED_WAIT = 180.0  # how long the bench keeps looking before it reports "not all scored"
BURST_BEGIN, BURST_END = "<!-- burst -->", "<!-- /burst -->"


@dataclass
class Burst:
    server: str
    offered: int = 0
    acked: dict[int, float] = field(default_factory=dict)  # comment id -> seconds until the answer
    statuses: dict[int, int] = field(default_factory=dict)
    refused_with_retry_after: int = 0
    started: float = 0.0  # time.monotonic() when the first post was offered
    last_answer: float = 0.0  # seconds after the first post was offered
    stored: int = 0  # acknowledged comments found in the database
    scored_after: float | None = None  # seconds after the burst's end until every one had its decision
    unscored: int = 0
    rss_mb: float = 0.0

    def pct(self, q: float) -> float:
        lat = sorted(self.acked.values()) or [0.0]
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000


async def offer(base: str, make, n: int, seconds: float, server: str) -> Burst:
    """``n`` posts, the i-th sent at i * seconds / n whatever the answers so far."""
    out = Burst(server, offered=n)
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=base, timeout=BURST_TIMEOUT, limits=limits) as c:
        t0 = out.started = time.monotonic()

        async def one(i: int) -> None:
            await asyncio.sleep(max(0.0, t0 + i * seconds / n - time.monotonic()))
            url, body, headers = make(i)
            sent = time.monotonic()
            try:
                r = await c.post(url, json=body, headers=headers)
                code = r.status_code
            except httpx.HTTPError:
                code = 0  # no answer within BURST_TIMEOUT, or the connection failed
            out.statuses[code] = out.statuses.get(code, 0) + 1
            out.last_answer = max(out.last_answer, time.monotonic() - t0)
            if code in (200, 201, 202):
                out.acked[int(r.json()["id"])] = time.monotonic() - sent
            elif code == 503 and r.headers.get("retry-after"):
                out.refused_with_retry_after += 1

        await asyncio.gather(*(one(i) for i in range(n)))
    return out


def stored_ids(db_file: Path, ids: list[int], decided: bool = False) -> set[int]:
    """Which of these comments are in the database (with ``decided``: and have a decision)."""
    import sqlite3

    found: set[int] = set()
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30) as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            sql = (f"SELECT DISTINCT comment_id FROM decisions WHERE comment_id IN ({marks})" if decided
                   else f"SELECT id FROM comments WHERE id IN ({marks})")
            found.update(row[0] for row in conn.execute(sql, chunk))
    return found


def burst_remarks(tmp: Path) -> Burst:
    rem = Remarks(tmp, checks=None, tag="-burst")  # all checks: the burst is what surge mode is for
    rem.seed(20)
    rem.start()
    try:
        rem.log_in(20)

        def make(i: int):
            return rem.post(200, i)
        b = asyncio.run(offer(rem.base, make, BURST_POSTS, BURST_SECONDS, "remarks"))
        end = BURST_SECONDS  # the burst's end: the last post offered
        db_file = Path(rem.db_url.removeprefix("sqlite:///"))
        ids = list(b.acked)
        b.stored = len(stored_ids(db_file, ids))
        while True:
            waiting = len(ids) - len(stored_ids(db_file, ids, decided=True))
            since_end = time.monotonic() - b.started - end
            if waiting == 0:
                b.scored_after = max(0.0, since_end)
                break
            if since_end > SCORED_WAIT:
                b.unscored = waiting
                break
            time.sleep(1.0)
        b.rss_mb = sum(rss_mb(p) for p in rem.pids())
    finally:
        rem.stop()
    return b


def burst_isso(tmp: Path, venv: Path) -> Burst:
    isso = Isso(tmp, venv)
    isso.start()
    try:
        isso.seed()

        def make(i: int):
            return isso.post(200, i)
        b = asyncio.run(offer(isso.base, make, BURST_POSTS, BURST_SECONDS, "Isso"))
        b.stored = len(stored_ids(tmp / "isso.db", list(b.acked)))
        b.rss_mb = rss_mb(isso.proc.pid)
    finally:
        isso.stop()
    return b


def burst_section(results: list[Burst]) -> str:
    load = os.getloadavg()
    rows = ["| server | offered | acknowledged (201/202) | refused 503 + Retry-After | other answers | no answer in "
            f"{BURST_TIMEOUT:.0f} s | acknowledged, not in the database | p50 / p99 ms to acknowledge | last answer "
            "after the first post | every acknowledged comment scored | RSS after |", "|" + "---|" * 11]
    for b in results:
        other = sum(v for k, v in b.statuses.items() if k not in (0, 200, 201, 202, 503))
        other += b.statuses.get(503, 0) - b.refused_with_retry_after
        scored = ("(no checks)" if b.server == "Isso" else
                  f"{b.scored_after:.0f} s after the burst's end" if b.scored_after is not None else
                  f"**no**: {b.unscored} still unscored {SCORED_WAIT:.0f} s after the burst's end")
        rows.append(f"| {b.server} | {b.offered} | {len(b.acked)} | {b.refused_with_retry_after} | {other} | "
                    f"{b.statuses.get(0, 0)} | {len(b.acked) - b.stored} | {b.pct(.5):.0f} / {b.pct(.99):.0f} | "
                    f"{b.last_answer:.1f} s | {scored} | {b.rss_mb:.0f} MB |")
    statuses = "; ".join(f"{b.server} {dict(sorted(b.statuses.items()))}" for b in results)
    return "\n".join([
        BURST_BEGIN, "## The burst: 2,000 posts offered in 10 s", "",
        f"Generated by `bench/surge.py --burst`: {BURST_POSTS:,} comment posts offered in {BURST_SECONDS:.0f} s "
        "(one every 5 ms, open loop: each leaves at its time whatever the answers so far), to remarks with "
        f"{checks_config()} (surge mode at its defaults) and then to Isso (no checks), one server process each, SQLite, "
        "loopback, the load generator on the same 2 cores. Afterwards the bench reads each database: every "
        "acknowledged comment must be there, and for remarks it waits until each has its automatic decision "
        f"(target: within {SCORED_WITHIN:.0f} s of the burst's end). Load average when the report was written: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min).", "",
        *rows, "", f"Statuses: {statuses} (0 = no answer).", BURST_END])


# --- posting, side by side (--posts) ------------------------------------------------------------------

POSTS_BEGIN, POSTS_END = "<!-- posts -->", "<!-- /posts -->"
CHECKS_RATE_CODE = """
import sys, time, uuid
from dataclasses import replace
from remarks.checks.base import CommentContext
from remarks.checks.registry import load_checks
from remarks.moderation.memory import DictMemory
from remarks.moderation.pipeline import Pipeline
pipe = Pipeline(load_checks(None))
text, batch, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def ctxs(n):
    return pipe.provide([CommentContext(text=f"{text} [{uuid.uuid4().hex[:8]}]", article_title="A story with 200 comments",
                                        article_body="The story.") for _ in range(n)], DictMemory())
pipe.score(ctxs(batch))  # warm
done, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < seconds:
    pipe.score(ctxs(batch))
    done += batch
print(done / (time.perf_counter() - t0))
"""


def checks_rate(batch: int = 16, seconds: float = 10.0, src: Path = ROOT / "src") -> float:
    """The checks' own batched throughput (comments/s) on this machine now: the same comment text and
    article as the posts, batches of ``batch`` through ``Pipeline.score``, in a process of its own."""
    out = subprocess.run([sys.executable, "-c", CHECKS_RATE_CODE, TEXT, str(batch), str(seconds)], capture_output=True,
                         text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(src)}, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def checks_config() -> str:
    """Which checks "all checks" means in this run (the fine-tuned encoder may be switched on or off)."""
    from remarks.ml import encoder

    return ("all checks with the fine-tuned encoder switched on" if encoder.in_checks() else
            "all checks, the fine-tuned encoder switched off")


def posts_section(results: dict, levels: list[int], rates: list[float], reps: int, seconds: float,
                  config: str, two_processes: bool = False, before: bool = False) -> str:
    load = os.getloadavg()
    rate = sum(rates) / len(rates)
    rows = ["| server | posting | concurrency | comments/s | p50 ms | p99 ms | server CPU ms a post | statuses | against |",
            "|---|---|---|---|---|---|---|---|---|"]
    for c in levels:
        isso = results.get(("Isso", c))
        for key, label in ((("remarks-off", c), "checks off"), (("Isso", c), "(no checks)"),
                           (("remarks-off-2", c), "checks off, 2 processes"),
                           (("remarks-off-before", c), "checks off, the code before"),
                           (("remarks-all", c), "all checks"), (("remarks-all-before", c), "all checks, the code before")):
            r = results.get(key)
            if r is None:
                continue
            against = ("-" if key[0] == "Isso" else
                       f"{r.rate / isso.rate:.2f}× Isso" if key[0].startswith("remarks-off") and isso and isso.rate else
                       f"{r.rate / rate:.0%} of the checks' own {rate:.0f}/s")
            rows.append(f"| {'Isso' if key[0] == 'Isso' else 'remarks'} | {label} | {c} | {r.rate:.1f} | "
                        f"{r.pct(.5):.0f} | {r.pct(.99):.0f} | {1000 * r.cpu / max(r.ok, 1):.1f} | "
                        f"{dict(sorted(r.statuses.items()))} | {against} |")
    return "\n".join([
        POSTS_BEGIN, "## Posting: remarks (checks off, all checks) and Isso", "",
        f"Generated by `bench/surge.py --posts --seconds {seconds:g} --reps {reps}"
        f"{' --two-processes' if two_processes else ''}{' --before-src DIR' if before else ''}`: closed-loop posters (each sends "
        f"its next comment when the last is answered; driven by {GENERATOR[0]}) on the 200-comment story, one server "
        "process each, SQLite, "
        f"loopback; remarks with its checks off and Isso alternate run by run ({reps} times each, pooled), then "
        f"remarks with all checks ({config}). "
        f"{'With --two-processes, remarks with its checks off also ran as two server processes (--workers 2) in the same rounds (the comparison with Isso stays one process each). ' if two_processes else ''}"
        f"{'With --before-src, the code before the change ran too, in the same rounds (its checks off after Isso; with all checks after the code after). ' if before else ''}"
        "The checks' own batched throughput is measured in the same run "
        "(batches of 16 of the same comment under the same story through `Pipeline.score`, in a process of its "
        f"own, before and after the posting runs: {', '.join(f'{x:.0f}' for x in rates)} comments/s). Server CPU "
        "a post: the CPU time (user + system) of the server's processes during the runs over the comments "
        "acknowledged. Load average after each run (1 min): "
        f"{min(x for r in results.values() for x in r.load):.1f} to {max(x for r in results.values() for x in r.load):.1f}; "
        f"when the report was written: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.", "",
        *rows, POSTS_END])


def posts_run(tmp: Path, venv: Path, levels: list[int], reps: int, seconds: float, config: str,
              two_processes: bool = False, before_src: Path | None = None) -> str:
    results: dict[tuple[str, int], Result] = {}

    def keep(key: tuple[str, int], r: Result) -> None:
        results.setdefault(key, Result(key[0], "post", key[1])).add(r)
        print(f"{key[0]:12} c={key[1]:3} {r.rate:8.1f}/s p99 {r.pct(0.99):7.0f} ms "
              f"cpu {1000 * r.cpu / max(r.ok, 1):5.1f} ms/post {r.statuses}", flush=True)

    rates = [checks_rate()]
    isso, off = Isso(tmp, venv), Remarks(tmp, checks="[]", tag="-posts-off")
    # With --two-processes, remarks with its checks off also as two server processes (--workers 2), in the
    # same A/B rounds; the comparison with Isso stays one process each.
    two = Remarks(tmp, checks="[]", workers=2, tag="-posts-off2") if two_processes else None
    # With --before-src, the code before the change (its checks off, then all checks) in the same rounds.
    old = Remarks(tmp, checks="[]", tag="-posts-off-before") if before_src else None
    for server in (off, two, old):
        if server is not None:
            server.proc = None
    isso.start()
    try:
        for server, src in ((off, ROOT / "src"), (two, ROOT / "src"), (old, before_src)):
            if server is not None:
                server.seed(max(levels), src)
                server.start(src)
                server.log_in(max(levels))
        for c in levels:
            for _ in range(reps):
                keep(("remarks-off", c), posts(off, 200, c, seconds))
                keep(("Isso", c), posts(isso, 200, c, seconds))
                if two is not None:
                    keep(("remarks-off-2", c), posts(two, 200, c, seconds))
                if old is not None:
                    keep(("remarks-off-before", c), posts(old, 200, c, seconds))
    finally:
        for server in (off, two, old):
            if server is not None and server.proc is not None:
                server.stop()
        isso.stop()
    full = Remarks(tmp, checks=None, tag="-posts-all")
    full_old = Remarks(tmp, checks=None, tag="-posts-all-before") if before_src else None
    for server in (full, full_old):
        if server is not None:
            server.proc = None
    try:
        for server, src in ((full, ROOT / "src"), (full_old, before_src)):
            if server is not None:
                server.seed(max(levels), src)
                server.start(src)
                server.log_in(max(levels))
        for c in levels:
            for _ in range(reps):
                keep(("remarks-all", c), posts(full, 200, c, seconds))
                if full_old is not None:
                    keep(("remarks-all-before", c), posts(full_old, 200, c, seconds))
    finally:
        for server in (full, full_old):
            if server is not None and server.proc is not None:
                server.stop()
    rates.append(checks_rate())
    return posts_section(results, levels, rates, reps, seconds, config, two_processes, before_src is not None)


# --- memory after 10,000 requests ---------------------------------------------------------------------

RSS_REQUESTS, RSS_CLIENTS, RSS_POST_EVERY, RSS_STORIES = 10_000, 16, 20, 10
STORY = ("Water reached the lower town at dawn after the dam above the valley gave way. {n} The council had "
         "been warned about cracks in the spillway two years ago, according to documents seen by this paper. ")
RSS_BEGIN, RSS_END = "<!-- rss -->", "<!-- /rss -->"


def rss_seed(rem: Remarks, tmp: Path) -> list[int]:
    """Stories with long bodies: a comment under each makes the relevance check embed its sentences."""
    from remarks import db as dbmod
    from remarks.models import Article

    engine = dbmod.make_engine(rem.db_url)
    with dbmod.unit_of_work(dbmod.make_sessionmaker(engine)) as s:
        arts = [Article(slug=f"long-{k}", title=f"Dam failure, day {k}: what the council knew",
                        body=" ".join(STORY.format(n=f"Paragraph {j} of report {k} names the engineer who "
                                                   f"signed off inspection {j}.") for j in range(30)))
                for k in range(RSS_STORIES)]
        s.add_all(arts)
        s.flush()
        ids = [a.id for a in arts]
    engine.dispose()
    return ids


def rss_run(tmp: Path, src: Path, label: str) -> dict:
    """One server process with all checks: RSS after start (models loaded), then after RSS_REQUESTS
    requests (16 clients; one in RSS_POST_EVERY a comment under one of the long stories, the rest
    reads of the thread JSON and the article page)."""
    rem = Remarks(tmp, checks=None, tag=f"-rss-{label}")
    rem.seed(RSS_CLIENTS, src)
    stories = rss_seed(rem, tmp)
    rem.start(src)
    try:
        rem.log_in(RSS_CLIENTS)
        pid = max(rem.pids())  # the server (the process group also holds its start-up wrapper, if any)
        started = sum(rss_mb(p) for p in rem.pids())
        counter = [0]

        def make(i: int):
            counter[0] += 1
            n = counter[0]
            if n % RSS_POST_EVERY == 0:
                key = str(uuid.uuid4())
                return ("POST", f"/api/v1/articles/{stories[n // RSS_POST_EVERY % len(stories)]}/comments",
                        {"text": f"Who signed off inspection {n % 30}? The council must answer ({key[:8]}).",
                         "idempotency_key": key}, rem.heads[i % len(rem.heads)])
            return "GET", rem.read_url(200, "json" if n % 2 else "html"), None, {}
        t0 = time.monotonic()
        res = asyncio.run(count_bounded(rem.base, make, RSS_CLIENTS, RSS_REQUESTS))
        seconds = time.monotonic() - t0
        after = sum(rss_mb(p) for p in rem.pids())
        peak = vm_hwm_mb(pid)
    finally:
        rem.stop()
    return {"label": label, "started": started, "after": after, "peak": peak, "seconds": seconds,
            "statuses": dict(sorted(res.statuses.items())), "requests": sum(res.statuses.values())}


def vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def count_bounded(base: str, make, concurrency: int, total: int) -> Result:
    res = Result("", "", concurrency)
    left = [total]
    limits = httpx.Limits(max_connections=concurrency + 2, max_keepalive_connections=concurrency + 2)

    async def client(i: int, c: httpx.AsyncClient) -> None:
        while left[0] > 0:
            left[0] -= 1
            method, url, body, headers = make(i)
            try:
                code = (await c.request(method, url, json=body, headers=headers)).status_code
            except httpx.HTTPError:
                code = 0
            res.statuses[code] = res.statuses.get(code, 0) + 1

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as c:
        await asyncio.gather(*(client(i, c) for i in range(concurrency)))
    return res


def rss_section(runs: list[dict], before_ref: str) -> str:
    load = os.getloadavg()
    rows = ["| server code | RSS after start (models loaded) | RSS after 10,000 requests | peak (VmHWM) | took | "
            "statuses |", "|---|---|---|---|---|---|"]
    rows += [f"| {r['label']} | {r['started']:.0f} MB | {r['after']:.0f} MB | {r['peak']:.0f} MB | {r['seconds']:.0f} s | "
             f"{r['statuses']} |" for r in runs]
    return "\n".join([
        RSS_BEGIN, "## Memory: one process with all checks, after 10,000 requests", "",
        f"Generated by `bench/surge.py --rss --before-src DIR`: one server process with {checks_config()}, "
        f"{RSS_REQUESTS:,} requests from {RSS_CLIENTS} clients (one in {RSS_POST_EVERY} a comment under one of "
        f"{RSS_STORIES} long stories, so the relevance check embeds each story's sentences; the rest alternate the "
        "thread JSON and the article page of the 200-comment story); the same run starts the code before the change "
        f"({before_ref}) and after it, one after the other, on the same machine. Load average when the report was "
        f"written: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.", "", *rows, RSS_END])


def write_section(out: Path, section: str, begin: str, end: str) -> None:
    text = out.read_text() if out.exists() else "# Surge: remarks and Isso side by side\n"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    out.write_text(text)
    print(section)


# --- the run ---------------------------------------------------------------------------------------


def isso_venv(given: Path | None, tmp: Path) -> Path:
    if given:
        return given
    venv = tmp / "isso-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", ISSO], check=True, timeout=900)
    return venv


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--reps", type=int, default=2, help="A/B repetitions per measurement")
    ap.add_argument("--levels", default="1,8,32", help="concurrency levels for reads")
    ap.add_argument("--post-levels", default="4,16", help="concurrency levels for posts")
    ap.add_argument("--isso-venv", type=Path, help="an existing virtualenv with isso (else one is made)")
    ap.add_argument("--all-checks", action="store_true", help="also measure remarks posting with all checks")
    ap.add_argument("--generator", choices=("wrk", "python"), default=GENERATOR[0],
                    help="what drives the reads and posts (default: wrk when installed)")
    ap.add_argument("--only-reads", action="store_true", help="skip the posts (for a quick look; use with --out)")
    ap.add_argument("--burst", action="store_true", help="only the burst: 2,000 posts offered in 10 s")
    ap.add_argument("--rss", action="store_true", help="only the memory after 10,000 requests, all checks")
    ap.add_argument("--posts", action="store_true", help="only posting: checks off vs Isso, all checks vs the "
                    "checks' own batched rate (a section of the report)")
    ap.add_argument("--two-processes", action="store_true", help="with --posts: also remarks (checks off) as two "
                    "server processes (--workers 2), in the same A/B rounds")
    ap.add_argument("--before-src", type=Path, help="with --rss or --posts: a src/ folder of the code before (A/B in "
                    "one run)")
    ap.add_argument("--before-ref", default="the previous commit", help="with --rss: what --before-src is")
    ap.add_argument("--out", type=Path, default=HERE / "reports" / "surge.md")
    args = ap.parse_args()
    GENERATOR[0] = args.generator
    if args.only_reads:
        args.post_levels, args.all_checks = "", False
    tmp = Path(tempfile.mkdtemp(prefix="surge-"))
    if args.rss:
        runs = [rss_run(tmp, args.before_src, "before")] if args.before_src else []
        runs.append(rss_run(tmp, ROOT / "src", "after"))
        write_section(args.out, rss_section(runs, args.before_ref), RSS_BEGIN, RSS_END)
        return
    if args.posts:
        venv = isso_venv(args.isso_venv, tmp)
        config = checks_config()
        section = posts_run(tmp, venv, [int(x) for x in args.post_levels.split(",")], args.reps, args.seconds, config,
                            two_processes=args.two_processes, before_src=args.before_src)
        print(section)
        write_section(args.out, section, POSTS_BEGIN, POSTS_END)
        return
    if args.burst:
        venv = isso_venv(args.isso_venv, tmp)
        results = [burst_remarks(tmp)]
        print(burst_section(results), flush=True)
        results.append(burst_isso(tmp, venv))
        write_section(args.out, burst_section(results), BURST_BEGIN, BURST_END)
        return
    levels = [int(x) for x in args.levels.split(",")]
    post_levels = [int(x) for x in args.post_levels.split(",") if x]
    results: dict[tuple[str, str, int], Result] = {}
    notes: list[str] = []

    def keep(server: str, what: str, c: int, r: Result) -> None:
        r.server, r.what = server, what
        results.setdefault((server, what, c), Result(server, what, c)).add(r)
        print(f"{server:8} {what:34} c={c:3} {r.rate:8.1f}/s p99 {r.pct(0.99):7.0f} ms {r.statuses}", flush=True)

    venv = isso_venv(args.isso_venv, tmp)
    isso = Isso(tmp, venv)
    rem = Remarks(tmp, checks="[]")
    rem.proc = None
    isso.start()
    try:
        isso.seed()
        rem.seed(max(post_levels, default=16))
        rem.start()
        rem.log_in(max(post_levels, default=16))
        for c in levels:
            for _ in range(args.reps):  # A/B/A/B
                keep("remarks", "read JSON, 200 comments", c, reads(rem, 200, c, args.seconds))
                keep("Isso", "read JSON, 200 comments", c, reads(isso, 200, c, args.seconds))
        top = max(levels)
        for _ in range(args.reps):
            keep("remarks", "read JSON, 2,000 comments", top, reads(rem, 2000, top, args.seconds))
            keep("Isso", "read JSON, 2,000 comments", top, reads(isso, 2000, top, args.seconds))
            keep("remarks", "read HTML page, 200 comments", top, reads(rem, 200, top, args.seconds, "html"))
            keep("remarks", "read JSON logged in, 200 comments", top,
                 reads(rem, 200, top, args.seconds, logged_in=True))
        for c in post_levels:
            for _ in range(args.reps):
                keep("remarks", "post, checks off", c, posts(rem, 200, c, args.seconds))
                keep("Isso", "post (no checks)", c, posts(isso, 200, c, args.seconds))
        rss_remarks = sum(rss_mb(p) for p in rem.pids())
        rss_isso = rss_mb(isso.proc.pid)
    finally:
        if rem.proc is not None:
            rem.stop()
        isso.stop()
    if args.all_checks:
        full = Remarks(tmp, checks=None, tag="-checks")
        full.seed(max(post_levels))
        full.start()
        try:
            full.log_in(max(post_levels))
            for c in post_levels:
                for _ in range(args.reps):
                    keep("remarks", "post, all checks", c, posts(full, 200, c, args.seconds))
            rss_full = sum(rss_mb(p) for p in full.pids())
        finally:
            full.stop()
        notes.append(f"remarks with all checks: {rss_full:.0f} MB RSS after its runs.")
    write_report(args, results, levels, post_levels, rss_remarks, rss_isso, notes)


MAIN_BEGIN, MAIN_END = "<!-- main -->", "<!-- /main -->"


def ms(x: float) -> str:
    """Milliseconds as the table shows them: tenths below 10 ms (a cached read's p50 is under one)."""
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"


def write_report(args, results, levels, post_levels, rss_remarks, rss_isso, notes) -> None:
    """Rewrites the main table's section of the report (between its markers), nothing else."""
    rows = ["| measurement | concurrency | remarks /s | remarks p50 ms | remarks p99 ms | Isso /s | Isso p50 ms | "
            "Isso p99 ms | ratio (remarks/Isso) | remarks statuses | Isso statuses |", "|" + "---|" * 11]
    whats = []
    for (_, what, c) in results:
        if (what, c) not in whats:
            whats.append((what, c))
    for what, c in whats:
        r = results.get(("remarks", what, c))
        i = results.get(("Isso", what.replace("post, checks off", "post (no checks)"), c))
        if r is None:
            continue
        ratio = f"{r.rate / i.rate:.1f}×" if i and i.rate else "(no Isso equivalent)"
        rows.append(f"| {what} | {c} | {r.rate:.0f} | {ms(r.pct(.5))} | {ms(r.pct(.99))} | "
                    f"{f'{i.rate:.0f}' if i else '-'} | {ms(i.pct(.5)) if i else '-'} | "
                    f"{ms(i.pct(.99)) if i else '-'} | {ratio} | {r.statuses} | {i.statuses if i else '-'} |")
    plot = plot_png(results, levels, post_levels, args.out.with_suffix(".png"))
    loads = [x for r in results.values() for x in r.load]
    now = os.getloadavg()
    generator = ("reads and posts are driven by `wrk` (Debian's package, one thread, one connection per reader or "
                 "poster, no cookies kept: every request a new reader; a post a new text and idempotency key; p50 "
                 "pooled over the runs weighted by requests, p99 the worst run's)" if GENERATOR[0] == "wrk" else
                 "reads and posts are driven by the Python asyncio generator (httpx)")
    section = [
        MAIN_BEGIN,
        f"Generated by `bench/surge.py --seconds {args.seconds:g} --reps {args.reps}"
        f"{' --all-checks' if args.all_checks else ''}` on 2 shared cores, SQLite, "
        "loopback, one server process each, the load generator on the same machine: " + generator + ", the same "
        "for both servers. Each measurement alternates "
        f"remarks and Isso run by run (A/B, {args.reps} times, pooled), so the machine's other load falls on both. "
        "Both serve the same data: one article with 200 comments and one with 2,000 (top-level comments; Isso asked "
        "for `limit=50` top-level comments, remarks serves its page of 50 threads). Posting is compared with "
        "remarks' checks off (`REMARKS_CHECKS=[]`): Isso has no moderation checks. The HTML page and logged-in "
        "reads have no Isso equivalent (Isso serves JSON to its JavaScript client only). "
        + (f"The machine's 1-minute load average after each read run: {min(loads):.1f} to {max(loads):.1f}; "
           if loads else "") + f"when the report was written: {now[0]:.1f} / {now[1]:.1f} / {now[2]:.1f} (1 / 5 / 15 min).",
        "", *rows, "",
        f"RSS after the runs: remarks {rss_remarks:.0f} MB (checks off), Isso {rss_isso:.0f} MB.", *notes, "",
        f"![throughput and p99 against concurrency]({plot})" if plot else "",
        MAIN_END,
    ]
    text = args.out.read_text() if args.out.exists() else "# Surge: remarks and Isso side by side\n"
    if MAIN_BEGIN not in text:  # a report from before the markers: the section goes under the title
        title, _, rest = text.partition("\n")
        args.out.write_text(title + "\n\n" + MAIN_BEGIN + "\n" + MAIN_END + "\n" + rest)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_section(args.out, "\n".join(section), MAIN_BEGIN, MAIN_END)


def plot_png(results, levels, post_levels, path: Path) -> str | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for server, what, style in (("remarks", "read JSON, 200 comments", "o-"), ("Isso", "read JSON, 200 comments", "s--"),
                                ("remarks", "post, checks off", "o-"), ("Isso", "post (no checks)", "s--")):
        xs = [c for c in (levels if what.startswith("read") else post_levels) if (server, what, c) in results]
        if not xs:
            continue
        rate = [results[(server, what, c)].rate for c in xs]
        p99 = [results[(server, what, c)].pct(.99) for c in xs]
        axes[0].plot(xs, rate, style, label=f"{server}: {what}")
        axes[1].plot(xs, p99, style, label=f"{server}: {what}")
    axes[0].set(xlabel="concurrent clients", ylabel="requests/s (2xx)", title="Throughput", xscale="log", yscale="log")
    axes[1].set(xlabel="concurrent clients", ylabel="p99 latency, ms", title="p99 latency", xscale="log", yscale="log")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    return path.name


if __name__ == "__main__":
    main()
