"""Near-duplicate detection: time per document as the corpus grows, and the cost of a rebuild.

    python bench/bench_dedupe.py     # from the repo root: ~2-2.5 minutes on 2 shared cores

1. Signature: this module's numpy path against datasketch's own ways of computing
   the same kind of MinHash (median of 3 passes over 500 synthetic articles).
2. Corpus sizes 1k, 10k, 100k: the index is built from N stored signatures, then
   a batch of 1,000 new articles (about a third of them edited copies of stored
   ones) goes through signature + match + add, each step timed per article.
   The figure is the median over several batches (7 at 1k and 10k, 5 at 100k),
   each on a fresh index of N. Adds are merged into the sorted band array every
   ``NearDupIndex.MERGE_EVERY`` articles; that merge's cost (it grows with N) is
   timed on its own and spread over the articles that trigger it. Then the same batch
   goes through ``NearDupIndex.place`` at once (what ``corpus/stories.py`` calls) on a
   fresh index of N, per article; its answers must be those of match + add.
3. Rebuild: 100k signatures written to a real DuckDB file (BLOB column) in a temp
   dir; a "new crawl" opens it, fetches all rows and calls ``from_rows``.

Synthetic articles: 250-600 words drawn from a Zipf distribution over a 40k-word
vocabulary, with stock funding-news phrases in every article and, in 40% of
them, one of 8 wire / site boilerplate paragraphs (~70 words): a shared tail like
that is what makes unrelated articles land in the same LSH buckets. A copy gets a
dateline, 1-3 replaced words, often a dropped last paragraph (in 20% of copies only
the first 50-80% of the paragraphs are kept), a disclaimer and/or a different boilerplate.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
from datasketch import MinHash  # noqa: E402

from analysis import neardup  # noqa: E402
from analysis.neardup import (  # noqa: E402
    NearDupIndex,
    estimated_jaccard,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)

SIZES = (1_000, 10_000, 100_000)
RUNS = {1_000: 7, 10_000: 7, 100_000: 5}
BATCH = 1_000
COPY_SHARE = 0.3
SEED = 20260303

STOCK_PHRASES = [
    "today announced that it has raised",
    "the round was led by",
    "with participation from existing investors",
    "the company will use the funds to expand its team",
    "said the co-founder and chief executive officer",
    "brings the total amount raised to date to",
    "for more information visit the company website",
]


class Corpus:
    """Deterministic synthetic funding-news articles and edited copies of them."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = np.random.default_rng([seed, 1])  # vocabulary; texts use other streams
        syllables = np.array(["ka", "lo", "mi", "ren", "tu", "sa", "vor", "el", "di", "quin",
                              "bra", "on", "fe", "lux", "ta", "gri", "po", "zen", "ha", "mor"])
        words = set()
        while len(words) < 40_000:
            n = self.rng.integers(1, 5)
            words.add("".join(self.rng.choice(syllables, n)))
        # Zipf ranks in length order: short words are the frequent ones
        self.vocab = np.array(sorted(words, key=lambda w: (len(w), w)), dtype=object)
        weights = 1.0 / np.arange(1, len(self.vocab) + 1) ** 1.05  # Zipf
        self.cdf = np.cumsum(weights) / weights.sum()
        self.boilerplates = [self._words(70) for _ in range(8)]
        self.disclaimers = [self._words(30) for _ in range(3)]
        self.rng = np.random.default_rng([seed, 2])  # the articles of the batches

    def _words(self, n: int) -> str:
        return " ".join(self.vocab[np.searchsorted(self.cdf, self.rng.random(n))])

    def article(self) -> list[str]:
        """Paragraphs of a new article."""
        total = int(self.rng.integers(250, 601))
        paragraphs = []
        while total > 0:
            n = min(total, int(self.rng.integers(40, 110)))
            words = self._words(n).split()
            pos = int(self.rng.integers(0, len(words)))
            words.insert(pos, STOCK_PHRASES[int(self.rng.integers(len(STOCK_PHRASES)))])
            paragraphs.append(" ".join(words))
            total -= n
        if self.rng.random() < 0.4:
            paragraphs.append(self.boilerplates[int(self.rng.integers(len(self.boilerplates)))])
        return paragraphs

    def copy_of(self, paragraphs: list[str]) -> list[str]:
        """A syndicated copy: dateline, edited words, cut tail, new boilerplate."""
        out = list(paragraphs)
        if len(out) > 2 and self.rng.random() < 0.2:  # a heavy cut: near the threshold
            out = out[: max(2, int(len(out) * self.rng.uniform(0.5, 0.8)))]
        elif len(out) > 2 and self.rng.random() < 0.5:
            out = out[:-1]
        for _ in range(int(self.rng.integers(1, 4))):
            i = int(self.rng.integers(len(out)))
            words = out[i].split()
            words[int(self.rng.integers(len(words)))] = "edited"
            out[i] = " ".join(words)
        out[0] = "SAN FRANCISCO March 3 2026 NewsRelay " + out[0]
        if self.rng.random() < 0.5:
            out.insert(0, self.disclaimers[int(self.rng.integers(len(self.disclaimers)))])
        if self.rng.random() < 0.5:
            out.append(self.boilerplates[int(self.rng.integers(len(self.boilerplates)))])
        return out

    def stream(self, n: int, sources=None, copy_share: float = COPY_SHARE):
        """n articles; a copy_share of them copies of ``sources`` (or of earlier ones)."""
        docs: list[list[str]] = []
        copy_of: list[int | None] = []
        for i in range(n):
            pool = sources if sources is not None else docs
            if pool and self.rng.random() < copy_share:
                j = int(self.rng.integers(len(pool)))
                docs.append(self.copy_of(pool[j]))
                copy_of.append(j)
            else:
                docs.append(self.article())
                copy_of.append(None)
        return ["\n\n".join(d) for d in docs], docs, copy_of


