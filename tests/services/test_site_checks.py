"""The trained checks inside the site: duplicates found through the database, article vectors
cached in it, off-topic comments held with the closer story as evidence."""

import pytest
from sqlalchemy import func, select

from remarks import db as dbmod
from remarks.checks.registry import load_checks
from remarks.models import CheckMemory, SignatureBand
from remarks.services import comments, demo, policy
from remarks.moderation.pipeline import Pipeline


@pytest.fixture
def site(app):
    app.state.pipeline = Pipeline(load_checks(None))  # every installed check, as in production
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)
    return app


def post(app, username, slug, text, **kw):
    from remarks.models import Article, User

    with dbmod.unit_of_work(app.state.sessions) as s:
        user = s.scalar(select(User).where(User.username == username))
        art = s.scalar(select(Article).where(Article.slug == slug))
        c = comments.submit_comment(s, user, article_id=art.id, text=text, pipeline=app.state.pipeline,
                                    policy=policy.current(s, app.state.settings), max_chars=5000, per_minute=100, **kw)
        return c.id, c.state, {r.rule: r for r in c.checks}


SPAM = "Make money from home, I earn 500 dollars a day with this simple trick, ask me how"


def test_the_same_copy_posted_again_is_held_as_promotion(site, session):
    first = post(site, "reader", "border-attack-inquiry", SPAM)
    again = post(site, "harbourwatcher", "typhoon-harbour-rebuild", SPAM.replace("500", "700") + "!!")
    assert session.scalar(select(func.count()).select_from(SignatureBand)) >= 16
    promo = again[2]["promotion"]
    assert again[1] in ("held", "removed") and promo.score >= 0.5
    assert promo.evidence["details"]["duplicate_of"]["comment_id"] == str(first[0])
    assert promo.evidence["details"]["duplicate_of"]["similarity"] >= 0.7


def test_an_off_topic_comment_is_held_and_names_the_closer_story(site, session):
    cid, state, checks = post(site, "reader", "border-attack-inquiry",
                              "The typhoon wrecked the harbour wall and the fishing boats could not go out for weeks.")
    off = checks["offtopic"]
    assert state == "held" and off.score >= 0.7
    assert off.evidence["details"]["closer_to"]["title"] == "Typhoon-hit harbour town begins to rebuild"
    assert session.scalar(select(func.count()).select_from(CheckMemory)) == 4  # each article embedded once
    # A civil comment full of the story's hard words stays published.
    _, state, checks = post(site, "harbourwatcher", "border-attack-inquiry",
                            "The jihadists killed eleven people; the smugglers who helped them and the police who "
                            "ignored the warning must answer to the inquiry. The Muslim and Kurdish families "
                            "deserve the truth.")
    assert state == "published", {r: c.score for r, c in checks.items()}


def test_a_link_from_a_new_account_is_promotion(site, session, make_user):
    make_user("newbie")
    _, state, checks = post(site, "newbie", "heat-pump-grants", "Cheaper heat pumps here: www.cheap-pumps-now.biz")
    promo = checks["promotion"]
    assert state in ("held", "removed") and promo.evidence["details"].get("new_account")
    assert any(sp["label"] == "link" for sp in promo.evidence["spans"])
