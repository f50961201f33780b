"""A bounded load on loopback: N concurrent commenters post comments for T seconds through the
API, each POST with an idempotency key (a retry after a timeout or a 5xx reuses it). Afterwards
every acknowledged comment must be in the database exactly once. SQLite and PostgreSQL side by
side; writes bench/reports/load.md.

    .venv/bin/python bench/load.py [--seconds 20] [--concurrency 16] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

HERE = Path(__file__).parent
MAX_REQUESTS = 50_000  # a hard cap, whatever the duration


@dataclass
class Tally:
    acked: dict[str, int] = field(default_factory=dict)  # idempotency key -> comment id
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    retries: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, port: int, *, checks: str | None, workers: int = 1, log: Path | None = None
                 ) -> subprocess.Popen:
    env = {**os.environ, "REMARKS_COMMENTS_PER_MINUTE": "1000000", "REMARKS_WEBHOOKS_ENABLED": "false"}
    if checks:
        env["REMARKS_CHECKS"] = checks
    out = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - the server writes to it while it runs
    proc = subprocess.Popen([sys.executable, "-m", "remarks.cli", "serve", "--db", db_url, "--port", str(port),
                             "--demo", "--workers", str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
    raise RuntimeError("the server did not start")


def tokens(base: str, n: int, db_url: str | None = None) -> list[dict[str, str]]:
    """Bearer tokens for n commenters: accounts signed up through the form, and once the per-address
    sign-up limit says no, made with `remarks user create`."""
    out = []
    with httpx.Client(base_url=base, timeout=30) as c:
        for i in range(n):
            name = f"load{i}{uuid.uuid4().hex[:6]}"
            with httpx.Client(base_url=base, timeout=30) as f:
                page = f.get("/signup").text
                csrf = page.split('name="csrf" value="')[1].split('"')[0]
                made = f.post("/signup", data={"username": name, "password": "load-test-password", "csrf": csrf})
            if made.status_code == 429 and db_url:
                subprocess.run([sys.executable, "-m", "remarks.cli", "user", "create", name, "--password",
                                "load-test-password", "--db", db_url], check=True, capture_output=True, timeout=120)
            r = c.post("/api/v1/session", json={"username": name, "password": "load-test-password"})
            out.append({"Authorization": f"Bearer {r.json()['token']}"})
    return out


async def commenter(client: httpx.AsyncClient, headers: dict, stop: float, tally: Tally, article_id: int,
                    budget: list[int]) -> None:
    rnd = random.Random()
    while time.monotonic() < stop and budget[0] > 0:
        budget[0] -= 1
        key = str(uuid.uuid4())
        body = {"text": f"Load comment {key[:8]}: the inquiry should publish the warning it received.",
                "idempotency_key": key}
        for attempt in range(6):
            t0 = time.perf_counter()
            try:
                r = await client.post(f"/api/v1/articles/{article_id}/comments", json=body, headers=headers)
            except httpx.HTTPError as exc:
                tally.errors[type(exc).__name__] = tally.errors.get(type(exc).__name__, 0) + 1
                if time.monotonic() > stop + 30:
                    break
                tally.retries += 1
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            tally.latencies.append(time.perf_counter() - t0)
            if r.status_code == 201:
                tally.acked[key] = r.json()["id"]
                break
            tally.errors[str(r.status_code)] = tally.errors.get(str(r.status_code), 0) + 1
            if r.status_code < 500:
                break
            tally.retries += 1
            await asyncio.sleep(0.2 * (attempt + 1) + rnd.random() * 0.1)


async def load(base: str, heads: list[dict], seconds: float, article_id: int = 1, cap: int = MAX_REQUESTS) -> Tally:
    tally = Tally()
    stop = time.monotonic() + seconds
    budget = [cap]
    limits = httpx.Limits(max_connections=len(heads) + 4)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        await asyncio.gather(*(commenter(client, h, stop, tally, article_id, budget) for h in heads))
    return tally


def verify(db_url: str, tally: Tally) -> dict[str, int]:
    """Every acknowledged comment stored exactly once, whole: checks, a decision and audit events."""
    eng = create_engine(db_url)
    keys = list(tally.acked)
    found = missing = duplicated = half = 0
    with eng.connect() as conn:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = conn.execute(text(
                "SELECT c.idempotency_key, c.id, "
                "(SELECT count(*) FROM check_results r WHERE r.comment_id = c.id), "
                "(SELECT count(*) FROM decisions d WHERE d.comment_id = c.id), "
                "(SELECT count(*) FROM audit_events e WHERE e.subject_type = 'comment' AND e.subject_id = c.id) "
                "FROM comments c WHERE c.idempotency_key IN :keys").bindparams(
                __import__("sqlalchemy").bindparam("keys", expanding=True)), {"keys": chunk}).all()
            seen: dict[str, int] = {}
            for key, cid, n_checks, n_dec, n_audit in rows:
                seen[key] = seen.get(key, 0) + 1
                if cid != tally.acked[key]:
                    duplicated += 1
                if n_checks == 0 or n_dec == 0 or n_audit < 2:
                    half += 1
            found += len(seen)
            missing += len(set(chunk) - set(seen))
            duplicated += sum(v - 1 for v in seen.values())
    eng.dispose()
    return {"acknowledged": len(keys), "found": found, "missing": missing, "duplicated": duplicated,
            "half_written": half}


def summary(tally: Tally, seconds: float) -> dict[str, float]:
    lat = sorted(tally.latencies) or [0.0]
    return {"posts_per_s": len(tally.acked) / seconds, "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000, "retries": tally.retries,
            "errors": sum(tally.errors.values())}


def run(label: str, db_url: str, seconds: float, concurrency: int, checks: str | None, workers: int) -> dict:
    port = free_port()
    proc = start_server(db_url, port, checks=checks, workers=workers)
    try:
        base = f"http://127.0.0.1:{port}"
        heads = tokens(base, concurrency, db_url)
        t0 = time.monotonic()
        tally = asyncio.run(load(base, heads, seconds))
        elapsed = time.monotonic() - t0
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(20)
    return {"label": label, **summary(tally, elapsed), **verify(db_url, tally), "error_kinds": tally.errors}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--pg", help="A PostgreSQL URL for an empty database (else only SQLite).",
                    default=os.environ.get("REMARKS_BENCH_POSTGRES_URL"))
    ap.add_argument("--out", type=Path, default=HERE / "reports" / "load.md")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    rows = []
    for checks, what in ((None, "all checks"), ('["wordlist", "links"]', "placeholder checks (site overhead)")):
        rows.append(run(f"SQLite, {what}", f"sqlite:///{tmp / ('load-' + str(len(rows)) + '.db')}", args.seconds,
                        args.concurrency, checks, 1))
        if args.pg:
            rows.append(run(f"PostgreSQL, {what}", args.pg, args.seconds, args.concurrency, checks, 2))
    lines = [f"{args.concurrency} concurrent commenters, {args.seconds:.0f} s each run, every POST with an idempotency "
             "key (retries reuse it); 2 cores shared by the load generator and the server. Afterwards the database "
             "is checked: every acknowledged comment present exactly once, with its check results, decision and "
             "audit events. Regenerate: `.venv/bin/python bench/load.py --pg URL`.", "",
             "| run | posts/s | p50 ms | p99 ms | acknowledged | missing | duplicated | half-written | retries | errors |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['label']} | {r['posts_per_s']:.0f} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {r['acknowledged']} | "
              f"{r['missing']} | {r['duplicated']} | {r['half_written']} | {r['retries']} | {r['errors']} "
              f"{r['error_kinds'] or ''} |" for r in rows]
    lines += ["", "Targets: ≥ 200 posts/s with p99 ≤ 100 ms on SQLite, 0 lost, 0 duplicated. The checks (four "
              "models, about 10 ms a comment on these cores) bound the rate with all checks on; the placeholder "
              "rows show what the site itself costs."]
    write_section(args.out, "\n".join(lines))
    print("\n".join(lines))


BEGIN, END = "<!-- main -->", "<!-- /main -->"


def write_section(out: Path, section: str) -> None:
    """The generated part of the report, between its markers; what was written by hand around it stays."""
    text = out.read_text() if out.exists() else "# API load: comment posts under a bounded loopback load\n"
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1] if END in rest else "\n"
        text = f"{head}{BEGIN}\n{section}\n{END}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{BEGIN}\n{section}\n{END}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