def per_doc_us(fn, items, repeats: int = 3) -> float:
    best = []
    for _ in range(repeats):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best.append((time.perf_counter() - start) / len(items) * 1e6)
    return statistics.median(best)


def bench_signature(corpus: Corpus) -> None:
    texts, _, _ = corpus.stream(300, copy_share=0.0)
    template = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED)

    def datasketch_default(text):  # SHA-1 per shingle string, a new MinHash per article
        m = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED)
        m.update_batch([s.encode() for s in neardup.shingles(text)])
        return m.hashvalues

    def datasketch_copy(text):  # as MinHash.bulk does: copy a template, SHA-1 per shingle
        m = template.copy()
        m.update_batch([s.encode() for s in neardup.shingles(text)])
        return m.hashvalues

    def datasketch_fast_hashes(text):  # our shingle hashes, datasketch's permutation step
        m = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED, scheme="affine32",
                    hashfunc=int, permutations=template.permutations)
        m.update_batch(neardup.shingle_hashes(text).tolist())
        return m.hashvalues

    def bulk(batch):
        return MinHash.bulk([[s.encode() for s in neardup.shingles(t)] for t in batch],
                            num_perm=neardup.NUM_PERM, seed=neardup.SEED)

    words = statistics.mean(len(t.split()) for t in texts)
    print(f"\n1. Signature, NUM_PERM={neardup.NUM_PERM}, {len(texts)} synthetic articles of "
          f"{words:.0f} words on average (median of 3 passes)")
    rows = [
        ("datasketch MinHash per article, SHA-1 per shingle",
         per_doc_us(datasketch_default, texts)),
        ("datasketch MinHash.bulk, SHA-1 per shingle",
         per_doc_us(bulk, [texts]) / len(texts)),
        ("datasketch template.copy(), SHA-1 per shingle", per_doc_us(datasketch_copy, texts)),
        ("datasketch update_batch over neardup.shingle_hashes",
         per_doc_us(datasketch_fast_hashes, texts)),
        ("neardup.signature (numpy permutations)", per_doc_us(signature, texts)),
        ("  of which neardup.tokens", per_doc_us(neardup.tokens, texts)),
        ("  of which neardup.shingle_hashes", per_doc_us(neardup.shingle_hashes, texts)),
    ]
    for label, us in rows:
        print(f"   {label:55s} {us:8.0f} us/article")
    same = all(np.array_equal(signature(t), datasketch_fast_hashes(t)) for t in texts[:50])
    print(f"   neardup.signature == datasketch update_batch of the same hashes: {same}")


