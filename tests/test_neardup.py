"""Near-duplicate detection on hand-written releases, their syndicated copies and look-alikes.

The fixtures (tests/fixtures/neardup/) are described in cases.py there.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import unicodedata
from pathlib import Path

import duckdb
import numpy as np
import pytest
from datasketch import MinHash

from analysis import neardup
from analysis._text import WORD_RE
from analysis.neardup import (
    NUM_PERM,
    THRESHOLD,
    NearDupIndex,
    estimated_jaccard,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)

_CASES_PATH = Path(__file__).parent / "fixtures" / "neardup" / "cases.py"
_spec = importlib.util.spec_from_file_location("neardup_cases", _CASES_PATH)
cases = importlib.util.module_from_spec(_spec)
sys.modules["neardup_cases"] = cases  # dataclasses look their module up
_spec.loader.exec_module(cases)

DOCS = cases.build_documents()
BY_NAME = {d.name: d for d in DOCS}
SIGS = {d.name: signature(d.text) for d in DOCS}
RELEASES = sorted({d.article for d in DOCS if d.kind == "original"})
ARTICLES = sorted({d.article for d in DOCS})
ID = {name: i + 1 for i, name in enumerate(sorted(BY_NAME))}  # article ids for the index
NAME = {i: name for name, i in ID.items()}


def index_of(names) -> NearDupIndex:
    index = NearDupIndex()
    for name in names:
        index.add(ID[name], SIGS[name])
    return index


def test_fixtures_are_what_the_docstrings_say():
    words = sorted(len(d.text.split()) for d in DOCS if d.kind == "original")
    assert len(RELEASES) == 12 and 250 <= words[0] and words[-1] <= 600
    assert sum(d.kind == "coverage" for d in DOCS) == 6
    kinds = [kind for _, _, kind in cases.build_pairs(DOCS)]
    assert kinds.count("copy") == 12 * 15
    for hard in ("same_template_other_company", "same_company_other_news",
                 "same_round_outlet_vs_release", "same_round_two_outlets"):
        assert kinds.count(hard) > 0, hard


# -- copies are found ------------------------------------------------------------


@pytest.mark.parametrize("variant", cases.VARIANTS)
def test_syndicated_copies_match_their_original(variant):
    index = index_of(f"{r}/original" for r in RELEASES)
    for release in RELEASES:
        found = index.match_with_score(SIGS[f"{release}/{variant}"])
        assert found is not None, f"{release}/{variant} matched nothing"
        assert NAME[found[0]] == f"{release}/original"
        assert found[1] >= THRESHOLD


@pytest.mark.parametrize("first", ("original", *cases.VARIANTS))
def test_copies_match_whichever_copy_was_stored_first(first):
    """The wire copy may be crawled before the newsroom original: any copy can be the anchor."""
    stored = [f"{r}/{first}" for r in RELEASES] + [d.name for d in DOCS if d.kind == "coverage"]
    index = index_of(stored)
    for doc in DOCS:
        if doc.kind == "coverage" or doc.name in stored:
            continue
        assert index.match(SIGS[doc.name]) == ID[f"{doc.article}/{first}"], doc.name


# -- different articles are not --------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES)
def test_different_articles_do_not_match(article):
    """Index every document of every other article; none of this article's may match."""
    index = index_of(d.name for d in DOCS if d.article != article)
    for doc in (d for d in DOCS if d.article == article):
        found = index.match_with_score(SIGS[doc.name])
        assert found is None, f"{doc.name} matched {NAME[found[0]]} at {found[1]:.3f}"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("coverage/03a", "coverage/03b"),  # same round, two outlets
        ("coverage/07a", "coverage/07b"),
        ("coverage/08a", "coverage/08b"),
        ("coverage/08a", "08/original"),  # outlet story vs the release it reports on
        ("coverage/03b", "03/wire"),
        ("04/wire", "06/wire"),  # one PR template, same investor boilerplate, other company
        ("04/original", "05/original"),
        ("01/original", "10/original"),  # same company and About paragraph, other news
    ],
)
def test_hard_negatives_are_below_threshold_yet_far_from_zero(a, b):
    """These pairs share real text (quotes, boilerplate); they must still stay apart."""
    estimate = estimated_jaccard(SIGS[a], SIGS[b])
    exact = len(shingles(BY_NAME[a].text) & shingles(BY_NAME[b].text))
    assert exact > 0, "the pair shares no shingle: not a hard case"
    assert estimate < THRESHOLD
    assert index_of([a]).match(SIGS[b]) is None


