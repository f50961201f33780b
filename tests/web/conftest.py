"""Fixtures shared by the web tests."""

import pytest

from remarks import db as dbmod
from remarks.models import Article


@pytest.fixture
def article_id(app):
    """One article (the border-attack story) in the test's database; its id."""
    with dbmod.unit_of_work(app.state.sessions) as s:
        a = Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed.")
        s.add(a)
        s.flush()
        return a.id
