"""The source registry: the documented minimal form, clear errors, and the built-in sources."""

from __future__ import annotations

import pytest

from crawler.registry import SourceError, load_registry, load_source

MINIMAL = """
name = "Example Newsroom"
homepage = "http://127.0.0.1:8080/"
[[entries]]
type = "feed"            # feed | news_sitemap | sitemap | listing
url = "http://127.0.0.1:8080/feed.xml"
[[entries]]
type = "sitemap"         # an index or a urlset, plain or .gz; news: tags read when present
url = "http://127.0.0.1:8080/sitemap-index.xml"
[crawl]
allow_private_addresses = true   # default false
download_delay = 0               # seconds; default polite
concurrency = 8                  # per-domain requests in flight
"""


def test_the_documented_minimal_form_loads(tmp_path):
    path = tmp_path / "example_newsroom.toml"
    path.write_text(MINIMAL)
    source = load_source(path)
    assert source.id == "example_newsroom"
    assert [e.type for e in source.entries] == ["feed", "sitemap"]
    assert source.crawl.allow_private_addresses and source.crawl.download_delay == 0
    assert source.crawl.concurrency == 8


def test_defaults_are_polite(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(MINIMAL.split("[crawl]")[0])
    crawl = load_source(path).crawl
    assert not crawl.allow_private_addresses and crawl.download_delay >= 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MINIMAL.replace("concurrency = 8", "concurency = 8"), "key 'crawl.concurency'"),
        (MINIMAL.replace('type = "feed"', 'type = "rss"'), "key 'entries.0.type'"),
        (MINIMAL.replace("download_delay = 0", 'download_delay = "slow"'), "key 'crawl.download_delay'"),
        (MINIMAL.replace('homepage = "http://127.0.0.1:8080/"', 'homepage = "ftp://x"'), "key 'homepage'"),
        (MINIMAL.replace('type = "feed"', 'type = "listing"'), "link_selector"),
        (MINIMAL + 'every = "sometimes"\n', "key 'crawl.every'"),
        ("name = [unclosed", "cannot read TOML"),
        # values that used to load and then broke crawls, stats and the scheduler
        (MINIMAL + 'every = "0m"\n', "key 'crawl.every'"),
        (MINIMAL + 'every = "30s"\n', "key 'crawl.every'"),
        (MINIMAL + 'every = "99999999999d"\n', "key 'crawl.every'"),
        (MINIMAL + 'every = "* * * * * */5"\n', "key 'crawl.every'"),  # a seconds field
        (MINIMAL + "max_age_days = 1000000\n", "key 'crawl.max_age_days'"),
    ],
)
def test_bad_files_name_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "broken_source.toml"
    path.write_text(text)
    with pytest.raises(SourceError) as error:
        load_source(path)
    assert "broken_source.toml" in str(error.value) and message in str(error.value)


def test_one_broken_file_does_not_hide_the_others(tmp_path):
    (tmp_path / "good.toml").write_text(MINIMAL)
    (tmp_path / "bad.toml").write_text("nonsense = true")
    registry = load_registry(tmp_path)
    assert list(registry.sources) == ["good"]
    assert len(registry.errors) == 1 and "bad.toml" in registry.errors[0]


def test_cadence_and_age_bounds_that_load(tmp_path):
    path = tmp_path / "edges.toml"
    path.write_text(MINIMAL + 'every = "1m"\nmax_age_days = 36500\n')
    assert load_source(path).crawl.max_age_days == 36500
    path.write_text(MINIMAL + 'every = "366d"\n')
    assert load_source(path).every == "366d"


def test_unknown_source_ids_are_named(tmp_path):
    (tmp_path / "good.toml").write_text(MINIMAL)
    with pytest.raises(SourceError, match="unknown source id: nope"):
        load_registry(tmp_path).select(["nope"])


BUILTIN = load_registry()


def test_builtin_registry_is_large_and_clean():
    assert BUILTIN.errors == []
    kinds = {s.kind for s in BUILTIN.sources.values()}
    assert {"wire", "press", "newsroom"} <= kinds
    assert len([s for s in BUILTIN.sources.values() if s.enabled]) >= 20


@pytest.mark.parametrize("source", BUILTIN.sources.values(), ids=lambda s: s.id)
def test_builtin_source_is_a_real_public_polite_site(source):
    assert not source.crawl.allow_private_addresses
    assert source.crawl.download_delay >= 1
    assert all(e.url.startswith("https://") for e in source.entries)
    assert "127.0.0.1" not in source.homepage and "localhost" not in source.homepage
    for entry in source.entries:
        if entry.type == "sitemap":  # plain sitemaps can hold thousands of old pages: bounded
            assert entry.include or entry.follow_sitemaps or source.crawl.max_age_days
