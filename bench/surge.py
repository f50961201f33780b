"""remarks side by side with Isso under a breaking-news load, on loopback, in one run.

Installs Isso (PyPI ``isso``) into its own virtualenv in a temporary folder (never in the project),
seeds both servers with the same data (one article with 200 comments, one with 2,000), and drives
both with the same asyncio load generator, alternating remarks and Isso run by run (A/B/A/B) so the
machine's other load falls on both. Bounded: every run lasts ``--seconds`` and stops at
``MAX_REQUESTS``; nothing leaves 127.0.0.1. Writes bench/reports/surge.md and surge.png.

    .venv/bin/python bench/surge.py [--seconds 5] [--reps 2] [--isso-venv DIR] [--all-checks]

Where Isso has no equivalent (moderation checks, HTML pages, logged-in readers) remarks is measured
alone and the report says so; posting is compared with remarks' checks off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
MAX_REQUESTS = 20_000  # per run, whatever the duration
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


class Remarks:
    name = "remarks"

    def __init__(self, tmp: Path, checks: str | None, workers: int = 1, tag: str = "") -> None:
        self.db_url = f"sqlite:///{tmp / f'remarks{tag}.db'}"
        self.checks, self.workers, self.tmp = checks, workers, tmp
        self.article_ids: dict[int, int] = {}
        self.heads: list[dict[str, str]] = []

    def seed(self, n_users: int) -> None:
        from remarks import db as dbmod
        from remarks.models import Article, Comment
        from remarks.services import accounts

        dbmod.upgrade(self.db_url)
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

    def start(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "REMARKS_COMMENTS_PER_MINUTE": "1000000", "REMARKS_WEBHOOKS_ENABLED": "false",
               "REMARKS_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT / "src")}
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

    def add(self, other: Result) -> None:
        self.ok += other.ok
        self.seconds += other.seconds
        self.latencies += other.latencies
        for k, v in other.statuses.items():
            self.statuses[k] = self.statuses.get(k, 0) + v

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
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

    def make(i: int):
        return "GET", url, None, (server.heads[i % len(server.heads)] if logged_in else {})
    return asyncio.run(drive(server.base, make, concurrency, seconds, {200}))


def posts(server, size: int, concurrency: int, seconds: float) -> Result:
    counter = [0]

    def make(i: int):
        counter[0] += 1
        url, body, headers = server.post(size, counter[0])
        return "POST", url, body, headers
    return asyncio.run(drive(server.base, make, concurrency, seconds, {201, 202}))


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
    ap.add_argument("--out", type=Path, default=HERE / "reports" / "surge.md")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="surge-"))
    levels = [int(x) for x in args.levels.split(",")]
    post_levels = [int(x) for x in args.post_levels.split(",")]
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
        rem.seed(max(post_levels))
        rem.start()
        rem.log_in(max(post_levels))
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


def write_report(args, results, levels, post_levels, rss_remarks, rss_isso, notes) -> None:
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
        rows.append(f"| {what} | {c} | {r.rate:.0f} | {r.pct(.5):.0f} | {r.pct(.99):.0f} | "
                    f"{f'{i.rate:.0f}' if i else '-'} | {f'{i.pct(.5):.0f}' if i else '-'} | "
                    f"{f'{i.pct(.99):.0f}' if i else '-'} | {ratio} | {r.statuses} | {i.statuses if i else '-'} |")
    plot = plot_png(results, levels, post_levels, args.out.with_suffix(".png"))
    text = [
        "# Surge: remarks and Isso side by side", "",
        f"Generated by `bench/surge.py --seconds {args.seconds:g} --reps {args.reps}` on 2 shared cores, SQLite, "
        "loopback, one server process each, the load generator on the same machine. Each measurement alternates "
        f"remarks and Isso run by run (A/B, {args.reps} times, pooled), so the machine's other load falls on both. "
        "Both serve the same data: one article with 200 comments and one with 2,000 (top-level comments; Isso asked "
        "for `limit=50` top-level comments, remarks serves its page of 50 threads). Posting is compared with "
        "remarks' checks off (`REMARKS_CHECKS=[]`): Isso has no moderation checks. The HTML page and logged-in "
        "reads have no Isso equivalent (Isso serves JSON to its JavaScript client only).", "",
        *rows, "",
        f"RSS after the runs: remarks {rss_remarks:.0f} MB (checks off), Isso {rss_isso:.0f} MB.", *notes, "",
        f"![throughput and p99 against concurrency]({plot})" if plot else "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text) + "\n")
    print("\n".join(text))


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
