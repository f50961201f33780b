"""``remarks moderate``: the JSON Lines contract other tools use, end to end."""

import io
import json
import subprocess
import sys

import pytest

from remarks.errors import BadInput
from remarks.moderation.policy import PolicyConfig
from remarks.services import archive

ARTICLES = [{"id": "a1", "title": "Bomb kills 30 in Kabul", "body": "A jihadist group claimed the attack.",
             "byline": "Jane Smith"}]
COMMENTS = [
    {"id": "c1", "article_id": "a1", "author": "maria", "text": "Most Muslims here condemned the bombing."},
    {"id": "c2", "article_id": "a1", "parent_id": "c1", "author": "bob", "text": "maria, you are a f*cking idiot."},
    {"id": "c3", "article_id": "a1", "text": "Muslims are vermin and should be driven out."},
    {"id": "c4", "article_id": "a1", "text": "Das ist eine Schande, diese Regierung ist völlig unfähig."},
]


def jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)


def moderate(comments, articles=ARTICLES):
    out = io.StringIO()
    arts = archive.read_articles(io.StringIO(jsonl(articles)), "jsonl")
    archive.run(io.StringIO(comments), out, fmt="jsonl", cols=archive.Columns(), articles=arts,
                names=("abuse", "attack", "language"), policy=PolicyConfig(), backend=archive.Backend())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_results_follow_the_contract():
    results = moderate(jsonl(COMMENTS))
    assert [r["id"] for r in results] == ["c1", "c2", "c3", "c4"]
    for r in results:
        assert set(r) >= {"id", "scores", "action", "evidence"}
        assert set(r["scores"]) == {"abuse", "attack", "language"}
        assert r["action"] in {"publish", "hold", "remove"}
    by_id = {r["id"]: r for r in results}
    assert by_id["c1"]["action"] == "publish"  # civil, on a terror story
    assert by_id["c2"]["action"] != "publish"
    assert by_id["c3"]["action"] != "publish"  # hate without a swear word
    assert by_id["c4"]["action"] == "hold"
    assert by_id["c4"]["evidence"]["language"]["details"]["language"] == "de"
    spans = by_id["c2"]["evidence"]["abuse"]["spans"]
    assert "f*cking" in {COMMENTS[1]["text"][s["start"]:s["end"]] for s in spans}


def test_parent_participants_and_other_articles_reach_the_checks():
    arts = ARTICLES + [{"id": "a2", "title": "Council passes budget", "body": "The vote was 7 to 2."}]
    articles = archive.read_articles(io.StringIO(jsonl(arts)), "jsonl")
    ctxs = [i.ctx for i in archive.contexts(io.StringIO(jsonl(COMMENTS)), "jsonl", archive.Columns(), articles)]
    assert ctxs[1].parent_text == COMMENTS[0]["text"]
    assert ctxs[1].participants == ("maria",)
    assert ctxs[1].byline == "Jane Smith"
    assert ctxs[1].article_title == "Bomb kills 30 in Kabul"
    assert [a.id for a in ctxs[1].other_articles] == ["a2"]  # the relevance check contrasts with these


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('{"id": "x", "text": "ok"}\n{not json}\n', "comments line 2: not valid JSON"),
        ('{"id": "x", "text": "ok"}\n\n[1, 2]\n', "comments line 3: expected a JSON object"),
        ('{"id": "x"}\n', "comments line 1: missing 'text'"),
        ('{"text": "hello"}\n', "comments line 1: missing 'id'"),
        ('{"id": "x", "text": {"a": 1}}\n', "comments line 1: 'text' must be a string"),
    ],
)
def test_malformed_lines_name_their_line_number(lines, message):
    with pytest.raises(BadInput, match=message):
        moderate(lines)


def test_cli_reads_stdin_and_writes_stdout(tmp_path):
    arts = tmp_path / "articles.jsonl"
    arts.write_text(jsonl(ARTICLES))
    r = subprocess.run([sys.executable, "-m", "remarks.cli", "moderate", "-", "--articles", str(arts),
                        "--checks", "abuse,attack", "--out", "-"],
                       input=jsonl(COMMENTS[:2]), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["c1", "c2"]


def test_cli_error_is_a_message_and_exit_code(tmp_path):
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"id": "x", "text": "ok"}\n{oops\n')
    r = subprocess.run([sys.executable, "-m", "remarks.cli", "moderate", str(bad), "--checks", "language"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "comments line 2" in r.stderr and "Traceback" not in r.stderr
