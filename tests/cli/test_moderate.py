"""`remarks moderate` on real files, as a newsroom engineer runs it on an archive."""

import json
import os
import subprocess
import sys
import time

ENV = {**os.environ, "REMARKS_CHECKS": '["wordlist", "links"]'}


def run(*args, timeout=180, env=None):
    return subprocess.run([sys.executable, "-m", "remarks.cli", "moderate", *args], capture_output=True, text=True,
                          env={**ENV, **(env or {})}, timeout=timeout)


def write_archive(path, n=300):
    rows = [{"id": f"c{i}", "article_id": "a1", "author": f"user{i % 5}",
             "text": "Buy now at www.cheap.example.com" if i % 50 == 0 else
             ("What utter bullshit" if i % 37 == 0 else f"A thought about the harbour wall, number {i}.")}
            for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


def read(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_workers_give_the_same_results_and_resume_skips_done_ids(tmp_path):
    src = tmp_path / "comments.jsonl"
    rows = write_archive(src)
    local, parallel = tmp_path / "local.jsonl", tmp_path / "parallel.jsonl"
    r = run(str(src), "--out", str(local))
    assert r.returncode == 0, r.stderr
    assert "moderated 300 comments" in r.stderr
    r = run(str(src), "--out", str(parallel), "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert read(parallel) == read(local)
    summary = json.loads((tmp_path / "local.jsonl.summary" / "summary.json").read_text())
    assert summary["total"] == 300 and summary["actions"]["hold"] >= 6
    assert (tmp_path / "local.jsonl.summary" / "hist_abuse.png").exists()
    # Cut the output mid-line, as a crash would, and run again: only the rest is scored.
    lines = local.read_text().splitlines(keepends=True)
    local.write_text("".join(lines[:120]) + lines[120][:25])
    r = run(str(src), "--out", str(local))
    assert r.returncode == 0 and "120 comments already" in r.stderr and "moderated 180 comments" in r.stderr
    assert [x["id"] for x in read(local)] == [x["id"] for x in rows]


def test_csv_with_column_flags(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text("comment_id,body,story\nk1,\"Fine, thanks\",s1\nk2,\"Total bullshit, moron\",s1\n")
    out = tmp_path / "out.jsonl"
    r = run(str(src), "--id-col", "comment_id", "--text-col", "body", "--article-col", "story", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert [(x["id"], x["action"]) for x in read(out)] == [("k1", "publish"), ("k2", "hold")]


def test_a_bad_line_is_named_and_nothing_is_silently_skipped(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "1", "text": "ok"}\n{"id": "2", "text": "also ok"}\n{"id": 3, "txt": "x"}\n')
    r = run(str(src), "--out", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1 and "comments line 3: missing 'text'" in r.stderr
    r = run(str(tmp_path / "missing.jsonl"))
    assert r.returncode == 1 and "cannot open" in r.stderr


def test_dask_scheduler_address_gives_the_same_results(tmp_path):
    from dask.distributed import LocalCluster

    src = tmp_path / "comments.jsonl"
    write_archive(src, n=120)
    local = tmp_path / "local.jsonl"
    assert run(str(src), "--out", str(local)).returncode == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = tmp_path / "remote.jsonl"
        r = run(str(src), "--out", str(remote), "--dask", cluster.scheduler_address)
        assert r.returncode == 0, r.stderr
    assert read(remote) == read(local)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    src = tmp_path / "comments.jsonl"
    write_archive(src, n=5)
    started = time.monotonic()
    r = run(str(src), "--out", str(tmp_path / "o.jsonl"), "--dask", "tcp://127.0.0.1:9", timeout=120,
            env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})  # Dask's own setting
    assert time.monotonic() - started < 25  # not 30 s or more (the default): the setting was read
    assert r.returncode == 1 and "error" in r.stderr.lower() and "Traceback" not in r.stderr
