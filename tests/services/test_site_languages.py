"""Comments in other languages posted through the site with every installed check and the default
policy (issue 14.4): clean Chinese, Arabic and Turkish comments are published, abusive ones held for
their word, a language nothing covers still held by the language rule."""

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.checks.registry import load_checks
from remarks.moderation.pipeline import Pipeline
from remarks.services import comments, demo, policy

SLUG = "city-council-budget-libraries"


@pytest.fixture
def site(app):
    app.state.pipeline = Pipeline(load_checks(None))
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)
    return app


def post(app, text):
    from remarks.models import Article, User

    with dbmod.unit_of_work(app.state.sessions) as s:
        user = s.scalar(select(User).where(User.username == "reader"))
        art = s.scalar(select(Article).where(Article.slug == SLUG))
        c = comments.submit_comment(s, user, article_id=art.id, text=text, pipeline=app.state.pipeline,
                                    policy=policy.current(s, app.state.settings), max_chars=5000, per_minute=100)
        return c.state, {r.rule: r for r in c.checks}


@pytest.mark.parametrize("text", [
    "议会决定不关闭图书馆，我很高兴，但是停车费太贵了。",
    "سعيد لأن المجلس لم يغلق المكتبات، لكن رسوم الوقوف أصبحت مرتفعة جداً.",
    "Meclisin kütüphaneleri kapatmaması sevindirici ama park ücretleri çok pahalı oldu.",
])
def test_a_clean_comment_in_a_covered_language_is_published(site, text):
    state, checks = post(site, text)
    assert state == "published", {r: c.score for r, c in checks.items()}
    assert checks["language"].score == 0.0


@pytest.mark.parametrize("text", [
    "议会那帮王八蛋又涨停车费了，真是一群傻逼。",
    "أعضاء المجلس حثالة، رفعوا رسوم المواقف يا ابن الكلب.",
    "Park ücretlerini artıran bu şerefsiz meclis üyeleri tam birer gerizekalı.",
])
def test_an_abusive_comment_is_held_for_its_words(site, text):
    state, checks = post(site, text)
    assert state == "held" and checks["abuse"].score >= 0.5, {r: c.score for r, c in checks.items()}


def test_a_language_nobody_covers_is_held_by_the_language_rule(site):
    state, checks = post(site, "Je trouve que la hausse des tarifs de stationnement est une très mauvaise idée.")
    assert state == "held" and checks["language"].score >= 0.5
