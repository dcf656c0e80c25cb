"""Near-duplicate detection: MinHash signatures and an LSH index that persists across crawls.

One press release reaches the corpus many times: from the company newsroom, from
one or two wires (dateline prepended, "About <wire>" appended), from syndicating
sites (disclaimer on top, media contact below, last paragraph cut, a sentence
edited). ``content_dedupe`` only catches byte-identical text; this module finds
the copies that differ.

Shingles
    Word 5-grams of the NFKC-normalised, case-folded text, tokenised on runs of
    letters and digits (punctuation, ``$``, ``€`` and whitespace are separators;
    digits are kept, so "$28 million" and "$22 million" differ). Words, not
    characters, because syndication edits whole words and phrases; 5 because
    shorter n-grams make different articles of one genre look alike ("the round
    was led by" is in every funding story) and longer ones make every small edit
    destroy more shingles. On the fixtures below, the exact-Jaccard gap between
    the lowest true copy and the highest different article is
    k=3: 0.436 / 0.330 (ratio 1.32), k=5: 0.404 / 0.263 (1.54),
    k=7: 0.385 / 0.225 (1.71). k=7 separates slightly better on paper but moves
    every value closer to zero, where MinHash noise is relatively larger, and is
    less tolerant of light edits (a changed word kills 7 shingles, not 5); at
    ``NUM_PERM=256`` both have zero errors across 10 seeds, so k=5 it is.
    A text of fewer than 5 words is one shingle; an empty text has none.

Signature
    A datasketch ``affine32`` MinHash (seed :data:`SEED`, :data:`NUM_PERM`
    permutations) of the shingle set, as a ``uint32`` array. For speed, the
    shingle hashes are computed in numpy from one CRC-32 per word (a 5-gram's
    hash is an odd-multiplier combination of its five word hashes, avalanched by
    the 64-bit MurmurHash3 finaliser, top 32 bits), and the permutation step is
    applied to all shingles at once with datasketch's own permutation parameters.
    The result is bit-for-bit what ``MinHash(scheme="affine32", seed=SEED,
    hashfunc=<identity>).update_batch(shingle_hashes)`` gives (a test checks it),
    at about a third of the cost of datasketch's default path (SHA-1 per shingle
    string): measured ~X us vs ~Y us per 450-word article, see
    ``bench/bench_dedupe.py``.

    Stored form (:func:`signature_to_bytes`): a 4-byte format tag ``b"ND1\\0"`` and
    the 256 values little-endian: 1028 bytes per article. The tag pins everything
    that makes two signatures comparable (shingling, word hash, seed, NUM_PERM);
    signatures written under a different tag are refused, never mis-compared.

Threshold (measured, ``python tests/fixtures/neardup/cases.py``)
    Fixtures: 12 hand-written releases of fictional AI companies (238-476 words),
    each with 5 syndicated copies (wire; syndicating site; edited; truncated; all
    of those at once with the other wire and site), and 6 news articles by two
    outlets each on the rounds of 3 of the releases: 78 documents, 3003 pairs.
    A "copy" pair is any two documents of one release (including copy vs copy,
    since whichever copy is crawled first becomes the stored one).

    Estimated Jaccard at NUM_PERM=256, SEED=1::

        copy (180 pairs)                      min 0.xxx  p5 0.xxx  median 0.xxx
        same template, other company (75)     max 0.xxx
        same company, other news (36)         max 0.xxx
        same round, outlet vs release (36)    max 0.xxx
        same round, two outlets (3)           max 0.xxx
        unrelated releases (2673)             max 0.xxx  median 0.xxx

    The gap is [0.xxx, 0.xxx]; :data:`THRESHOLD` = 0.33 sits in its middle (the
    exact-Jaccard gap is [0.263, 0.404], middle 0.333). Why 256 permutations: the
    standard error of the estimate is sqrt(J(1-J)/NUM_PERM), 0.042 at J=0.33 with
    128 permutations, i.e. the 0.14-wide gap is only ~1.7 sigma on each side. With
    128 permutations, 4 of 10 seeds misclassified 1 to 3 of the 3003 pairs at
    every threshold in 0.32-0.35; with 256 (sigma 0.029), none of 10 seeds
    misclassified any pair at any threshold in 0.32-0.35.

    Not detected, by design: an excerpt (first two paragraphs + "read more") is
    contained in the release but has low Jaccard with it; a rewritten news story
    about the same round is a different article (hard negatives above).

Index
    :class:`NearDupIndex` bands each signature into :data:`BANDS` = 85 bands of
    :data:`ROWS` = 3 values. A stored article becomes a candidate when one band is
    equal, which happens with probability 1-(1-J^3)^85: 0.955 at J=0.33, 0.996 at
    J=0.40 (the lowest copy), 1.1% at J=0.05, 0.07% at J=0.02. Every candidate
    is then verified by its estimated Jaccard over all 256 values; only those at
    or above THRESHOLD match, and the best one wins (ties: the smallest article
    id, so the answer does not depend on insertion order). The fewer-but-longer
    bands that datasketch's ``MinHashLSH`` would pick for 0.33 (64 x 4) miss 19%
    of pairs at J=0.40; a missed copy is not recoverable, an extra candidate
    costs a vectorised comparison.

    Bands are kept in one sorted ``uint64`` array of packed (band, band-hash,
    row) entries, searched with ``numpy.searchsorted``, plus a dict for entries
    added since the last merge; 8 bytes per band entry (680 bytes per article)
    plus the 1 KiB signature. Time per document is O(bands x log n) for lookup
    and amortised O(1) for the merge, i.e. flat in practice
    (``bench/bench_dedupe.py``).

Persistence
    The state is the signatures: store ``signature_to_bytes(sig)`` in a BLOB
    column next to the article id, and at the start of a crawl rebuild with
    ``NearDupIndex.from_rows(con.execute("SELECT article_id, sig FROM ...").fetchall())``.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

SHINGLE_SIZE = 5
NUM_PERM = 256
SEED = 1
THRESHOLD = 0.33
BANDS = 85
ROWS = 3
SIGNATURE_TAG = b"ND1\x00"  # bump when shingling, hashing, SEED or NUM_PERM change
SIGNATURE_BYTES = len(SIGNATURE_TAG) + 4 * NUM_PERM

assert BANDS * ROWS <= NUM_PERM

_TOKEN_RE = re.compile(r"[^\W_]+")
_EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's value for "no element seen"
_U64 = np.uint64

# Odd 64-bit multipliers combining the words of a shingle and the values of a band.
_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0x85EBCA77C2B2AE63,
        0x27D4EB2F165667C5,
        0xD6E8FEB86659FD93,
    ],
    dtype=np.uint64,
)
_MULTIPLIERS32 = (_MULTIPLIERS >> _U64(32)).astype(np.uint32) | np.uint32(1)
assert SHINGLE_SIZE <= len(_MULTIPLIERS) and ROWS <= len(_MULTIPLIERS)

# datasketch's affine32 permutation parameters h -> a*h + b (mod 2^32), for SEED.
_PERM_A, _PERM_B = (
    np.asarray(p, dtype=np.uint32)
    for p in MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
)

# Packed band entry: band index (7 bits) | band hash (31 bits) | row (26 bits).
_ROW_BITS = 26
_KEY_BITS = 31
_ROW_MASK = (1 << _ROW_BITS) - 1
MAX_ROWS = 1 << _ROW_BITS
assert BANDS <= 1 << (64 - _ROW_BITS - _KEY_BITS)
_BAND_PREFIX = np.arange(BANDS, dtype=np.uint64) << _U64(_KEY_BITS + _ROW_BITS)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    # datasketch's pre-mix for the affine32 scheme (MurmurHash3 32-bit finaliser)
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


# ASCII bytes that are not letters or digits become spaces; bytes >= 0x80 stay.
_ASCII_SEPARATORS = bytes(
    b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256)
)


def _word_bytes(text: str) -> list[bytes]:
    """UTF-8 words of the NFKC, case-folded text: runs of Unicode letters and digits.

    Same result as ``_TOKEN_RE.findall`` on the normalised text, 3-4x faster:
    ASCII separators go in one ``bytes.translate``; only the few words holding
    non-ASCII bytes (curly quotes, €, accented names) are split by the regex.
    """
    data = unicodedata.normalize("NFKC", text).casefold().encode("utf-8")
    words = data.translate(_ASCII_SEPARATORS).split()
    if data.isascii():
        return words
    out: list[bytes] = []
    for word in words:
        if word.isascii():
            out.append(word)
        else:
            out.extend(w.encode("utf-8") for w in _TOKEN_RE.findall(word.decode("utf-8")))
    return out


def tokens(text: str) -> list[str]:
    """The words shingles are made of: letter/digit runs of the NFKC, case-folded text."""
    return [w.decode("utf-8") for w in _word_bytes(text)]


def shingles(text: str) -> set[str]:
    """The set of word 5-grams (space-joined) that a signature summarises."""
    words = tokens(text)
    if len(words) <= SHINGLE_SIZE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)}


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of :func:`shingles` (what the MinHash is taken over)."""
    words = _word_bytes(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    k = min(SHINGLE_SIZE, len(words))
    n = len(words) - k + 1
    acc = word_hashes[:n] * _MULTIPLIERS[0]
    for j in range(1, k):
        acc += word_hashes[j : j + n] * _MULTIPLIERS[j]
    return np.unique((_fmix64(acc) >> _U64(32)).astype(np.uint32))


def signature(text: str) -> np.ndarray:
    """MinHash of the text's shingles: ``NUM_PERM`` uint32 values (all 0xFFFFFFFF if empty)."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    permuted = _fmix32(hashes)[:, None] * _PERM_A + _PERM_B  # wraps mod 2^32, as datasketch
    return permuted.min(axis=0)


def is_empty(sig: np.ndarray) -> bool:
    """True for the signature of a text without words (it must match nothing)."""
    return bool(np.all(sig == _EMPTY))


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The fraction of equal values: an unbiased estimate of the shingle sets' Jaccard."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


def signature_to_bytes(sig: np.ndarray) -> bytes:
    sig = np.asarray(sig)
    if sig.shape != (NUM_PERM,):
        raise ValueError(f"a signature has {NUM_PERM} values, got shape {sig.shape}")
    return SIGNATURE_TAG + sig.astype("<u4", copy=False).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    data = bytes(data)
    if len(data) != SIGNATURE_BYTES or not data.startswith(SIGNATURE_TAG):
        raise ValueError(
            f"not a {SIGNATURE_TAG!r} signature of {SIGNATURE_BYTES} bytes "
            f"(got {len(data)} bytes starting {data[:4]!r}); recompute it from the text"
        )
    return np.frombuffer(data, dtype="<u4", offset=len(SIGNATURE_TAG)).astype(np.uint32)


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, NUM_PERM) signatures -> (n, BANDS) packed keys with a zero row field.

    The band's ROWS values (already uniform 32-bit) are combined with odd
    multipliers mod 2^32 and avalanched; two different bands share a key with
    probability ~2^-31, which verification absorbs.
    """
    bands = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS)
    acc = bands[:, :, 0] * _MULTIPLIERS32[0]
    for j in range(1, ROWS):
        acc += bands[:, :, j] * _MULTIPLIERS32[j]
    hashed = (_fmix32(acc) >> np.uint32(32 - _KEY_BITS)).astype(np.uint64)
    return _BAND_PREFIX | (hashed << _U64(_ROW_BITS))


