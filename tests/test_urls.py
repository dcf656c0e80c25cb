"""What makes two URLs the same page."""

from __future__ import annotations

import pytest

from crawler.urls import canonical_url, choose_canonical, is_public_address, strip_tracking


@pytest.mark.parametrize(
    "variant",
    [
        "https://News.Example.com/2026/03/acme-raises/",
        "https://news.example.com:443/2026/03/acme-raises",
        "https://news.example.com/2026/03/acme-raises#comments",
        "https://news.example.com/2026/03/acme-raises?utm_source=rss&utm_medium=feed",
        "https://news.example.com/2026/03/acme-raises?fbclid=x&gclid=y&mc_cid=z&ref=tc",
        "https://news.example.com/2026/03/acme-raises/index.html",
    ],
)
def test_spellings_of_one_page_share_a_key(variant):
    assert canonical_url(variant) == "https://news.example.com/2026/03/acme-raises"


def test_meaningful_query_parameters_stay_and_are_sorted():
    assert canonical_url("https://x.example/story?id=7&page=2&utm_campaign=a") == \
        "https://x.example/story?id=7&page=2"
    assert canonical_url("https://x.example/story?page=2&id=7") == canonical_url("https://x.example/story?id=7&page=2")
    assert canonical_url("https://x.example/story?id=7") != canonical_url("https://x.example/story?id=8")


def test_strip_tracking_keeps_the_url_fetchable():
    assert strip_tracking("https://x.example/a?utm_source=rss&p=1#top") == "https://x.example/a?p=1"


def test_plausible_declared_canonical_is_used():
    page = "https://news.example.com/2026/03/acme-raises-40m?amp=1"
    declared = "https://www.news.example.com/2026/03/acme-raises-40m"
    assert choose_canonical(page, declared) == "https://www.news.example.com/2026/03/acme-raises-40m"


@pytest.mark.parametrize(
    "declared",
    [
        "https://news.example.com/",  # every article pointing at the homepage
        "https://other.example.org/2026/03/acme-raises-40m",  # another site
        "https://news.example.com/2016/01/unrelated-older-story-about-boats",  # another article
        "javascript:void(0)",
    ],
)
def test_implausible_declared_canonical_is_ignored(declared):
    page = "https://news.example.com/2026/03/acme-raises-40m"
    assert choose_canonical(page, declared) == page


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "::1", "fe80::1", "0.0.0.0", "::ffff:127.0.0.1", "100.64.0.1"])
def test_non_public_addresses(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses(address):
    assert is_public_address(address)
