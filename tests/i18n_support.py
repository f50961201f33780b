"""The visible interface text of a page, for the tests that check a translation is complete."""

import re
from html.parser import HTMLParser


class Chrome(HTMLParser):
    """The visible interface text of a page, without the content (stories, comments, names)."""

    CONTENT = {"story", "comment-body", "author", "nameplate", "teaser", "featured-list", "count", "language-form",
               "profile-facts", "title-of-content"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "base", "col", "embed", "param",
            "track"}

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        story_link = tag == "a" and (attrs.get("href") or "").startswith("/articles/") and "#" in attrs["href"]
        self.stack.append(tag in ("script", "style", "title", "h1", "textarea", "option")
                          or bool(classes & self.CONTENT) or story_link)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack) and data.strip():
            self.text.append(data.strip())


ALLOWED = {"remarks", "API", "JSON", "UTC", "Reader", "Moderator", "The", "Daily", "Remark"}


def english_words(html: str) -> list[str]:
    parser = Chrome()
    parser.feed(html)
    words = re.findall(r"[A-Za-z]{3,}", " ".join(parser.text))
    return [w for w in words if w not in ALLOWED]