def _pairs_at(jaccard: float, n_pairs: int, seed: int):
    """Signatures of text pairs whose shingle sets have (about) the given Jaccard.

    Text A is 304 distinct random words (300 shingles); text B is A shifted by s
    words, sharing 300-s shingles out of 300+s.
    """
    rng = np.random.default_rng(seed)
    shift = round(300 * (1 - jaccard) / (1 + jaccard))
    for _ in range(n_pairs):
        words = [f"w{x}" for x in rng.choice(10**9, 304 + shift, replace=False)]
        a, b = " ".join(words[:304]), " ".join(words[shift:])
        yield signature(a), signature(b), (300 - shift) / (300 + shift)


def test_lsh_proposes_pairs_at_the_lowest_measured_copy_similarity():
    """The weakest true copy in the fixtures has Jaccard ~0.40; LSH must almost never miss it.

    85 bands of 3 find such a pair with probability 0.996; the 64 x 4 that
    datasketch's MinHashLSH would choose for 0.33 finds it with 0.81.
    """
    found = total = 0
    for a, b, exact in _pairs_at(0.40, 300, seed=1):
        assert abs(exact - 0.40) < 0.005
        index = NearDupIndex()
        index.add(1, a)
        found += index.candidates(b).size
        total += 1
    assert found / total >= 0.98


def test_lsh_rarely_proposes_unrelated_pairs():
    """Candidates at J=0.05 must stay rare, or verification grows with the corpus."""
    proposed = 0
    for a, b, _ in _pairs_at(0.05, 300, seed=2):
        index = NearDupIndex()
        index.add(1, a)
        proposed += index.candidates(b).size
        assert index.match(b) is None
    assert proposed / 300 <= 0.04  # expected 1 - (1 - 0.05**3)**85 = 0.011


def test_a_shared_band_is_not_enough_to_match():
    """LSH buckets only propose candidates; the estimated Jaccard decides."""
    stored = SIGS["03/original"]
    probe = SIGS["11/original"].copy()
    probe[: neardup.ROWS] = stored[: neardup.ROWS]  # force one equal band
    index = index_of(["03/original"])
    assert ID["03/original"] in index.candidates(probe)
    assert estimated_jaccard(stored, probe) < THRESHOLD
    assert index.match(probe) is None


# -- the signature ---------------------------------------------------------------


def test_estimated_jaccard_tracks_exact_jaccard_of_the_shingles():
    sets = {d.name: shingles(d.text) for d in DOCS}
    errors = []
    for a, b, _ in cases.build_pairs(DOCS):
        sa, sb = sets[a.name], sets[b.name]
        errors.append(estimated_jaccard(SIGS[a.name], SIGS[b.name]) - len(sa & sb) / len(sa | sb))
    errors = np.abs(errors)
    # standard error at J=0.5 with 256 permutations is 0.031
    assert errors.mean() < 0.01
    assert errors.max() < 0.12


def test_signature_is_a_datasketch_minhash_of_the_shingle_hashes():
    text = BY_NAME["07/original"].text
    hashes = neardup.shingle_hashes(text)
    assert len(hashes) == len(shingles(text))  # one hash per shingle, no collisions here
    reference = MinHash(num_perm=NUM_PERM, seed=neardup.SEED, scheme="affine32", hashfunc=int)
    reference.update_batch(hashes.tolist())
    sig = signature(text)
    assert sig.dtype == np.uint32 and sig.shape == (NUM_PERM,)
    np.testing.assert_array_equal(sig, reference.hashvalues)


def test_signature_ignores_case_punctuation_spacing_and_unicode_forms():
    a = "Lumenfold AI’s Series A — $28 million, led by Northwall Capital."
    b = "LUMENFOLD AI's series a:\u00a0$28\tmillion led by Northwall Capital"
    c = "Ｌｕｍｅｎｆｏｌｄ AI’s Series A — $28 million, led by Northwall Capital."  # full-width
    assert shingles(a) == shingles(b) == shingles(c)
    np.testing.assert_array_equal(signature(a), signature(b))
    np.testing.assert_array_equal(signature(a), signature(c))
    assert shingles(a) != shingles(a.replace("28", "22"))  # digits are words


