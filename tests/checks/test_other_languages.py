"""Comments in Chinese, Arabic and Turkish (issue 14.4): a clean comment is published, an abusive one
held by the word list of its language, an off-topic one caught by the multilingual relevance model;
a language nothing covers is still held by the ``language`` rule, as the policy says."""

import subprocess
import sys

import pytest

from remarks.checks.calibrated import calibrated

from remarks.checks.abuse import AbuseCheck
from remarks.checks.base import ArticleRef, CommentContext
from remarks.checks.language import LanguageCheck
from remarks.checks.offtopic import OfftopicCheck
from remarks.moderation.policy import Thresholds, decide
from remarks.checks.registry import load_checks
from remarks.config import DEFAULT_THRESHOLDS
from remarks.services.demo import ARTICLES

LIBRARIES = ARTICLES[2]  # "Council budget keeps all branch libraries open" (parking fees rise)
OTHERS = tuple(ArticleRef(str(i), a["title"], a["standfirst"] + "\n\n" + a["body"])
               for i, a in enumerate(ARTICLES) if a is not LIBRARIES)

CLEAN_ON_TOPIC = {
    "zh": "议会决定不关闭图书馆，我很高兴，但是停车费太贵了。",
    "ar": "سعيد لأن المجلس لم يغلق المكتبات، لكن رسوم الوقوف أصبحت مرتفعة جداً.",
    "tr": "Meclisin kütüphaneleri kapatmaması sevindirici ama park ücretleri çok pahalı oldu.",
}
ABUSIVE = {  # on topic, with listed words
    "zh": ("议会那帮王八蛋又涨停车费了，真是一群傻逼。", {"王八蛋", "傻逼"}),
    "ar": ("أعضاء المجلس حثالة، رفعوا رسوم المواقف يا ابن الكلب.", {"حثالة", "ابن الكلب"}),
    "tr": ("Park ücretlerini artıran bu şerefsiz meclis üyeleri tam birer gerizekalı.", {"şerefsiz", "gerizekalı"}),
}
CLEAN_OFF_TOPIC = {
    "zh": "有人知道周末哪里有好吃的火锅吗？我想带家人去。",
    "ar": "من يعرف مطعماً جيداً للمشاويات في المدينة؟ أريد أن آخذ عائلتي.",
    "tr": "Bu hafta sonu ailemle hangi diziyi izlesem, önerisi olan var mı?",
}
# Civil texts that contain a listed word's letters or a noun also used as an insult.
CIVIL_LOOKALIKES = [
    "垃圾分类很重要，议会应该多建回收站。",  # 垃圾 "rubbish" is not listed
    "كلبي يحب اللعب في الحديقة بجانب المكتبة.",  # "my dog" is not "يا كلب"
    "Bu yükü götürmek zor, otopark çok uzak.",  # götürmek "to carry" is not göt
    "Şık bir kütüphane binası olmuş.",  # şık "elegant"
]
THRESHOLDS = {rule: Thresholds(*t) for rule, t in DEFAULT_THRESHOLDS.items()}


def ctx(text, others=OTHERS):
    return CommentContext(text=text, article_title=LIBRARIES["title"],
                          article_body=LIBRARIES["standfirst"] + "\n\n" + LIBRARIES["body"], other_articles=others,
                          author_age_days=100, author_comment_count=50)


@pytest.fixture(scope="module")
def checks():
    return load_checks()


@pytest.mark.parametrize("lang", ["zh", "ar", "tr"])
def test_a_clean_on_topic_comment_is_published(checks, lang):
    results = [c.score(ctx(CLEAN_ON_TOPIC[lang])) for c in checks]
    outcome = decide(results, THRESHOLDS)
    assert outcome.action == "publish", (outcome, {r.rule: r.score for r in results})
    language = next(r for r in results if r.rule == "language")
    assert language.details["language"] == lang and language.details["covered"] and language.score == 0.0


@pytest.mark.parametrize("lang", ["zh", "ar", "tr"])
def test_an_abusive_comment_is_held_by_its_word_list(checks, lang):
    text, words = ABUSIVE[lang]
    r = AbuseCheck().score(ctx(text))
    assert r.score >= 0.5 and {text[s.start:s.end] for s in r.spans} == words, (r.score, r.details)
    assert r.details["language"] == lang and r.details["abuse_signal"] == f"word list ({lang})"
    outcome = decide([c.score(ctx(text)) for c in checks], THRESHOLDS)
    assert outcome.action == "hold" and outcome.rule == "abuse"


@pytest.mark.parametrize("text", CIVIL_LOOKALIKES)
def test_civil_lookalikes_are_not_abuse(text):
    r = AbuseCheck().score(ctx(text))
    assert r.score < 0.5 and not r.details.get("matched"), r.details


@pytest.mark.parametrize("lang", ["zh", "ar", "tr"])
def test_relevance_in_other_languages(lang):
    check = OfftopicCheck()

    def score(c):  # as the pipeline hands it to the policy (calibrated, or aligned on the operating point)
        return calibrated(check.score(c))

    on = score(ctx(CLEAN_ON_TOPIC[lang]))
    off = score(ctx(CLEAN_OFF_TOPIC[lang]))
    assert on.details["model"].startswith("multilingual-e5-small")
    assert on.score < THRESHOLDS["offtopic"].hold <= off.score, (on.score, off.score)
    assert score(ctx(CLEAN_OFF_TOPIC[lang], others=())).score >= THRESHOLDS["offtopic"].hold


def test_a_language_nobody_covers_is_still_held_by_policy():
    r = LanguageCheck().score(ctx("Je ne suis pas du tout d'accord avec la hausse des tarifs de stationnement."))
    assert r.details["language"] == "fr" and not r.details["covered"] and r.details["coverage"]["abuse"] is None
    assert THRESHOLDS["language"].action(r.score) == "hold"
    # The score is at most 0.99: a site that prefers to publish them sets the language thresholds to 1.0.
    assert Thresholds(1.0, 1.0).action(r.score) == "publish"


def test_the_multilingual_model_loads_only_for_another_language():
    code = """
from remarks.checks.offtopic import OfftopicCheck
from remarks.checks.base import CommentContext
from remarks.ml import multilingual
c = OfftopicCheck()
c.score(CommentContext(text="The libraries stay open but parking costs more.", article_title="Council budget",
                       article_body="The council kept the libraries open and raised parking fees."))
print(multilingual.loaded())
c.score(CommentContext(text="议会决定不关闭图书馆，我很高兴，但是停车费太贵了。", article_title="Council budget",
                       article_body="The council kept the libraries open and raised parking fees."))
print(multilingual.loaded())
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.stdout.split() == ["False", "True"], r.stderr