class Sources:
    """The first n corpus articles as paragraph lists, split on demand."""

    def __init__(self, texts: list[str], n: int) -> None:
        self.texts, self.n = texts, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> list[str]:
        return self.texts[i].split("\n\n")


def one_run(corpus: Corpus, n: int, rows, texts, story) -> dict:
    """A batch of new articles through signature + match + add on an index of n; then the
    same batch through ``place`` (what Stories calls) on a fresh index of n."""
    batch_texts, _, batch_copy_of = corpus.stream(BATCH, sources=Sources(texts, n))
    index = NearDupIndex.from_rows(rows)
    t_sig, t_match, t_add, sigs, hits = [], [], [], [], []
    above = found_above = below = found_below = false = 0
    next_id = n
    batch_story: dict[int, int] = {}  # stories of the articles this batch adds (ids >= n)
    for text, src in zip(batch_texts, batch_copy_of):
        t0 = time.perf_counter()
        sig = signature(text)
        t1 = time.perf_counter()
        hit = index.match(sig)
        t2 = time.perf_counter()
        index.add(next_id, sig)
        t3 = time.perf_counter()
        sigs.append(sig)
        hits.append(hit)
        next_id += 1
        t_sig.append(t1 - t0)
        t_match.append(t2 - t1)
        t_add.append(t3 - t2)
        batch_story[next_id - 1] = story[src] if src is not None else -next_id
        if src is not None:
            hit_story = None if hit is None else story[hit] if hit < n else batch_story[hit]
            right = hit_story == story[src]
            if estimated_jaccard(sig, signature_from_bytes(rows[src][1])) >= neardup.THRESHOLD:
                above += 1
                found_above += right
            else:  # edited below the threshold: a miss is the threshold's choice, not LSH's
                below += 1
                found_below += right
        elif hit is not None:
            false += 1
    cand = statistics.mean(index.candidates(signature(t)).size for t in batch_texts[:200])
    fresh = NearDupIndex.from_rows(rows)
    t0 = time.perf_counter()
    placed = fresh.place(range(n, n + len(sigs)), np.array(sigs))
    t_place = (time.perf_counter() - t0) / len(sigs)
    if placed != hits:
        raise AssertionError("place() answered otherwise than match + add one at a time")
    return dict(sig=np.mean(t_sig) * 1e6, match=np.mean(t_match) * 1e6, add=np.mean(t_add) * 1e6,
                place=t_place * 1e6,
                cand=cand, recall=found_above / above, below=below / (above + below),
                false=false / (BATCH - above - below))


def merge_cost(n: int, rows, sig_bytes) -> float:
    """us per article of the merge that every MERGE_EVERY-th add triggers, at size n."""
    index = NearDupIndex.from_rows(rows)
    every = NearDupIndex.MERGE_EVERY
    extra = [np.frombuffer(sig_bytes[i], "<u4", offset=4).astype(np.uint32) for i in range(every)]
    for k, sig in enumerate(extra[:-1]):
        index.add(10_000_000 + k, sig)
    t0 = time.perf_counter()
    index.add(10_000_000 + every, extra[-1])  # this add merges
    return (time.perf_counter() - t0) / every * 1e6