def test_fast_tokenizer_agrees_with_the_unicode_regex():
    text = (
        "Café’s naïve CEO Zoë Müller-Łukasz said: «ﬁnance² ＡＢＣ»; straße_2026 "
        "x_y 北京 AI公司 raised ¥50亿 — “quote” ‘single’ e\u0301tude ١٢٣ $5M €4.5m\u00a0end"
    )
    reference = WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())
    assert neardup.tokens(text) == reference
    for doc in DOCS:
        assert neardup.tokens(doc.text) == WORD_RE.findall(
            unicodedata.normalize("NFKC", doc.text).casefold()
        )


def test_shingles_are_word_5_grams():
    assert shingles("One two three four five six") == {
        "one two three four five",
        "two three four five six",
    }
    assert shingles("Too short text") == {"too short text"}
    assert shingles(" ,.- ") == set()


def test_empty_text_matches_nothing_and_is_not_indexed():
    empty = signature("")
    assert neardup.is_empty(empty)
    index = NearDupIndex()
    index.add(1, empty)
    index.add(2, SIGS["01/original"])
    assert len(index) == 1 and 1 not in index
    assert index.match(empty) is None
    assert index.match(signature("— · —")) is None


def test_short_identical_texts_match():
    index = NearDupIndex()
    index.add(5, signature("Acme raises $5M"))
    assert index.match(signature("ACME raises $5M!")) == 5
    assert index.match(signature("Acme raises $6M")) is None


# -- bytes and persistence -------------------------------------------------------


def test_signature_round_trips_through_bytes():
    for name in ("01/original", "09/combined", "coverage/08b"):
        data = signature_to_bytes(SIGS[name])
        assert isinstance(data, bytes) and len(data) == neardup.SIGNATURE_BYTES == 4 + 4 * NUM_PERM
        back = signature_from_bytes(data)
        assert back.dtype == np.uint32
        np.testing.assert_array_equal(back, SIGS[name])
    # little-endian, whatever the machine
    counting = signature_to_bytes(np.arange(NUM_PERM, dtype=np.uint32))
    assert counting[4:12] == bytes([0, 0, 0, 0, 1, 0, 0, 0])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        signature_to_bytes(np.zeros(NUM_PERM, np.uint32))[:-4],  # truncated
        b"ND2\x00" + bytes(4 * NUM_PERM),  # another format version
        np.zeros(NUM_PERM, "<u4").tobytes() + bytes(4),  # no tag
    ],
)
def test_foreign_bytes_are_refused(data):
    with pytest.raises(ValueError):
        signature_from_bytes(data)
    with pytest.raises(ValueError):
        NearDupIndex.from_rows([(1, signature_to_bytes(SIGS["01/original"])), (2, data)])


def test_a_later_crawl_finds_copies_of_articles_stored_by_an_earlier_one(tmp_path):
    """Crawl 1 stores originals and signatures in DuckDB; crawl 2 rebuilds and matches."""
    path = tmp_path / "corpus.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE sigs (article_id BIGINT PRIMARY KEY, sig BLOB NOT NULL)")

    def crawl(names):
        with duckdb.connect(str(path)) as con:
            stored = con.execute("SELECT article_id, sig FROM sigs").fetchall()
            index = NearDupIndex.from_rows(stored)
            found = {}
            for name in names:
                found[name] = index.match(SIGS[name])
                index.add(ID[name], SIGS[name])
                blob = signature_to_bytes(SIGS[name])
                con.execute("INSERT INTO sigs VALUES (?, ?)", [ID[name], blob])
        return found

    first = crawl([f"{r}/original" for r in RELEASES])
    assert set(first.values()) == {None}
    second = crawl([f"{r}/wire" for r in RELEASES] + [d.name for d in DOCS if d.kind == "coverage"])
    for name, found in second.items():
        expected = None if name.startswith("coverage/") else ID[name.replace("wire", "original")]
        assert found == expected, name
    third = crawl([f"{r}/combined" for r in RELEASES])
    for name, found in third.items():
        assert BY_NAME[NAME[found]].article == BY_NAME[name].article, name


