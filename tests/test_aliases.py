"""One canonical name per company and investor (alias table), and reprocess holding the new answers."""

from __future__ import annotations

import pytest
from conftest import PLACEHOLDER, POLITE_LOCAL, Workspace, run_cli

from app.sitehost import SiteHost
from analysis.merge import Mention, cluster_mentions, company_key, investor_key
from analysis.rounds import Round

STORIES = {  # file -> (company, amount, round, lead sentence)
    "acme": ("Acmetric", "$12 million", "seed", "led by a16z, with participation from Sequoia"),
    "bolt": ("Boltwise", "$30 million", "Series A",
             "led by Andreessen Horowitz, with participation from Sequoia Capital"),
    "crane": ("Cranefield", "$55 million", "Series B", "led by NVIDIA Corp., with participation from Quayside Partners"),
    "dune": ("Dunemark", "$8 million", "seed", "led by Nvidia, with participation from Quayside"),
}
LISTING = """
name = "Alias fixture"
homepage = "{base}"
[[entries]]
type = "listing"
url = "{base}index.html"
link_selector = "li a"
""" + POLITE_LOCAL


def _page(company: str, amount: str, kind: str, leads: str, day: int) -> str:
    title = f"{company} raises {amount} {kind} round for AI agents"
    return (
        f"<html lang='en'><head><title>{title}</title>"
        f"<meta property='article:published_time' content='2026-03-{day:02d}T09:00:00Z'></head>"
        f"<body><article><h1>{title}</h1>"
        f"<p>{company}, a startup building AI agents for logistics teams, said on Tuesday it has "
        f"raised {amount} in a {kind} round {leads}.</p>"
        "<p>The company plans to use the money to hire engineers and expand its research team. "
        "Its chief executive said demand from enterprise customers had tripled since the start of "
        "the year and that the new funding would let the team ship faster.</p>"
        f"<p>{company} was founded in 2024 by former researchers from a university lab. It now "
        "employs about forty people and counts shippers and insurers among its customers.</p>"
        "</article></body></html>")


@pytest.fixture
def alias_site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    links = []
    for day, (slug, story) in enumerate(STORIES.items(), start=2):
        (root / f"{slug}.html").write_text(_page(*story, day), encoding="utf-8")
        links.append(f"<li><a href='/{slug}.html'>{story[0]}</a></li>")
    (root / "index.html").write_text(f"<html><body><ul>{''.join(links)}</ul></body></html>")
    with SiteHost(root, placeholder=PLACEHOLDER) as site:
        (tmp_path / "work").mkdir()
        ws = Workspace(tmp_path / "work", site)
        ws.source("aliases", LISTING)
        yield ws


def _investors(ws) -> dict[str, dict]:
    return {r["investor"]: r for r in ws.rows("SELECT * FROM top_investors")}


def test_shipped_aliases_give_one_investor_in_top_investors(alias_site):
    ws = alias_site
    ws.crawl()
    investors = _investors(ws)
    assert investors["Andreessen Horowitz"]["rounds_led"] == 2  # "a16z" and "Andreessen Horowitz"
    assert investors["Sequoia Capital"]["rounds_joined"] == 2  # "Sequoia" and "Sequoia Capital"
    assert investors["Nvidia"]["rounds_led"] == 2  # "NVIDIA Corp." and "Nvidia"
    assert not {"a16z", "Sequoia", "NVIDIA Corp."} & set(investors)
    verbatim = {n for r in ws.rows("SELECT lead_investors, investors FROM round_mentions")
                for n in r["lead_investors"] + r["investors"]}
    assert {"a16z", "Andreessen Horowitz", "Sequoia", "Sequoia Capital"} <= verbatim
    assert any(n.startswith("NVIDIA Corp") for n in verbatim)


