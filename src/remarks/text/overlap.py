"""Words a comment shares with a story, weighted by how rare they are in news comments.

Sentence embeddings know that a comment about "the border" and a story about "smugglers" are close;
they are less sure that a comment naming "Texas" belongs under the story about Texas. The relevance
check therefore also reads the rare words a comment shares with its story (and with the site's other
stories): each shared word counts its inverse document frequency among news comments (Civil Comments
posts, CC0; ``ml/artifacts/offtopic_idf.json``, made by ``document_frequencies``), over the comment's own total, so a long comment does
not score higher for being long.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

_WORD = re.compile(r"[a-z][a-z]{2,}")
# Words that say nothing about a story (three letters or more; shorter words are never counted).
STOP_WORDS = frozenset("""
about above after again against all almost also although always among and another any anyone anything
are aren't around because been before being below between both but can can't cannot could couldn't did
didn't does doesn't doing don't done down during each either else enough etc even ever every everyone
everything few for from further get gets getting give given goes going gone got had hadn't has hasn't
have haven't having her here hers herself him himself his how however into isn't its itself just keep
know last least less let like made make makes many may maybe might mine more most much must myself
need never new next nobody none nor not nothing now off often once one only onto other others ought our
ours ourselves out over own per perhaps please put quite rather really said same say says see seem seems
several shall she should shouldn't since some someone something still such take than that that's the
their theirs them themselves then there there's these they they're thing things think this those though
through thus too took toward under until upon use used very via want was wasn't way well went were
weren't what what's when where whether which while who whom whose why will with within without won't
would wouldn't yes yet you you're your yours yourself yourselves
""".split())


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of three letters or more, stop words left out, a plural's s dropped."""
    return frozenset(w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)


def document_frequencies(texts: Iterable[str], min_df: int = 2) -> dict:
    """What the relevance check's IDF file holds: the number of texts, and per word the number of texts that have it."""
    counts: dict[str, int] = {}
    n = 0
    for text in texts:
        n += 1
        for w in content_words(text):
            counts[w] = counts.get(w, 0) + 1
    return {"docs": n, "df": {w: c for w, c in sorted(counts.items()) if c >= min_df}}


class Idf:
    def __init__(self, table: Mapping) -> None:
        self.docs = int(table["docs"])
        self.df: Mapping[str, int] = table["df"]

    def __call__(self, word: str) -> float:
        return math.log((self.docs + 1) / (self.df.get(word, 0) + 1))

    def overlap(self, comment: frozenset[str], story: frozenset[str]) -> float:
        """The summed weight of the words the story shares with the comment, over the length (L2 norm) of
        the comment's weights: 0 when nothing is shared, 1 for one shared word alone, more for several."""
        total = math.sqrt(sum(self(w) ** 2 for w in comment))
        return sum(self(w) for w in comment & story) / total if total > 0 else 0.0