def test_rebuilt_index_answers_like_the_one_it_was_saved_from():
    names = [d.name for d in DOCS if d.kind in ("original", "truncated", "coverage")]
    live = index_of(names)
    rows = [(ID[n], signature_to_bytes(SIGS[n])) for n in names]
    rebuilt = NearDupIndex.from_rows(rows)
    assert len(rebuilt) == len(live) == len(names)
    queries = [d.name for d in DOCS if d.name not in names]
    assert [rebuilt.match_with_score(SIGS[q]) for q in queries] == [
        live.match_with_score(SIGS[q]) for q in queries
    ]
    assert any(rebuilt.match(SIGS[q]) for q in queries)


# -- order independence ----------------------------------------------------------


def test_matches_do_not_depend_on_the_order_rows_come_back_from_the_database():
    names = [d.name for d in DOCS if d.kind in ("original", "wire", "coverage")]
    rows = [(ID[n], signature_to_bytes(SIGS[n])) for n in names]
    queries = [d.name for d in DOCS if d.name not in names]
    answers = None
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(rows)
        index = NearDupIndex.from_rows(rows)
        got = [index.match(SIGS[q]) for q in queries]
        answers = answers or got
        assert got == answers
    # with both the original and the wire copy stored, the closer one wins
    for q in queries:
        original, wire = f"{BY_NAME[q].article}/original", f"{BY_NAME[q].article}/wire"
        if q.startswith("coverage/"):
            continue
        closer = max((original, wire), key=lambda n: (estimated_jaccard(SIGS[q], SIGS[n]), -ID[n]))
        assert NAME[answers[queries.index(q)]] == closer, q


def test_equally_good_matches_resolve_to_the_smallest_id_in_any_order():
    sig = SIGS["05/original"]
    for order in ([7, 3, 11], [11, 3, 7], [3, 11, 7]):
        index = NearDupIndex()
        for article_id in order:
            index.add(article_id, sig)
        assert index.match(sig) == 3
        rebuilt = NearDupIndex.from_rows((i, signature_to_bytes(sig)) for i in reversed(order))
        assert rebuilt.match(sig) == 3


def test_a_repeated_id_in_stored_rows_keeps_its_last_signature():
    rows = [
        (4, signature_to_bytes(SIGS["02/original"])),
        (9, signature_to_bytes(SIGS["07/original"])),
        (4, signature_to_bytes(SIGS["11/original"])),
    ]
    index = NearDupIndex.from_rows(rows)
    assert len(index) == 2
    assert index.match(SIGS["02/wire"]) is None
    assert index.match(SIGS["11/wire"]) == 4


# -- popular buckets -------------------------------------------------------------


def _naive_candidates(index: NearDupIndex, sig: np.ndarray) -> set[int]:
    """Earliest MAX_BUCKET alive rows per shared band key, by brute force."""
    n = index._n
    keys = neardup._band_keys(index._sigs[:n]) >> np.uint64(neardup._ROW_BITS)
    query = neardup._band_keys(sig[None, :])[0] >> np.uint64(neardup._ROW_BITS)
    found = set()
    for band in range(neardup.BANDS):
        rows = [r for r in np.flatnonzero(keys[:, band] == query[band]) if index._alive[r]]
        found.update(int(index._ids[r]) for r in rows[: index.MAX_BUCKET])
    return found


def test_a_popular_bucket_yields_its_earliest_members_only(monkeypatch):
    """Boilerplate makes huge buckets; a query looks at their first-seen members only
    (a small MAX_BUCKET, so that buckets hold many more)."""
    monkeypatch.setattr(NearDupIndex, "MAX_BUCKET", 3)
    boiler = SIGS["04/original"]
    rows = [(1000 + i, signature_to_bytes(boiler)) for i in range(20)]  # one popular story
    rows += [(ID[d.name], signature_to_bytes(SIGS[d.name])) for d in DOCS if d.article != "04"]
    random.Random(3).shuffle(rows)
    index = NearDupIndex.from_rows(rows)
    story = set(range(1000, 1020))
    assert set(index.candidates(boiler).tolist()) & story == {1000, 1001, 1002}
    assert set(index.candidates(boiler).tolist()) == _naive_candidates(index, boiler)
    assert index.match(SIGS["04/wire"]) == 1000
    for doc in DOCS[::3]:
        sig = SIGS[doc.name]
        assert set(index.candidates(sig).tolist()) == _naive_candidates(index, sig)
    # the same through the recent (not yet merged) buckets
    later = NearDupIndex()
    for article_id, blob in sorted(rows):
        later.add(article_id, signature_from_bytes(blob))
    assert set(later.candidates(boiler).tolist()) & story == {1000, 1001, 1002}
    for doc in DOCS[::3]:
        sig = SIGS[doc.name]
        assert set(later.candidates(sig).tolist()) == _naive_candidates(later, sig)


