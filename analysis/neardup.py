"""Near-duplicate detection: MinHash signatures and an LSH index that persists across crawls.

One press release reaches the corpus many times: from the company newsroom, from
wires (dateline prepended, "About <wire>" appended) and from syndicating sites
(disclaimer on top, media contact below, last paragraph cut, a sentence edited).
``content_hash`` only catches identical normalised text; this module finds the
copies that differ. Pure Python + numpy; no Scrapy.

Use::

    index = NearDupIndex.from_rows(con.execute("SELECT article_id, sig FROM ...").fetchall())
    sigs = np.stack([signature(text) for text in texts])
    duplicate_of = index.place(article_ids, sigs)  # per article: an earlier id, or None
    # and store signature_to_bytes(sig) of each; one at a time: index.match(sig), index.add(id, sig)

Shingles
    Word 5-grams of the NFKC-normalised, case-folded text, split on everything that
    is not a Unicode letter or digit (punctuation, ``$``, ``€``, ``_``, spaces);
    digits are kept, so "$28 million" and "$22 million" differ. Words, not
    characters, because syndication edits words and phrases. 5 because shorter
    n-grams make different articles of one genre look alike ("the round was led
    by" is in every funding story) and longer ones let each small edit destroy more
    shingles. Exact-Jaccard gap on the fixtures below, lowest copy / highest
    different article: k=3 0.436 / 0.330 (ratio 1.32), k=5 0.404 / 0.263 (1.54),
    k=7 0.385 / 0.225 (1.71). k=7 separates a little better on paper but pushes
    every value towards zero, where MinHash noise weighs more, and loses 7 shingles
    per edited word; k=5 is already error-free at NUM_PERM=256 (below). A text of
    at most 5 words is one shingle; a text without words has none.

Signature
    A datasketch ``affine32`` MinHash (seed :data:`SEED`, :data:`NUM_PERM` = 256
    permutations) of the shingle set: a ``uint32`` array. For speed, a shingle's
    32-bit hash is computed in numpy from one CRC-32 per word (odd-multiplier
    combination of its 5 word hashes, 64-bit MurmurHash3 finaliser, top 32 bits)
    and the permutations are applied to all shingles at once with datasketch's own
    parameters for SEED (drawn here as datasketch draws them: importing datasketch
    pulls in scipy, ~70 MB and ~0.25 s in every crawl and worker process). The
    result is bit-for-bit
    ``MinHash(scheme="affine32", seed=SEED, hashfunc=int).update_batch(shingle_hashes(text))``
    (tested). Measured by ``bench/bench_dedupe.py`` on 507-word synthetic articles
    (shared 2-core machine, numbers vary ~1.5x between runs): 240-290 us per
    article, against 1,000-2,000 us for datasketch's default path (SHA-1 per
    shingle string; ``MinHash.bulk`` or a copied template are no faster) and
    380-680 us for datasketch's ``update_batch`` over the same hashes.

    Stored form (:func:`signature_to_bytes`): the 4-byte tag ``b"ND1\\0"`` and the
    256 values little-endian, 1,028 bytes (1,043 bytes per row in a DuckDB BLOB
    column, measured). The tag stands for everything that makes two signatures
    comparable (tokenising, shingle hash, SEED, NUM_PERM): bytes with another tag or
    length are refused, never silently mis-compared.

Threshold (measured: ``python tests/fixtures/neardup/cases.py``)
    Fixtures (``tests/fixtures/neardup/``, fictional, written for this): 12 press
    releases of AI companies (251-462 words), each with 5 syndicated copies (wire;
    republishing site; edited; last paragraph cut; all of that at once through the
    other wire and site), and 6 news stories, two outlets each on the rounds of 3
    of the releases: 78 documents, 3,003 pairs. "copy" = any two documents of one
    release, copy vs copy included (whichever copy is crawled first is the one
    stored). Estimated Jaccard, NUM_PERM=256, SEED=1 (exact Jaccard in brackets)::

        copy                           180 pairs  min 0.434 (0.404)  p5 0.516  median 0.758
        same template, other company   108 pairs  max 0.270 (0.263)  median 0.137
        same company, other news        36 pairs  max 0.160 (0.152)
        same round, outlet vs release   36 pairs  max 0.074 (0.084)
        same round, two outlets          3 pairs  max 0.027 (0.020)
        unrelated                     2640 pairs  max 0.172 (0.172)  median 0.000

    (The unrelated maximum is two different releases syndicated through the same
    wire and site; the same-template pairs share a PR template and the lead
    investor's 70-word "About" paragraph.)

    Gap: estimated [0.270, 0.434], exact [0.263, 0.404]. :data:`THRESHOLD` = 0.33:
    the middle of the exact gap and the point equally many standard errors from
    both edges (sigma = sqrt(J(1-J)/256): 0.028 at 0.263, 0.031 at 0.404, 2.4 sigma
    each). Robustness over permutation seeds: with 256 permutations, 100 seeds,
    thresholds 0.32-0.35 each misclassify at most 2 of the 300,300 pair-seeds
    (0.33: 2 pairs, in 1 seed); 0.37 already 12. With 128 permutations (sigma 0.042,
    the 0.14-wide gap is only ~1.7 sigma per side) 5 of 30 seeds misclassify pairs
    at 0.33, which is why NUM_PERM is 256.

    Not detected, by design: an excerpt (two paragraphs + "read more") is contained
    in its release but has a low Jaccard with it; a news story rewritten from a
    release is a different article (the hard negatives above).

Index
    :class:`NearDupIndex` cuts each signature into :data:`BANDS` = 85 bands of
    :data:`ROWS` = 3 values; a stored article is a candidate when one band is
    equal: probability 1-(1-J^3)^85 = 0.955 at J=0.33, 0.996 at 0.40, 0.9993 at
    0.434 (the lowest copy), 0.04 at 0.08, 0.011 at 0.05. Every candidate is
    verified by its estimated Jaccard over all 256 values; the best one at or above
    THRESHOLD wins, ties going to the smallest article id. datasketch's
    ``MinHashLSH`` would pick 64 x 4 for 0.33, which finds a J=0.40 pair only with
    probability 0.81: an extra candidate costs a vectorised comparison, a missed
    copy is lost.

    Boilerplate: articles sharing only a wire's "About" paragraph have J ~ 0.08,
    and thousands carry the same one, so the buckets their bands share grow with
    the corpus and so would the candidates of every query. On the bench corpus
    (see ``bench/bench_dedupe.py``), without a limit: 2.2 / 13.5 / 156 candidates
    per query at 1k / 10k / 100k articles. A query therefore examines only the
    earliest :attr:`NearDupIndex.MAX_BUCKET` = 32 members of each bucket it hits (in
    each of the two arrays below, so up to 64 while a bucket spans both): a
    story's copies share many buckets of their own, and the earliest members are
    the first-seen copies, the ones to link to. With the limit: 2.2 / 6.4 / 12.2
    candidates, and the same recall (all 300-query samples: 100% of copies above
    THRESHOLD found, no false match). ``from_rows`` orders rows by article id, so
    the answer does not depend on the order the database returns rows in.

    Layout: one sorted ``uint64`` array of packed (band, 31-bit band hash, row)
    entries, 8 bytes per band (680 per article); entries added since the last merge
    sit in a second, small sorted array, merged into the big one every
    :attr:`NearDupIndex.MERGE_EVERY` adds (an O(n) insert, 3-35 us per article
    amortised). A bucket is a contiguous run of either array, in row order. With the
    1,024-byte signatures kept for verification: 1,712 bytes of memory per article.

    Batches: :meth:`NearDupIndex.place` (what ``corpus/stories.py`` calls) matches
    and adds a batch at once, with the answers of ``match`` + ``add`` one article at
    a time (tested): the band keys of the whole batch are binary-searched in sorted
    order, so each search starts where the previous one ended (8-12 ms for 2,000
    articles at 20k-100k stored, against 75-100 ms for the keys unsorted), each
    (article, candidate) pair is verified once, an article's candidates against
    its own signature (a SWAR count of equal values). ``bench/bench_dedupe.py``, at
    1k / 10k / 100k stored articles (shared 2-core machine, load average 3-4):
    ``place`` 16 / 22 / 73 us per article; one at a time, match + add + merge
    199 / 240 / 398 us (adds into the small sorted array cost 80-130 us each, the
    dict this array replaced 40-75; only tests and the bench add one at a time).
    Signatures take another 230-250 us an article, in the workers. A new crawl
    rebuilds the index from 100k stored signatures in 0.9-2.0 s (DuckDB fetchall
    0.2-0.6 s, ``from_rows`` 0.7-1.5 s).
"""
from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable

import numpy as np

from ._text import word_runs

SHINGLE_SIZE = 5
NUM_PERM = 256
SEED = 1
THRESHOLD = 0.33
BANDS = 85
ROWS = 3
SIGNATURE_TAG = b"ND1\x00"  # bump when shingling, hashing, SEED or NUM_PERM change
SIGNATURE_BYTES = len(SIGNATURE_TAG) + 4 * NUM_PERM

assert BANDS * ROWS <= NUM_PERM
assert NUM_PERM % 8 == 0 and NUM_PERM // 8 < 256  # _equal_counts: no carry between bytes

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

# datasketch 2.0's affine32 permutations h -> a*h + b (mod 2^32) for SEED, drawn as
# MinHash._init_permutations draws them (a odd: a bijection); tests compare with datasketch.
_rng = np.random.RandomState(SEED)
_PERM_A = _rng.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_PERM_B = _rng.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
del _rng

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


def _word_bytes(text: str) -> list[bytes]:
    """UTF-8 words of the NFKC, case-folded text: runs of Unicode letters and digits."""
    return word_runs(unicodedata.normalize("NFKC", text).casefold())


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
    return np.unique(_shingle_hash_values(text))


def _shingle_hash_values(text: str) -> np.ndarray:
    """The 32-bit hash of each shingle, in text order, repeats included."""
    words = _word_bytes(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    k = min(SHINGLE_SIZE, len(words))
    n = len(words) - k + 1
    acc = word_hashes[:n] * _MULTIPLIERS[0]
    for j in range(1, k):
        acc += word_hashes[j : j + n] * _MULTIPLIERS[j]
    return (_fmix64(acc) >> _U64(32)).astype(np.uint32)


def signature(text: str) -> np.ndarray:
    """MinHash of the text's shingles: ``NUM_PERM`` uint32 values (all 0xFFFFFFFF if empty).

    Over the shingle hashes with repeats: a repeat cannot change a minimum, and leaving
    them in skips the sort that making them distinct costs."""
    hashes = _shingle_hash_values(text)
    if hashes.size == 0:
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    permuted = np.multiply(_fmix32(hashes)[:, None], _PERM_A)  # wraps mod 2^32, as datasketch
    permuted += _PERM_B
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


def signatures_from_bytes(blobs: list[bytes]) -> np.ndarray:
    """Many stored signatures at once: an (n, NUM_PERM) array; refuses as
    :func:`signature_from_bytes` does."""
    bad = next((b for b in blobs if len(b) != SIGNATURE_BYTES), None)
    if bad is not None:
        signature_from_bytes(bad)  # raises with the reason
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), SIGNATURE_BYTES)
    tags_ok = (raw[:, : len(SIGNATURE_TAG)] == np.frombuffer(SIGNATURE_TAG, np.uint8)).all(1)
    if not tags_ok.all():
        signature_from_bytes(blobs[int(np.argmin(tags_ok))])  # raises with the reason
    return raw[:, len(SIGNATURE_TAG) :].copy().view("<u4").astype(np.uint32, copy=False)


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

    Build it from the stored signatures with :meth:`from_rows`; then, for a batch of new
    articles, ``duplicate_of = index.place(ids, sigs)`` (or, one article at a time,
    ``index.match(sig)`` and ``index.add(article_id, sig)``).
    """

    # articles added since the last merge sit in a small sorted array of their own; merging
    # it into the big one copies the big one, so it happens every MERGE_EVERY articles
    MERGE_EVERY = 1024
    MAX_BUCKET = 32  # earliest members of one band bucket (of each array) that a query examines

    def __init__(self) -> None:
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._ids = np.empty(1024, dtype=np.int64)
        self._alive = np.zeros(1024, dtype=bool)
        self._n = 0  # rows used
        self._row_of: dict[int, int] = {}  # article id -> its current row
        self._sorted = np.empty(0, dtype=np.uint64)  # packed band entries, merged
        self._recent = np.empty(0, dtype=np.uint64)  # packed band entries added since, sorted
        self._recent_count = 0  # articles in self._recent

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
            blobs.append(blob)
        index = cls()
        if not ids:
            return index
        # rows in article-id order (stable: a repeated id's last row wins), so that the
        # earliest members of a bucket are the first-seen articles, whatever the fetch order
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        sigs = signatures_from_bytes([blobs[i] for i in order])
        rows_added = index._append(np.asarray(ids, dtype=np.int64)[order], sigs)
        index._sorted = _inserted(index._sorted, index._entries(rows_added))
        return index

    def add(self, article_id: int, sig: np.ndarray) -> None:
        """Index an article; re-adding an id replaces its signature (a re-crawled page)."""
        sig = _checked(sig)
        self._index(self._append(np.array([int(article_id)], dtype=np.int64), sig[None, :]))
        if self._recent_count >= self.MERGE_EVERY:
            self._merge_recent()

    def place(self, ids: Iterable[int], sigs: np.ndarray) -> list[int | None]:
        """Match each article, in order, against the index as it stands, then add it.

        The same answers as ``match(sig, exclude=article_id)`` then ``add(article_id,
        sig)`` one article at a time (earlier articles of the batch are candidates for
        later ones), computed for all of them at once.
        """
        ids = np.asarray(list(ids), dtype=np.int64)
        sigs = np.asarray(sigs, dtype=np.uint32).reshape(len(ids), NUM_PERM)
        id_list = ids.tolist()
        if len(set(id_list)) < len(id_list) or any(i in self._row_of for i in id_list):
            # an article placed again (its stored signature lost with a failed write)
            # replaces its row halfway through the batch: one at a time, as add does
            found = []
            for article_id, sig in zip(id_list, sigs):
                found.append(self.match(sig, exclude=article_id))
                self.add(article_id, sig)
            return found
        rows = self._append(ids, sigs)
        best = np.full(len(ids), -1, dtype=np.int64)
        indexed = np.flatnonzero(self._alive[rows])  # empty signatures match nothing
        while indexed.size:
            # up to the next merge, the big array stays as it is: one pass for the lot
            chunk, indexed = np.split(indexed, [self.MERGE_EVERY - self._recent_count])
            self._index(rows[chunk])
            best[chunk] = self._best(self._sigs[rows[chunk]], before=rows[chunk])[0]
            if self._recent_count >= self.MERGE_EVERY:
                self._merge_recent()
        return [None if b < 0 else b for b in best.tolist()]

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._ids))
        n = self._n
        for name in ("_sigs", "_ids", "_alive"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[:n] = old[:n]
            setattr(self, name, new)

    def _append(self, ids: np.ndarray, sigs: np.ndarray) -> np.ndarray:
        """Store rows for ``ids``; kill the rows they replace. Returns the new rows."""
        n, m = self._n, len(ids)
        if n + m > MAX_ROWS:
            raise OverflowError(f"NearDupIndex holds at most {MAX_ROWS} signatures")
        if n + m > len(self._ids):
            self._grow(n + m)
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

    def _entries(self, rows: np.ndarray) -> np.ndarray:
        """The sorted band entries of the alive ``rows``."""
        rows = rows[self._alive[rows]]
        entries = np.empty(rows.size * BANDS, dtype=np.uint64)
        for start in range(0, rows.size, 8192):  # chunks keep the temporaries in cache
            chunk = rows[start : start + 8192]
            keys = _band_keys(self._sigs[chunk]) | chunk.astype(np.uint64)[:, None]
            entries[start * BANDS : (start + chunk.size) * BANDS] = keys.ravel()
        entries.sort()
        return entries

    def _index(self, rows: np.ndarray) -> None:
        """Band entries of new rows into the recent array."""
        entries = self._entries(rows)
        self._recent = _inserted(self._recent, entries)
        self._recent_count += entries.size // BANDS

    def _merge_recent(self) -> None:
        """Move the recent entries into the big sorted array (an O(n) copy); those of rows
        that died since they were added go."""
        recent = self._recent
        alive = self._alive[(recent & _U64(_ROW_MASK)).astype(np.int64)]
        self._sorted = _inserted(self._sorted, recent[alive])
        self._recent = np.empty(0, dtype=np.uint64)
        self._recent_count = 0

    # -- querying ---------------------------------------------------------------

    def candidates(self, sig: np.ndarray) -> np.ndarray:
        """Ids of the stored articles LSH proposes for ``sig``, before verification.

        Those sharing at least one band with it; of a band bucket, only the earliest
        MAX_BUCKET members (see the module docstring).
        """
        _, rows = self._candidate_pairs(_band_keys(_checked(sig)[None, :]))
        return np.sort(self._ids[np.unique(rows)])

    def _candidate_pairs(self, keys: np.ndarray, before: np.ndarray | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
        """(query, row) pairs, each once, ordered: for each query's band keys
        (``_band_keys``), the alive rows among the earliest MAX_BUCKET of each bucket, in
        each array; rows below ``before[query]`` only, when given."""
        flat = keys.ravel()
        order = np.argsort(flat)  # needles in order: each binary search starts where the last ended
        needles = flat[order]
        queries, found = [], []
        for entries in (self._sorted, self._recent):
            if not entries.size:
                continue
            # a bucket's entries are contiguous and in row order
            lo = np.searchsorted(entries, needles, side="left")
            hi = np.searchsorted(entries, needles | _U64(_ROW_MASK), side="right")
            take = np.minimum(hi - lo, self.MAX_BUCKET)
            total = int(take.sum())
            if not total:
                continue
            owner = np.repeat(np.arange(take.size), take)
            at = lo[owner] + np.arange(total) - np.repeat(np.cumsum(take) - take, take)
            queries.append(order[owner] // BANDS)
            found.append((entries[at] & _U64(_ROW_MASK)).astype(np.int64))
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        query, rows = np.concatenate(queries), np.concatenate(found)
        keep = self._alive[rows]
        if before is not None:
            keep &= rows < before[query]
        # a copy shares many buckets with its source: verify each pair once (a sort: 20x
        # faster here than np.unique, which hashes)
        pairs = np.sort((query[keep] << 32) | rows[keep])
        once = np.ones(pairs.size, dtype=bool)
        once[1:] = pairs[1:] != pairs[:-1]
        pairs = pairs[once]
        return pairs >> 32, pairs & 0xFFFFFFFF

    def _best(self, sigs: np.ndarray, before: np.ndarray | None = None, exclude: int | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """Per query signature: the id of its best verified match (-1: none) and the number
        of equal values. Best: the most equal values, then the smallest article id."""
        best = np.full(len(sigs), -1, dtype=np.int64)
        equal_best = np.zeros(len(sigs), dtype=np.int64)
        query, rows = self._candidate_pairs(_band_keys(sigs), before)
        if exclude is not None:
            keep = self._ids[rows] != exclude
            query, rows = query[keep], rows[keep]
        if not rows.size:
            return best, equal_best
        # pairs come grouped by query: each query's candidates against its one signature
        bounds = np.searchsorted(query, np.arange(len(sigs) + 1))
        equal = np.empty(rows.size, dtype=np.int64)
        for q in np.flatnonzero(bounds[1:] > bounds[:-1]).tolist():
            lo, hi = bounds[q], bounds[q + 1]
            equal[lo:hi] = _equal_counts(self._sigs[rows[lo:hi]], sigs[q])
        ok = equal >= THRESHOLD * NUM_PERM
        query, ids, equal = query[ok], self._ids[rows[ok]], equal[ok]
        order = np.lexsort((ids, -equal, query))  # per query: most equal values, smallest id first
        query, ids, equal = query[order], ids[order], equal[order]
        first = np.ones(query.size, dtype=bool)
        first[1:] = query[1:] != query[:-1]
        best[query[first]] = ids[first]
        equal_best[query[first]] = equal[first]
        return best, equal_best

    def match_with_score(
        self, sig: np.ndarray, exclude: int | None = None
    ) -> tuple[int, float] | None:
        """(article id, estimated Jaccard) of the best stored match at or above THRESHOLD."""
        sig = _checked(sig)
        if is_empty(sig):
            return None
        best, equal = self._best(sig[None, :], exclude=exclude)
        return None if best[0] < 0 else (int(best[0]), float(equal[0]) / NUM_PERM)

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


def _checked(sig: np.ndarray) -> np.ndarray:
    sig = np.asarray(sig, dtype=np.uint32)
    if sig.shape != (NUM_PERM,):
        raise ValueError(f"a signature has {NUM_PERM} values, got shape {sig.shape}")
    return sig


_LOW_BYTES = _U64(0x00FF00FF00FF00FF)


def _equal_counts(sigs: np.ndarray, sig: np.ndarray) -> np.ndarray:
    """How many values each row of ``sigs`` shares with ``sig``, 2-3x faster than
    ``count_nonzero(axis=1)``: the comparison's bytes (0 or 1) are added 8 at a time in
    uint64 lanes (at most NUM_PERM / 8 = 32 per byte), the bytes paired into 16-bit lanes
    (at most 64), and those summed by one multiply into the top 16 bits."""
    lanes = (sigs == sig).view(np.uint64).sum(axis=1, dtype=np.uint64)
    pairs = (lanes & _LOW_BYTES) + ((lanes >> _U64(8)) & _LOW_BYTES)
    return ((pairs * _U64(0x0001000100010001)) >> _U64(48)).astype(np.int64)


def _inserted(entries: np.ndarray, more: np.ndarray) -> np.ndarray:
    """Sorted ``entries`` with the sorted ``more`` merged in."""
    if not entries.size:
        return more
    return np.insert(entries, np.searchsorted(entries, more), more)