def bench_sizes(corpus: Corpus, sig_bytes: list[bytes], texts: list[str],
                copy_of: list[int | None]) -> dict[int, dict]:
    print(f"\n2. Time per new article with N articles already indexed: batches of {BATCH} new "
          f"articles, {COPY_SHARE:.0%} of them copies of stored ones; sizes interleaved run by run")
    # the story each stored article belongs to (itself, or what it is a copy of)
    story = list(range(len(sig_bytes)))
    for i, j in enumerate(copy_of):
        if j is not None:
            story[i] = story[j]
    rows = {n: [(i, sig_bytes[i]) for i in range(n)] for n in SIZES}
    runs: dict[int, list[dict]] = {n: [] for n in SIZES}
    merges: dict[int, list[float]] = {n: [] for n in SIZES}
    for run in range(max(RUNS.values())):
        for n in SIZES:
            if run < RUNS[n]:
                gc.collect()
                runs[n].append(one_run(corpus, n, rows[n], texts, story))
                merges[n].append(merge_cost(n, rows[n], sig_bytes))
    header = (f"   {'N':>7s} {'runs':>4s} {'signature':>10s} {'match':>8s} {'add':>7s} "
              f"{'merge*':>7s} {'total':>8s} {'place**':>8s} {'cand/q':>7s} {'recall':>7s} "
              f"{'<T':>6s} {'false':>6s}")
    print(header + "\n   " + "-" * (len(header) - 3))
    results = {}
    for n in SIZES:
        med = {key: statistics.median(r[key] for r in runs[n]) for key in runs[n][0]}
        med["merge"] = statistics.median(merges[n])
        med["total"] = med["sig"] + med["match"] + med["add"] + med["merge"]
        results[n] = med
        print(f"   {n:7,d} {len(runs[n]):4d} {med['sig']:8.0f}us {med['match']:6.0f}us "
              f"{med['add']:5.0f}us {med['merge']:5.1f}us {med['total']:6.0f}us "
              f"{med['place']:6.0f}us {med['cand']:7.2f} "
              f"{min(r['recall'] for r in runs[n]):7.1%} "
              f"{statistics.median(r['below'] for r in runs[n]):6.1%} "
              f"{max(r['false'] for r in runs[n]):6.1%}")
    print(f"   medians over runs of the per-article mean. * the merge every "
          f"MERGE_EVERY={NearDupIndex.MERGE_EVERY} adds trigger, per article.\n"
          "   ** the same batch through place() at once (match + add + merges), per article.\n"
          "   cand/q: LSH candidates verified per query. recall: worst run, copies whose\n"
          "   estimated Jaccard with their source is >= THRESHOLD that matched the source or\n"
          "   another copy of it (stored, or added earlier in the batch).\n"
          "   <T: copies edited below THRESHOLD (not expected to match). false: worst run, new\n"
          "   non-copies matched to anything.")
    small, big = results[SIZES[0]], results[SIZES[-1]]
    index_part = lambda r: r["match"] + r["add"] + r["merge"]  # noqa: E731
    print(f"\n   time/doc({SIZES[-1] // 1000}k) / time/doc({SIZES[0] // 1000}k): "
          f"{big['total'] / small['total']:.2f} (signature + match + add + merge); "
          f"index part alone (match + add + merge): {index_part(big) / index_part(small):.2f}")
    return results