# -- updates and internals that users rely on ------------------------------------


def test_readding_an_article_replaces_its_signature():
    index = index_of(["01/original", "02/original"])
    index.add(ID["01/original"], SIGS["12/original"])  # the page now says something else
    assert len(index) == 2
    assert index.match(SIGS["01/wire"]) is None
    assert index.match(SIGS["12/wire"]) == ID["01/original"]
    assert index.match(SIGS["12/wire"], exclude=ID["01/original"]) is None
    np.testing.assert_array_equal(index.signature_of(ID["01/original"]), SIGS["12/original"])


def test_matches_survive_merges_of_added_articles(monkeypatch):
    """Entries move from the recent array into the big one; matching must not notice."""
    monkeypatch.setattr(NearDupIndex, "MERGE_EVERY", 5)
    originals = [f"{r}/original" for r in RELEASES]
    index = NearDupIndex.from_rows((ID[n], signature_to_bytes(SIGS[n])) for n in originals[:4])
    for name in originals[4:]:
        index.add(ID[name], SIGS[name])
    assert 0 < index._recent_count < 5  # some merged, some not
    for release in RELEASES:
        assert index.match(SIGS[f"{release}/combined"]) == ID[f"{release}/original"]


# -- placing a batch -------------------------------------------------------------


def _one_at_a_time(index: NearDupIndex, batch: list[tuple[int, np.ndarray]]) -> list[int | None]:
    found = []
    for article_id, sig in batch:
        found.append(index.match(sig, exclude=article_id))
        index.add(article_id, sig)
    return found


@pytest.mark.parametrize("merge_every, max_bucket", [(1024, 32), (7, 2)])
def test_placing_a_batch_answers_as_matching_and_adding_one_at_a_time(monkeypatch, merge_every,
                                                                      max_bucket):
    """Earlier articles of the batch are candidates for later ones, across merges and
    full buckets (the 20 stored copies of one release), and empty texts match nothing."""
    monkeypatch.setattr(NearDupIndex, "MERGE_EVERY", merge_every)
    monkeypatch.setattr(NearDupIndex, "MAX_BUCKET", max_bucket)
    stored_names = [f"{r}/original" for r in RELEASES[:6]]
    stored = [(ID[n], signature_to_bytes(SIGS[n])) for n in stored_names]
    stored += [(1000 + i, signature_to_bytes(SIGS["04/wire"])) for i in range(20)]
    batch = [(ID[d.name], SIGS[d.name]) for d in DOCS if d.name not in stored_names]
    random.Random(5).shuffle(batch)
    batch.insert(10, (2000, signature("")))
    one_by_one = NearDupIndex.from_rows(stored)
    expected = _one_at_a_time(one_by_one, batch)
    placed = NearDupIndex.from_rows(stored)
    got = placed.place([i for i, _ in batch[:30]], [s for _, s in batch[:30]])
    got += placed.place([i for i, _ in batch[30:]], [s for _, s in batch[30:]])
    assert got == expected
    batch_ids = {i for i, _ in batch}
    assert any(found in batch_ids for found in got)  # a copy of an article placed before it
    assert got[10] is None
    assert placed.match_with_score(SIGS["01/original"]) == (ID["01/original"], 1.0)  # all 256 equal
    for doc in DOCS:
        sig = SIGS[doc.name]
        assert placed.match_with_score(sig) == one_by_one.match_with_score(sig)


def test_placing_articles_again_answers_as_one_at_a_time():
    """A failed write can leave placed articles without a stored signature: placed again,
    each replaces its own row and is not its own copy."""
    names = [d.name for d in DOCS if d.kind in ("original", "wire")]
    batch = [(ID[n], SIGS[n]) for n in names]
    placed, one_by_one = NearDupIndex(), NearDupIndex()
    placed.place([i for i, _ in batch], [s for _, s in batch])
    _one_at_a_time(one_by_one, batch)
    again = batch[::2] + [batch[0]]
    expected = _one_at_a_time(one_by_one, again)
    assert placed.place([i for i, _ in again], [s for _, s in again]) == expected
    assert len(placed) == len(one_by_one) == len(names)
