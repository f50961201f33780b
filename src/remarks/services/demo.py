"""Demo content written for remarks: four short fictional stories, a moderator, a commenter,
and a few comments, so a new user sees a working site at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.models import Article, Comment, Decision, User
from remarks.models.base import utcnow
from remarks.services import accounts, audit

DEMO_USERS = [
    # username, password, display name, role
    ("editor", "editor-demo-pass", "Rosa Lindqvist (Editor)", "admin"),
    ("moderator", "moderator-demo-pass", "Sam Okafor (Moderator)", "moderator"),
    ("reader", "reader-demo-pass", "Jamie Reader", "commenter"),
    ("harbourwatcher", "harbour-demo-pass", "HarbourWatcher", "commenter"),
]

ARTICLES = [
    {
        "slug": "border-attack-inquiry",
        "title": "Inquiry opens into border attack that killed eleven",
        "section": "World",
        "byline": "By Amira Haddad, Security Correspondent",
        "standfirst": "Investigators will examine how a jihadist cell crossed the eastern border with the help of "
        "smugglers, and whether warnings were missed.",
        "body": "An independent inquiry opened on Monday into the attack on the Tal Safa border post, in which "
        "eleven people, seven of them civilians waiting to cross, were killed last month.\n\n"
        "Prosecutors say the five attackers belonged to a jihadist cell that had moved weapons through a "
        "smuggling route used for years to carry fuel and cigarettes. Two smugglers have been charged with "
        "helping the cell cross.\n\n"
        "Community leaders from the town's Muslim and Kurdish families, who lost relatives in the attack, asked "
        "the inquiry to examine why a warning passed to border police two weeks earlier was not acted on.\n\n"
        "\"We buried our neighbours,\" said Leyla Aksoy, whose brother worked at the post. \"We want to know "
        "who knew what, and when.\"\n\n"
        "The inquiry, chaired by retired judge Peter Marsh, is expected to report within six months. The "
        "interior ministry said it would cooperate fully.",
    },
    {
        "slug": "typhoon-harbour-rebuild",
        "title": "Typhoon-hit harbour town begins to rebuild",
        "section": "Environment",
        "byline": "By Daniel Cho",
        "standfirst": "Fishermen in Port Aster return to sea three weeks after Typhoon Mira wrecked the harbour wall.",
        "body": "Three weeks after Typhoon Mira drove a storm surge through Port Aster, the first fishing boats "
        "left the harbour on Saturday.\n\n"
        "The storm destroyed sixty metres of the harbour wall and flooded two hundred homes. Engineers say a "
        "new wall should be two metres higher to cope with stronger storms.\n\n"
        "The council has asked the national government for emergency funds; volunteers have cleared most of "
        "the debris from the quay.",
    },
    {
        "slug": "city-council-budget-libraries",
        "title": "Council budget keeps all branch libraries open",
        "section": "Local",
        "byline": "By Priya Natarajan",
        "standfirst": "Councillors voted 31 to 12 for a budget that spares the libraries but raises parking fees.",
        "body": "The city council approved its budget on Thursday night after a four-hour debate.\n\n"
        "All nine branch libraries will stay open, reversing a plan to close three of them. To pay for it, "
        "parking fees in the city centre rise by 20 cents an hour from January.\n\n"
        "Opposition councillors said the fee rise would hurt shop owners on the high street.",
    },
    {
        "slug": "heat-pump-grants",
        "title": "Heat pump grants to double next year",
        "section": "Business",
        "byline": "By Tom Ellery",
        "standfirst": "Households replacing gas boilers will be able to claim up to 7,500 in grants.",
        "body": "The energy ministry will double its grants for heat pumps from April, it said on Tuesday.\n\n"
        "Installers welcomed the move but warned of a shortage of trained engineers. About 40,000 heat pumps "
        "were fitted last year, a third of the government's target.",
    },
]

COMMENTS = [
    # article slug, author username, text, reply-to index (into this list) or None
    ("border-attack-inquiry", "reader", "If a warning really reached the border police two weeks before, the "
     "inquiry has to say who received it and why nobody acted.", None),
    ("border-attack-inquiry", "harbourwatcher", "The smugglers who moved the weapons should face the same charges "
     "as the attackers. Eleven people were killed.", 0),
    ("border-attack-inquiry", "reader", "Good that the Muslim and Kurdish families who lost relatives are being "
     "heard. They were the victims here.", None),
    ("typhoon-harbour-rebuild", "harbourwatcher", "Two metres higher is the minimum. The old wall was built for "
     "storms we no longer get.", None),
    ("city-council-budget-libraries", "reader", "Twenty cents an hour for parking is a fair price for keeping "
     "nine libraries open.", None),
]


def seed(session: Session, *, history: bool = False) -> bool:
    """Add the demo content to an empty database; returns False when there was content already.
    ``history`` adds two weeks of generated comments, decisions, sanctions, reports and appeals
    (services/demo_history.py), so the desk and the statistics have content on first start."""
    if session.scalar(select(func.count()).select_from(Article)):
        return False
    users: dict[str, User] = {}
    for username, password, display, role in DEMO_USERS:
        users[username] = accounts.create_user(session, None, username=username, password=password,
                                               display_name=display, role=role, email=f"{username}@example.org")
        users[username].email_verified_at = utcnow()
    now = utcnow()
    articles: dict[str, Article] = {}
    for i, a in enumerate(ARTICLES):
        art = Article(published_at=now - timedelta(hours=3 + 20 * i), **a)
        session.add(art)
        session.flush()
        audit.record(session, Event.ARTICLE_CREATED, actor=None, subject_type="article", subject_id=art.id)
        articles[a["slug"]] = art
    made: list[Comment] = []
    for j, (slug, username, text, reply_to) in enumerate(COMMENTS):
        c = Comment(article_id=articles[slug].id, author_id=users[username].id, text=text, state="published",
                    parent_id=made[reply_to].id if reply_to is not None else None,
                    created_at=now - timedelta(hours=2) + timedelta(minutes=7 * j))
        session.add(c)
        session.flush()
        session.add(Decision(comment_id=c.id, automatic=True, action="publish", reason="demo content"))
        audit.record(session, Event.COMMENT_PUBLISHED, actor=None, subject_type="comment", subject_id=c.id,
                     automatic=True, reason="demo content")
        made.append(c)
    if history:
        from remarks.services.demo_history import seed_history

        seed_history(session, users, articles, now)
    return True
