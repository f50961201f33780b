"""What counts as a web address: URL context required (issue 14.7)."""

import subprocess
import sys

import pytest

from remarks.text.links import find_links, has_link, mask_links

# Civil sentences where a full stop is followed by a capitalised word that is also a top-level domain.
CIVIL = [
    "The council published the consultation documents. Shop owners on the high street were never asked.",
    "I asked for the minutes. Me and my neighbours still have no answer.",
    "They moved to the States. Us locals were left with the bill.",
    "The team finished the season. Top scorers rarely stay at a club like this.",
    "The deal was signed. Co-operation between the two councils starts in May.",
    "We visited the plant. Site managers explained the safety rules.",
    "Lessons moved to the internet. Online teaching worked better than expected.",
    "The shop closed last year.Shop owners blame the rents.",  # no space, but capitalised: a typo, not a link
    "He lives in St. Louis. Store prices there went up.",
    "Prices rose 2.5 per cent. Club members will pay more.",
    "I agree with the U.S. position on this.",
    "See page 3.Info on the scheme is in the appendix.",
    "the dot com bubble burst in 2000",
    "The co.uk suffix alone is not an address.",
    "Node.js and Vue.js are what the council's developers use.",
]

LINKS = [
    ("Great deals at bestdeals.shop every day", "bestdeals.shop"),
    ("Visit https://example.com/offer now", "https://example.com/offer"),
    ("www.cheap-pills.net has them", "www.cheap-pills.net"),
    ("read more on nytimes.com.", "nytimes.com"),
    ("my page: mysite.me/about", "mysite.me/about"),
    ("join us at amazing-deals.online!", "amazing-deals.online"),
    ("EARN NOW AT MONEY.TOP", "MONEY.TOP"),
    ("short: bit.ly/3xYz", "bit.ly/3xYz"),
    ("go to shop.co.uk today", "shop.co.uk"),
    ("write to example dot com", "example dot com"),
    ("best prices at mysite(dot)net", "mysite(dot)net"),
    ("buy at deals [dot] store", "deals [dot] store"),
    ("Site: Example.com/Path", "Example.com/Path"),
    # what is glued before a host or after it is not part of the address
    ("see 23...www.core-outsourcing.org/events/x now", "www.core-outsourcing.org/events/x"),
    ("Canada-14%...cbc.ca/player/News/ says", "cbc.ca/player/News/"),
    ("and http://example.com/a,b.", "http://example.com/a,b"),
]


@pytest.mark.parametrize("text", CIVIL)
def test_civil_sentences_hold_no_link(text):
    assert find_links(text) == [], [link.text for link in find_links(text)]
    assert not has_link(text)


@pytest.mark.parametrize(("text", "link"), LINKS)
def test_real_links_are_found(text, link):
    found = find_links(text)
    assert [f.text for f in found] == [link]
    assert text[found[0].start:found[0].end] == link


def test_kinds_and_spelled_out():
    assert find_links("bit.ly/3xYz")[0].kind == "short link"
    assert find_links("https://t.co/abc")[0].kind == "short link"
    assert find_links("example.com")[0].kind == "link"
    assert find_links("example dot com")[0].obfuscated
    assert not find_links("example.com")[0].obfuscated
    assert find_links("https://www.Example.com/x")[0].host == "example.com"


def test_mask_links():
    assert mask_links("see bestdeals.shop now") == "see  url  now"
    assert mask_links("documents. Shop owners") == "documents. Shop owners"


def test_no_network_access():
    # A fresh interpreter in which any connection attempt fails loudly: loading the extractor and the
    # public suffix list and finding links must not try one.
    code = """
import socket
def refuse(*a, **k):
    raise SystemExit('network access attempted')
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from remarks.text.links import find_links
assert [x.text for x in find_links('see bestdeals.shop and https://a.example.org/x')] == ['bestdeals.shop', 'https://a.example.org/x']
assert find_links('shop.co.uk')[0].host == 'shop.co.uk'
print('offline ok')
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "offline ok", r.stderr
