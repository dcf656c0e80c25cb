"""trafilatura through fundnews' options: text, metadata and language of one page."""

from __future__ import annotations

import trafilatura
from trafilatura import metadata

from analysis.extract import extract_page

BODY = " ".join(["Quillmoor Robotics said on Tuesday it had raised $12 million in a Series A round "
                 "led by Harrow Lane Ventures, money it plans to spend on warehouse pickers and on "
                 "hiring engineers in Leeds and Porto."] * 4)
PAGE = f"""<html lang="en"><head><title>Quillmoor Robotics raises $12M</title>
<meta name="author" content="Ada Brennan"><meta property="og:site_name" content="Ledger Wire">
<meta name="description" content="A Series A for warehouse robots.">
<meta property="article:published_time" content="2026-03-04T09:30:00+00:00"></head>
<body><article><h1>Quillmoor Robotics raises $12M</h1><p>{BODY}</p><p>{BODY}</p></article>
<footer><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>
<a href="/about">About us</a></footer></body></html>"""


def test_a_page_gives_its_text_and_metadata_and_leaves_trafilatura_as_it_was():
    original = metadata.extract_license
    page = extract_page(PAGE, "https://ledger.example/quillmoor")
    assert page["title"] == "Quillmoor Robotics raises $12M"
    assert "Quillmoor Robotics said on Tuesday" in page["text"] and "<footer" not in page["text"]
    assert "About us" not in page["text"]
    assert page["author"] == "Ada Brennan" and page["site_name"] == "Ledger Wire"
    assert page["date"].startswith("2026-03-04T09:30")
    assert page["description"] == "A Series A for warehouse robots."
    assert page["language"] == "en"
    # the licence search is skipped only inside our call: trafilatura itself still finds it
    assert metadata.extract_license is original
    document = trafilatura.bare_extraction(PAGE, url="https://ledger.example/quillmoor", with_metadata=True)
    assert document.license == "CC BY 4.0"


def test_the_language_comes_from_the_text():
    german = ("Das Berliner Startup Quillmoor hat in einer Finanzierungsrunde zwölf Millionen Euro "
              "eingesammelt, angeführt von einem Münchner Risikokapitalgeber. ") * 6
    page = extract_page(f"<html><body><article><p>{german}</p></article></body></html>", "https://x.example/a")
    assert page["language"] == "de"
