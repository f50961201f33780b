"""The personal-attack functional suite: generated cases, split by template into a training part
and a held-out diagnostic part that is never trained on (see README.md in this folder).

    from remarks_training import attack_suite
    attack_suite.cases("train")      # rows a model may learn from
    attack_suite.cases("heldout")    # the diagnostic: evaluate only
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

from remarks_training.attack_suite.templates import (
    FUNCTIONALITIES, GROUPS, JOURNALISTS, PARENTS, PEOPLE, USERS, Functionality, Person,
)

DATA = {"train": Path(__file__).with_name("cases_train.jsonl"),
        "heldout": Path(__file__).with_name("cases_heldout.jsonl")}  # the held-out file is the diagnostic
ARTICLES = Path(__file__).with_name("articles.json")
SPLITS = ("train", "heldout")


def _fill(template: str, split: str) -> list[dict]:
    """Every filling of one template with the people of its split, with the context a check sees."""
    people = PEOPLE[split]
    journalists = [j for j in JOURNALISTS[split] if j[0].isupper()]
    out: list[dict] = []

    def context(k: int, person: Person | None = None, byline: str | None = None) -> dict:
        p = person or people[k % len(people)]
        return {"article_id": article_id(p), "people": [p.name],
                "byline": byline or journalists[k % len(journalists)], "parent_text": None, "parent_author": None,
                "participants": []}

    if "{addr}" in template or "{user}" in template:
        forms = ("@{user}, ", "") if "{addr}" in template else ("",)
        k = 0
        for user in USERS[split]:
            for form in forms:
                text = template.replace("{addr}", form).replace("{user}", user)
                ctx = context(k)
                ctx.update(parent_text=PARENTS[k % len(PARENTS)], parent_author=user, participants=[user])
                text = _other_slots(text, ctx, people[k % len(people)], journalists[k % len(journalists)])
                out.append({"text": text, "target_name": user, **ctx})
                k += 1
        return out
    if "{p}" in template or "{d}" in template:
        k = 0
        for person in people:
            for name in ((person.name, person.short) if "{p}" in template else (person.name,)):
                ctx = context(k, person)
                text = template.replace("{p}", name).replace("{d}", person.decision)
                text = _other_slots(text, ctx, person, journalists[k % len(journalists)])
                out.append({"text": text, "target_name": person.name, **ctx})
                k += 1
        return out
    if "{a}" in template:
        for k, a in enumerate(JOURNALISTS[split]):
            ctx = context(k, byline=a if a[0].isupper() else None)
            out.append({"text": template.replace("{a}", a), "target_name": ctx["byline"], **ctx})
        return out
    if "{g}" in template:
        for k, g in enumerate(GROUPS[split]):
            ctx = context(k)
            ctx["participants"] = list(USERS[split][:3])
            out.append({"text": template.replace("{g}", g), "target_name": g, **ctx})
        return out
    return [{"text": template, "target_name": None, **context(0)}]


def article_id(p: Person) -> str:
    return p.name.lower().replace(" ", "-")


def articles() -> dict[str, dict]:
    """The stories the cases sit under: id -> title, body, byline-free."""
    return {article_id(p): {"title": p.title, "body": p.body, "split": split}
            for split, people in PEOPLE.items() for p in people}


def _other_slots(text: str, ctx: dict, person: Person, journalist: str) -> str:
    return text.replace("{p}", person.name).replace("{d}", person.decision).replace("{a}", journalist)


def _target(f: Functionality, template: str) -> str:
    if f.name == "praise":
        return "author" if "{a}" in template else "story_person"
    return f.target


def generate() -> list[dict]:
    rows = []
    for f in FUNCTIONALITIES:
        for i, (template, split) in enumerate(f.templates):
            for j, filled in enumerate(_fill(template, split)):
                text = filled.pop("text")
                text = text[0].upper() + text[1:]
                target = _target(f, template)
                rows.append({"id": f"{f.name}:{i}:{j}", "functionality": f.name, "template": f"{f.name}:{i}",
                             "split": split, "text": text, "attack": f.attack, "abuse": f.abuse, "target": target,
                             **filled, "target_name": filled["target_name"] if target != "none" else None})
    return rows


def write() -> list[Path]:
    """Each split's rows into its own file, and the articles."""
    rows = generate()
    for split, path in DATA.items():
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["split"] == split),
                        encoding="utf-8")
    ARTICLES.write_text(json.dumps(articles(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return list(DATA.values())


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _places() -> dict[str, int]:
    return {f.name: k for k, f in enumerate(FUNCTIONALITIES)}


def _order(row: dict) -> tuple[int, int, int]:
    """Where ``generate()`` puts a row: by functionality, then template, then filling (``id`` is f:i:j)."""
    name, i, j = row["id"].split(":")
    return _places()[name], int(i), int(j)


def cases(split: str | None = None, path: Path | None = None) -> list[dict]:
    """The committed cases, each with its article's title and body; ``split`` is ``train``,
    ``heldout`` or None (both, in the order ``generate()`` gives). ``path``: one other cases file
    to read instead (its rows of ``split``)."""
    if split not in (None, *SPLITS):
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    arts = json.loads(ARTICLES.read_text(encoding="utf-8"))
    if path is not None:
        rows = _read(path)
    elif split is not None:
        rows = _read(DATA[split])
    else:
        rows = sorted(_read(DATA["train"]) + _read(DATA["heldout"]), key=_order)
    out = []
    for r in rows:
        if split is None or r["split"] == split:
            art = arts[r["article_id"]]
            out.append({**r, "article_title": art["title"], "article_body": art["body"]})
    return out


def counts() -> dict[str, dict[str, int]]:
    """Rows per functionality and split."""
    c = Counter((r["functionality"], r["split"]) for r in cases())
    return {f.name: {s: c[(f.name, s)] for s in SPLITS} for f in FUNCTIONALITIES}