def bench_rebuild(sig_bytes: list[bytes]) -> None:
    n = len(sig_bytes)
    print(f"\n3. Rebuild at the start of a crawl from {n:,} signatures stored in DuckDB")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "corpus.duckdb")
        with duckdb.connect(path) as con:
            con.execute("CREATE TABLE neardup_signatures (article_id BIGINT PRIMARY KEY, "
                        "signature BLOB NOT NULL)")
            con.execute("CHECKPOINT")
        empty_size = os.path.getsize(path)
        table = pa.table({"article_id": pa.array(range(n), pa.int64()),
                          "signature": pa.array(sig_bytes, pa.binary())})
        t0 = time.perf_counter()
        with duckdb.connect(path) as con:
            con.register("batch", table)
            con.execute("INSERT INTO neardup_signatures SELECT * FROM batch")
            con.execute("CHECKPOINT")
        write = time.perf_counter() - t0
        size = os.path.getsize(path)
        fetches, builds = [], []
        for _ in range(3):
            gc.collect()
            t0 = time.perf_counter()
            with duckdb.connect(path, read_only=True) as con:
                rows = con.execute(
                    "SELECT article_id, signature FROM neardup_signatures"
                ).fetchall()
            t1 = time.perf_counter()
            index = NearDupIndex.from_rows(rows)
            t2 = time.perf_counter()
            fetches.append(t1 - t0)
            builds.append(t2 - t1)
            del rows
        probe = np.frombuffer(sig_bytes[n // 2], "<u4", offset=4).astype(np.uint32)
        assert index.match(probe) is not None and len(index) == n
        n_rows = index._n
        memory = index._sigs[:n_rows].nbytes + index._sorted.nbytes + index._ids[:n_rows].nbytes
    print(f"   write (one Arrow batch + checkpoint)     {write:6.2f} s")
    fetch, build = statistics.median(fetches), statistics.median(builds)
    print(f"   fetchall of (article_id, signature)      {fetch:6.2f} s (median of 3)")
    print(f"   NearDupIndex.from_rows                   {build:6.2f} s (median of 3)")
    print(f"   total                                    "
          f"{fetch + build:6.2f} s")
    print(f"   storage per signature: {neardup.SIGNATURE_BYTES} bytes serialized, "
          f"{(size - empty_size) / n:.0f} bytes in the DuckDB file "
          f"({(size - empty_size) / 2**20:.0f} MiB for {n:,})")
    print(f"   index memory per article: {memory / n:.0f} bytes "
          f"({neardup.NUM_PERM * 4} signature + {neardup.BANDS * 8} band entries + 8 id)")


def make_corpus_part(part: int) -> tuple[list[str], list[bytes], list[int | None], float]:
    """Half of the 100k corpus (copies refer within the half), with its signatures."""
    corpus = Corpus()
    corpus.rng = np.random.default_rng([SEED, 1000 + part])  # not [SEED, 0]: same as SEED
    texts, _, copy_of = corpus.stream(SIZES[-1] // 2)
    start = time.perf_counter()
    sig_bytes = [signature_to_bytes(signature(t)) for t in texts]
    return texts, sig_bytes, copy_of, (time.perf_counter() - start) / len(texts)


def main() -> None:
    started = time.perf_counter()
    corpus = Corpus()
    print(f"near-duplicate bench: NUM_PERM={neardup.NUM_PERM} BANDS x ROWS={neardup.BANDS} x "
          f"{neardup.ROWS} THRESHOLD={neardup.THRESHOLD} SHINGLE_SIZE={neardup.SHINGLE_SIZE} "
          f"MAX_BUCKET={NearDupIndex.MAX_BUCKET}")
    bench_signature(corpus)

    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:  # setup only: 2 halves at once
        parts = pool.map(make_corpus_part, [0, 1])
    texts, sig_bytes, copy_of = [], [], []
    for part_texts, part_sigs, part_copy_of, _ in parts:
        offset = len(texts)
        texts += part_texts
        sig_bytes += part_sigs
        copy_of += [None if j is None else j + offset for j in part_copy_of]
    print(f"\n   corpus: {len(texts):,} synthetic articles generated and signed in "
          f"{time.perf_counter() - t0:.0f} s by 2 processes "
          f"(signature {statistics.mean(p[3] for p in parts) * 1e6:.0f} us/article in each)")
    del parts
    gc.collect()
    gc.freeze()  # the synthetic corpus is static: keep the collector from rescanning it
    bench_sizes(corpus, sig_bytes, texts, copy_of)
    bench_rebuild(sig_bytes)
    print(f"\ndone in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
