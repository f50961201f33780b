"""Archive moderation: readers, resume, summary, and the same results here and on Dask."""

import io
import json

import pytest

from remarks.errors import BadInput
from remarks.moderation.policy import PolicyConfig
from remarks.services import archive

POLICY = PolicyConfig(thresholds={"abuse": {"hold": 0.5, "remove": 0.95}, "promotion": {"hold": 0.5, "remove": 0.95}})
NAMES = ("wordlist", "links")

COMMENTS = [
    {"id": "c1", "article_id": "a1", "author": "ann", "text": "The inquiry should publish the warning."},
    {"id": "c2", "article_id": "a1", "author": "bob", "parent_id": "c1", "text": "Agreed, you idiot."},
    {"id": "c3", "article_id": "a1", "author": "cat", "text": "Buy cheap pills at www.pills.example.com now"},
] + [{"id": f"x{i}", "article_id": "a1", "author": f"u{i % 7}", "text": f"Comment number {i} about the harbour wall."}
     for i in range(600)]


def jsonl(rows):
    return io.StringIO("".join(json.dumps(r) + "\n" for r in rows))


def run(backend, rows=COMMENTS, skip=frozenset(), summary=None):
    out = io.StringIO()
    n = archive.run(jsonl(rows), out, fmt="jsonl", cols=archive.Columns(), articles={}, names=NAMES,
                    policy=POLICY, backend=backend, skip=skip, summary=summary)
    return n, [json.loads(line) for line in out.getvalue().splitlines()]


def test_local_run_scores_every_comment_in_order():
    n, results = run(archive.Backend())
    assert n == len(COMMENTS) and [r["id"] for r in results] == [c["id"] for c in COMMENTS]
    by_id = {r["id"]: r for r in results}
    assert by_id["c2"]["action"] == "hold" and by_id["c3"]["scores"]["promotion"] > 0.4


def test_dask_local_cluster_gives_identical_results():
    _, here = run(archive.Backend())
    backend = archive.Backend(workers=2)
    try:
        _, there = run(backend)
    finally:
        backend.close()
    assert there == here


def test_resume_skips_ids_already_written(tmp_path):
    out = tmp_path / "out.jsonl"
    _, first = run(archive.Backend(), rows=COMMENTS[:100])
    out.write_text("".join(json.dumps(r) + "\n" for r in first) + '{"id": "x97", "sco')  # a crash mid-line
    archive.truncate_partial_line(out)
    done = archive.done_ids(out)
    assert len(done) == 100
    n, rest = run(archive.Backend(), skip=done)
    assert n == len(COMMENTS) - 100 and rest[0]["id"] == COMMENTS[100]["id"]


def test_csv_with_column_mapping():
    csv_text = "comment_id,body,story,who\nk1,\"Hello, world\",a1,ann\nk2,\"What bullshit\",a1,bob\n"
    cols = archive.Columns(id="comment_id", text="body", article_id="story", author="who")
    ctxs = [i.ctx for i in archive.contexts(io.StringIO(csv_text), "csv", cols, {})]
    assert [(c.comment_id, c.text, c.author) for c in ctxs] == [("k1", "Hello, world", "ann"),
                                                              ("k2", "What bullshit", "bob")]


@pytest.mark.parametrize(
    "text, fmt, message",
    [
        ('{"id": "1", "text": "ok"}\n{"id": "2", "text": \n', "jsonl", "comments line 2: not valid JSON"),
        ('{"id": "1", "text": "ok"}\n[1, 2]\n', "jsonl", "comments line 2: expected a JSON object"),
        ('{"id": "1"}\n', "jsonl", "comments line 1: missing 'text'"),
        ('{"id": "1", "text": "a"}\n{"id": "1", "text": "b"}\n', "jsonl", "line 2: the id '1' appears twice"),
        ('{"id": "1", "text": {"no": 1}}\n', "jsonl", "'text' must be a string"),
        ("id,text\n1,ok\n2,ok,extra\n", "csv", "comments line 3: more fields"),
    ],
)
def test_bad_lines_are_errors_that_name_the_line(text, fmt, message):
    with pytest.raises(BadInput) as exc:
        list(archive.contexts(io.StringIO(text), fmt, archive.Columns(), {}))
    assert message in exc.value.message


def test_summary_counts_and_plots(tmp_path):
    summary = archive.Summary()
    run(archive.Backend(), summary=summary)
    path = summary.write(tmp_path / "summary")
    data = json.loads((tmp_path / "summary" / "summary.json").read_text())
    assert data["total"] == len(COMMENTS) and data["actions"]["hold"] >= 1
    assert data["rules"]["abuse"] >= 1 and ["bob", 1] in data["most_flagged_authors"]
    assert (tmp_path / "summary" / "hist_abuse.png").stat().st_size > 1000
    assert "Most-flagged authors" in path.read_text()


def test_near_copies_are_found_only_when_a_check_that_runs_asks_for_them():
    from remarks.checks import registry

    assert "near_copies" in registry.memory_uses(["promotion"])
    assert not registry.memory_uses(["wordlist", "abuse"])
    rows = [{"id": f"d{i}", "article_id": "a1", "text": "Visit www.cheap-pills.example.com for cheap pills today"}
            for i in range(3)]
    with_copies = [i.ctx for i in archive.contexts(jsonl(rows), "jsonl", archive.Columns(), {})]
    without = [i.ctx for i in archive.contexts(jsonl(rows), "jsonl", archive.Columns(), {}, near_copies=False)]
    assert with_copies[2].extras[archive.NEAR_COPIES] and not without[2].extras[archive.NEAR_COPIES]