class NearDupIndex:
    """LSH index of article signatures: which stored article is this text a copy of?

    Build it from the stored signatures with :meth:`from_rows`; then, for each new
    article, ``duplicate_of = index.match(sig)`` and ``index.add(article_id, sig)``.
    """

    MERGE_EVERY = 4096  # articles added before their band entries join the sorted array
    MAX_BUCKET = 32  # earliest members of one band bucket that a query examines

    def __init__(self) -> None:
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._ids = np.empty(1024, dtype=np.int64)
        self._alive = np.zeros(1024, dtype=bool)
        self._n = 0  # rows used
        self._row_of: dict[int, int] = {}  # article id -> its current row
        self._sorted = np.empty(0, dtype=np.uint64)  # packed band entries, merged
        self._recent: dict[int, list[int]] = {}  # band key -> rows, not merged yet
        self._recent_rows: list[int] = []

    # -- building ---------------------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, bytes]]) -> NearDupIndex:
        """An index of stored ``(article_id, signature_to_bytes(sig))`` rows, in any order.

        A repeated article id keeps its last row; empty signatures are not indexed.
        """
        ids: list[int] = []
        blobs: list[bytes] = []
        for article_id, blob in rows:
            ids.append(int(article_id))
            blobs.append(bytes(blob))
        index = cls()
        if not ids:
            return index
        # rows in article-id order (stable: a repeated id's last row wins), so that the
        # earliest members of a bucket are the first-seen articles, whatever the fetch order
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        ids = [ids[i] for i in order]
        blobs = [blobs[i] for i in order]
        bad = next((b for b in blobs if len(b) != SIGNATURE_BYTES), None)
        if bad is not None:
            signature_from_bytes(bad)  # raises with the reason
        raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), SIGNATURE_BYTES)
        tags_ok = (raw[:, : len(SIGNATURE_TAG)] == np.frombuffer(SIGNATURE_TAG, np.uint8)).all(1)
        if not tags_ok.all():
            signature_from_bytes(blobs[int(np.argmin(tags_ok))])  # raises with the reason
        sigs = raw[:, len(SIGNATURE_TAG) :].copy().view("<u4").astype(np.uint32, copy=False)
        index._append(np.asarray(ids, dtype=np.int64), sigs)
        index._merge(np.arange(len(ids), dtype=np.int64))
        return index

    def add(self, article_id: int, sig: np.ndarray) -> None:
        """Index an article; re-adding an id replaces its signature (a re-crawled page)."""
        sig = np.asarray(sig, dtype=np.uint32).reshape(1, NUM_PERM)
        row = self._append(np.array([int(article_id)], dtype=np.int64), sig)[0]
        if not self._alive[row]:
            return
        for key in (_band_keys(sig)[0] >> _U64(_ROW_BITS)).tolist():
            self._recent.setdefault(key, []).append(row)
        self._recent_rows.append(row)
        if len(self._recent_rows) >= self.MERGE_EVERY:
            self._merge(np.array(self._recent_rows, dtype=np.int64))
            self._recent.clear()
            self._recent_rows.clear()

    def _append(self, ids: np.ndarray, sigs: np.ndarray) -> np.ndarray:
        """Store rows for ``ids``; kill the rows they replace. Returns the new rows."""
        n, m = self._n, len(ids)
        if n + m > MAX_ROWS:
            raise OverflowError(f"NearDupIndex holds at most {MAX_ROWS} signatures")
        if n + m > len(self._ids):
            capacity = max(n + m, 2 * len(self._ids))
            for name in ("_sigs", "_ids", "_alive"):
                old = getattr(self, name)
                new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
                new[:n] = old[:n]
                setattr(self, name, new)
        rows = np.arange(n, n + m, dtype=np.int64)
        self._sigs[n : n + m] = sigs
        self._ids[n : n + m] = ids
        self._alive[n : n + m] = ~np.all(sigs == _EMPTY, axis=1)
        row_of = self._row_of
        id_list = ids.tolist()
        if row_of:  # ids stored before: their old rows die
            old = [row_of[i] for i in id_list if i in row_of]
            self._alive[old] = False
        if m > 1:  # an id repeated within the batch: its last row wins
            _, last_from_end = np.unique(ids[::-1], return_index=True)
            keep = np.zeros(m, dtype=bool)
            keep[m - 1 - last_from_end] = True
            self._alive[n : n + m] &= keep
        row_of.update(zip(id_list, rows.tolist()))
        self._n = n + m
        return rows

    def _merge(self, rows: np.ndarray) -> None:
        """Move the band entries of ``rows`` into the sorted array (O(n) copy)."""
        rows = rows[self._alive[rows]]
        if rows.size == 0:
            return
        entries = np.empty(rows.size * BANDS, dtype=np.uint64)
        for start in range(0, rows.size, 8192):  # chunks keep the temporaries in cache
            chunk = rows[start : start + 8192]
            keys = _band_keys(self._sigs[chunk]) | chunk.astype(np.uint64)[:, None]
            entries[start * BANDS : (start + chunk.size) * BANDS] = keys.ravel()
        entries.sort()
        if self._sorted.size == 0:
            self._sorted = entries
        else:
            at = np.searchsorted(self._sorted, entries)
            self._sorted = np.insert(self._sorted, at, entries)

    # -- querying ---------------------------------------------------------------

    @staticmethod
    def _window(cap: int, _cache: dict[int, np.ndarray] = {}) -> np.ndarray:  # noqa: B006
        if cap not in _cache:
            _cache[cap] = np.arange(cap, dtype=np.int64)
        return _cache[cap]

    def candidates(self, sig: np.ndarray) -> np.ndarray:
        """Rows sharing a band with ``sig`` (the earliest MAX_BUCKET per band), alive only."""
        keys = _band_keys(np.asarray(sig, dtype=np.uint32).reshape(1, NUM_PERM))[0]
        cap = self.MAX_BUCKET
        found: list[np.ndarray] = []
        if self._sorted.size:
            # a bucket's entries are contiguous and in row order: look at the first
            # `cap` entries from each band's lower bound, keep those with the band's key
            lo = np.searchsorted(self._sorted, keys, side="left")
            at = np.minimum(lo[:, None] + self._window(cap), self._sorted.size - 1)
            entries = self._sorted[at]
            hit = (entries >> _U64(_ROW_BITS)) == (keys >> _U64(_ROW_BITS))[:, None]
            if hit.any():
                found.append(entries[hit] & _U64(_ROW_MASK))
        if self._recent:
            recent = self._recent
            for key in (keys >> _U64(_ROW_BITS)).tolist():
                hit = recent.get(key)
                if hit:
                    found.append(np.array(hit[:cap], dtype=np.uint64))
        if not found:
            return np.empty(0, dtype=np.int64)
        rows = np.unique(np.concatenate(found)).astype(np.int64)
        return rows[self._alive[rows]]

    def match_with_score(
        self, sig: np.ndarray, exclude: int | None = None
    ) -> tuple[int, float] | None:
        """(article id, estimated Jaccard) of the best stored match at or above THRESHOLD."""
        sig = np.asarray(sig, dtype=np.uint32)
        if is_empty(sig):
            return None
        rows = self.candidates(sig)
        if exclude is not None:
            rows = rows[self._ids[rows] != exclude]
        if rows.size == 0:
            return None
        equal = np.count_nonzero(self._sigs[rows] == sig, axis=1)
        ok = equal >= THRESHOLD * NUM_PERM
        if not ok.any():
            return None
        rows, equal = rows[ok], equal[ok]
        best = np.flatnonzero(equal == equal.max())
        article_id = int(self._ids[rows[best]].min())
        return article_id, float(equal[best[0]]) / NUM_PERM

    def match(self, sig: np.ndarray, exclude: int | None = None) -> int | None:
        """The stored article ``sig`` is a near-copy of (best estimated Jaccard), or None."""
        found = self.match_with_score(sig, exclude)
        return None if found is None else found[0]

    def signature_of(self, article_id: int) -> np.ndarray | None:
        row = self._row_of.get(article_id)
        return None if row is None else self._sigs[row].copy()

    def __len__(self) -> int:
        return int(np.count_nonzero(self._alive[: self._n]))

    def __contains__(self, article_id: object) -> bool:
        row = self._row_of.get(article_id)  # type: ignore[arg-type]
        return row is not None and bool(self._alive[row])
