"""Funding rounds in the corpus: labels on articles, one round per event, evidence, idempotence."""

from __future__ import annotations

from conftest import POLITE_LOCAL, run_cli

FEED_AND_LISTING = """
name = "Fixture feed and listing"
homepage = "{base}"
[[entries]]
type = "feed"
url = "{base}feed.xml"
[[entries]]
type = "listing"
url = "{base}news/index.html"
link_selector = "li.story a.headline"
next_selector = "a.next"
max_pages = 4
""" + POLITE_LOCAL.replace("[crawl]", '[crawl]\nentries = "all"')


def test_articles_are_labelled_and_rounds_extracted(ws):
    ws.source("fixture", FEED_AND_LISTING)
    ws.crawl()
    unlabelled = ws.rows("SELECT url FROM articles WHERE is_ai IS NULL OR is_funding IS NULL")
    assert unlabelled == []
    [atlas] = ws.rows("SELECT * FROM funding_rounds WHERE company = 'Atlasform'")
    assert atlas["round_type"] == "series_a"
    assert (atlas["amount"], atlas["currency"], atlas["amount_usd"]) == (30_000_000, "USD", 30_000_000)
    assert atlas["lead_investors"] == ["Harbor Point Capital"]
    [norrvik] = ws.rows("SELECT * FROM funding_rounds WHERE company = 'Norrvik'")
    assert (norrvik["amount"], norrvik["currency"], norrvik["round_type"]) == (50_000_000, "EUR", "series_b")
    assert norrvik["amount_usd"] > norrvik["amount"]  # converted at a dated EUR rate
    kinds = {r["round_type"] for r in ws.rows("SELECT round_type FROM funding_rounds")}
    assert kinds == {"seed", "series_a", "series_b", "bridge"}


def test_every_field_keeps_its_evidence(ws):
    ws.source("fixture", FEED_AND_LISTING)
    ws.crawl()
    evidence = ws.rows("""
        SELECT e.field, e.location, e.start_char, e.end_char, e.sentence, a.text, a.title
        FROM round_evidence e JOIN articles a USING (canonical_url)
        JOIN round_mentions m USING (canonical_url, idx) WHERE m.company = 'Atlasform'""")
    fields = {e["field"] for e in evidence}
    assert {"company", "amount", "round_type", "lead_investors"} <= fields
    for e in evidence:
        source = e["text"] if e["location"] == "text" else e["title"]
        span = source[e["start_char"]:e["end_char"]]
        assert span and span in e["sentence"]
    [amount] = [e for e in evidence if e["field"] == "amount"]
    source = amount["text"] if amount["location"] == "text" else amount["title"]
    assert "$30 million" in source[amount["start_char"]:amount["end_char"]]


def test_views_answer_the_common_questions(ws):
    ws.source("fixture", FEED_AND_LISTING)
    ws.crawl()
    months = {str(r["month"]): r for r in ws.rows("SELECT * FROM rounds_by_month")}
    april = months["2026-04-01"]
    assert april["rounds"] == 5 and april["usd_millions"] == 18 + 3 + 55 + 7 + 21
    biggest = ws.rows("SELECT company, usd_millions FROM biggest_ai_rounds")
    assert [r["usd_millions"] for r in biggest] == sorted((r["usd_millions"] for r in biggest), reverse=True)
    assert {"Junipero", "Norrvik", "Atlasform"} <= {r["company"] for r in biggest}
    investors = {r["investor"]: r for r in ws.rows("SELECT * FROM top_investors")}
    assert investors["Harbor Point Capital"]["rounds_led"] == 1


def test_reprocess_does_not_duplicate_rounds(ws):
    ws.source("fixture", FEED_AND_LISTING)
    ws.crawl()
    before = ws.rows("SELECT * FROM funding_rounds ORDER BY round_id")
    result = run_cli("reprocess", "--db", str(ws.db), "--workers", "0", cwd=ws.root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert ws.rows("SELECT * FROM funding_rounds ORDER BY round_id") == before
    assert len(before) >= 8


def test_a_later_article_about_the_same_round_joins_it(tmp_path):
    """Crawl 1 stores the release; crawl 2, of another source, a news story on the same round."""
    import shutil

    from conftest import FIXTURES, PLACEHOLDER, Workspace

    from app.sitehost import SiteHost

    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "newsroom", root)
    story = (
        "<html lang='en'><head><title>Why investors backed Atlasform</title>"
        "<meta property='article:published_time' content='2026-05-09T10:00:00Z'></head><body><article>"
        "<h1>Why investors backed Atlasform</h1>"
        "<p>Atlasform, the planning-software startup, raised $30 million in Series A funding this week, "
        "a round led by Harbor Point Capital with participation from Quayside Partners. The company "
        "says planners at manufacturers spend half their week reconciling spreadsheets.</p>"
        "<p>Analysts said the round reflects continued appetite for AI tools that sit inside existing "
        "enterprise workflows rather than replacing them, and that Atlasform's customers renew at high "
        "rates. The company plans to double its engineering team in the next year.</p>"
        "</article></body></html>")
    (root / "news" / "atlas-analysis.html").write_text(story)
    (root / "news" / "index.html").write_text(
        "<html><body><ul><li class='story'><a class='headline' href='/news/atlas-analysis.html'>Atlas</a>"
        "</li></ul></body></html>")
    with SiteHost(root, placeholder=PLACEHOLDER) as site:
        (tmp_path / "work").mkdir()
        ws = Workspace(tmp_path / "work", site)
        ws.source("release", """
        name = "Release feed"
        homepage = "{base}"
        [[entries]]
        type = "feed"
        url = "{base}feed.xml"
        """ + POLITE_LOCAL)
        ws.crawl("release")
        [first] = ws.rows("SELECT * FROM funding_rounds WHERE company = 'Atlasform'")
        assert first["articles"] == 1
        ws.source("press", """
        name = "Press listing"
        homepage = "{base}news/"
        [[entries]]
        type = "listing"
        url = "{base}news/index.html"
        link_selector = "li.story a"
        """ + POLITE_LOCAL)
        ws.crawl("press")
        [joined] = ws.rows("SELECT * FROM funding_rounds WHERE company = 'Atlasform'")
        assert (joined["round_id"], joined["articles"], joined["sources"]) == (first["round_id"], 2, 2)
        assert "Quayside Partners" in joined["investors"]  # the later article added a participant
        assert len(ws.rows("SELECT * FROM round_articles WHERE round_id = ?", [joined["round_id"]])) == 2
