"""Comment formatting: paragraphs, quotes and links, nothing else (markdown-it-py, then nh3)."""

import pytest

from remarks.services.formatting import comment_html

REL = 'rel="nofollow ugc noopener"'

CASES = [
    # (typed, expected HTML)
    ("One line.", "<p>One line.</p>"),
    ("First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>"),
    ("Line one\nline two", "<p>Line one<br>\nline two</p>"),
    ("> quoted\n\nanswer", "<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>answer</p>"),
    ("see https://example.com/a?b=1&c=2", f'<p>see <a href="https://example.com/a?b=1&amp;c=2" {REL}>'
                                          "https://example.com/a?b=1&amp;c=2</a></p>"),
    ("www.example.com", f'<p><a href="http://www.example.com" {REL}>www.example.com</a></p>'),
    # Not formatting: emphasis, headings, lists, code, images and [text](url) links stay as typed.
    ("**bold** # h _i_ `code`", "<p>**bold** # h _i_ `code`</p>"),
    ("1. one\n- two", "<p>1. one<br>\n- two</p>"),
    # ... only the address itself becomes a link: the link a reader sees is the one they follow.
    ("[text](https://example.com)", f'<p>[text](<a href="https://example.com" {REL}>https://example.com</a>)</p>'),
    ("![x](x.png)", "<p>![x](x.png)</p>"),
    # An e-mail address stays text.
    ("write to me@example.com", "<p>write to me@example.com</p>"),
    # HTML is text, never markup.
    ("<b>hi</b> <script>x()</script>", "<p>&lt;b&gt;hi&lt;/b&gt; &lt;script&gt;x()&lt;/script&gt;</p>"),
    ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_formatting(typed, expected):
    assert str(comment_html(typed)).strip() == expected


def test_a_link_cannot_break_out_of_its_attribute():
    html = str(comment_html('http://example.com/"onmouseover="alert(1) and <a href="javascript:x">y</a>'))
    assert html == ('<p><a href="http://example.com/%22onmouseover=%22alert(1)" ' + REL + '>'
                    'http://example.com/"onmouseover="alert(1)</a> and &lt;a href="javascript:x"&gt;y&lt;/a&gt;</p>\n')