def test_a_user_alias_file_extends_the_table_without_code(alias_site, monkeypatch):
    ws = alias_site
    mine = ws.root / "my-aliases.csv"
    mine.write_text("kind,canonical,alias\n"
                    "investor,Quayside Partners,Quayside\n"
                    "company,Dunemark Robotics,Dunemark\n"
                    "this row is bad\n", encoding="utf-8")
    monkeypatch.setenv("FUNDNEWS_ALIASES", str(mine))
    result = ws.crawl()
    assert "1 bad alias rows skipped" in result.stderr
    assert _investors(ws)["Quayside Partners"]["rounds_joined"] == 2
    companies = {r["company"] for r in ws.rows("SELECT company FROM funding_rounds")}
    assert "Dunemark Robotics" in companies and "Dunemark" not in companies
    assert ws.rows("SELECT count(*) AS n FROM round_mentions WHERE company = 'Dunemark'") == [{"n": 1}]


def test_reprocess_holds_the_new_answers_once_each(alias_site, monkeypatch):
    """Crawled with one rule set, reprocessed with another: new answers, nothing duplicated."""
    ws = alias_site
    ws.crawl()
    fresh_mentions = ws.rows("SELECT * EXCLUDE (round_id) FROM round_mentions ORDER BY ALL")
    articles = ws.rows("SELECT count(*) AS n FROM articles")
    # the old rules' answers: wrong companies and amounts, a stale extra mention, a stale round
    with __import__("duckdb").connect(str(ws.db)) as con:
        con.execute("UPDATE round_mentions SET company = 'Old ' || company, amount = amount * 2")
        con.execute("INSERT INTO round_mentions (canonical_url, idx, company, round_type) "
                    "SELECT canonical_url, 7, 'Ghost', 'seed' FROM round_mentions LIMIT 1")
        con.execute("UPDATE funding_rounds SET company = 'Old ' || company")
        con.execute("INSERT INTO funding_rounds (round_id, company, company_key) VALUES (-1, 'Ghost', 'ghost')")
    mine = ws.root / "new-rules.csv"  # and the names the new rules give
    mine.write_text("kind,canonical,alias\ninvestor,Quayside Partners,Quayside\n", encoding="utf-8")
    monkeypatch.setenv("FUNDNEWS_ALIASES", str(mine))
    result = run_cli("reprocess", "--db", str(ws.db), "--workers", "0", cwd=ws.root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert ws.rows("SELECT * EXCLUDE (round_id) FROM round_mentions ORDER BY ALL") == fresh_mentions
    rounds = ws.rows("SELECT company, round_type, investors FROM funding_rounds ORDER BY company")
    assert [r["company"] for r in rounds] == ["Acmetric", "Boltwise", "Cranefield", "Dunemark"]
    assert _investors(ws)["Quayside Partners"]["rounds_joined"] == 2
    assert ws.rows("SELECT count(*) AS n FROM articles") == articles
    assert ws.rows("SELECT count(*) AS n FROM round_articles") == [{"n": 4}]
    unlinked = ws.rows("SELECT count(*) AS n FROM round_mentions WHERE round_id IS NULL "
                       "OR round_id NOT IN (SELECT round_id FROM funding_rounds)")
    assert unlinked == [{"n": 0}]


def _round(company, leads=(), investors=()):
    return Round(company=company, round_type="seed", round_label=None, amount=5e6, currency="USD",
                 amount_usd=None, amount_status="exact", valuation=None, valuation_currency=None,
                 lead_investors=list(leads), investors=list(investors), announced_on=None,
                 unconfirmed=False)


def test_keys_follow_the_alias_table_but_keep_distinct_firms_apart():
    assert investor_key("a16z") == investor_key("Andreessen Horowitz")
    assert investor_key("Google Ventures") == investor_key("GV") != investor_key("Google")
    assert investor_key("M12") != investor_key("Microsoft")
    assert investor_key("Bain Capital Ventures") != investor_key("Bain Capital")
    assert company_key("DeepMind") == company_key("Google DeepMind")


def test_one_spelling_per_investor_across_rounds():
    rounds = cluster_mentions([
        Mention("1", "1", None, _round("Acme", leads=["Harbor Point Capital"])),
        Mention("2", "2", None, _round("Bolt", leads=["Harbor Point Capital, LLC"])),
        Mention("3", "3", None, _round("Crane", investors=["Harbor Point Capital"], leads=["a16z"])),
    ])
    assert {n for r in rounds for n in r.lead_investors + r.investors} == {
        "Harbor Point Capital", "Andreessen Horowitz"}
