"""One release on three sites, crawled in two runs, is one story with three sources."""

from __future__ import annotations

import json

from conftest import POLITE_LOCAL, Workspace

from app.sitehost import SiteHost

RELEASE = [
    "Corvina Robotics, which builds AI vision systems for warehouse picking arms, today announced "
    "that it has raised $48 million in Series B funding led by Larkspur Ventures, with participation "
    "from existing investors Tollgate Capital and Hollin Partners.",
    "The company will use the new capital to triple its field engineering team, open a European "
    "office in Rotterdam and extend its picking models to frozen and irregularly shaped goods, which "
    "today still require manual handling in most distribution centres.",
    "\u201cWarehouses have automated almost everything except the last metre of the pick,\u201d said "
    "Imke Varga, chief executive of Corvina. \u201cOur customers tell us that this round lets us meet "
    "the demand we are already seeing across North America and Europe.\u201d",
    "Corvina's systems run in 41 distribution centres operated by grocery, apparel and parts "
    "retailers. Revenue grew more than threefold in the past twelve months, the company said, and "
    "its models now handle more than nine hundred thousand distinct products.",
    "Larkspur partner Odile Mensah will join Corvina's board of directors as part of the financing.",
    "About Corvina Robotics: Corvina Robotics builds vision and grasping software that lets robotic "
    "arms pick any item in a warehouse. The company was founded in 2021 and is based in Pittsburgh.",
]
WIRE_B = (["PITTSBURGH, June 2, 2026 /Fixture Wire/ -- " + RELEASE[0]] + RELEASE[1:]
          + ["Media contact: press@corvina.example, +1 412 555 0100.",
             "About Fixture Wire: Fixture Wire distributes press releases to newsrooms worldwide."])
SITE_C = (["This press release was provided by a third party and has not been edited by our newsroom."]
          + RELEASE[:2]
          + [RELEASE[2].replace("this round lets us meet", "the financing allows us to serve")]
          + RELEASE[3:5])  # the About paragraph cut
OTHER_STORY = [  # the same round, reported in another outlet's own words: a different article
    "Pittsburgh's Corvina Robotics has closed a $48 million Series B, a sign that investors still "
    "back robotics companies with paying customers even as hardware funding cools overall.",
    "Larkspur Ventures led the deal. People who have used Corvina's pickers describe a system that "
    "rarely drops goods but that struggles with transparent packaging, a problem the company has not "
    "yet solved and that competitors in Boston and Munich are also chasing with their own models.",
    "The startup faces a crowded market: at least six rivals raised money in the past year, and "
    "large integrators increasingly bundle their own picking software with the robots they sell.",
]


def site(root, name: str, paragraphs: list[str]) -> None:
    page = "".join(f"<p>{p}</p>" for p in paragraphs)
    (root / f"{name}.html").write_text(
        f"<html lang='en'><head><title>Corvina Robotics raises $48 million Series B</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Corvina Robotics raises $48 million</h1>"
        f"{page}</article><footer>Fixture site {name}</footer></body></html>")


def feed(root, names: list[str]) -> None:
    items = "".join(f"<item><title>{n}</title><link>http://127.0.0.1:PORT/{n}.html</link></item>" for n in names)
    (root / "feed.xml").write_text(f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>")


SOURCE = """
name = "Site"
homepage = "{base}"
[[entries]]
type = "feed"
url = "{base}feed.xml"
""" + POLITE_LOCAL


def test_one_release_on_three_sites_is_one_story(tmp_path):
    roots = {name: tmp_path / name for name in ("newsroom", "wire", "portal")}
    for root in roots.values():
        root.mkdir()
    site(roots["newsroom"], "release", RELEASE)
    feed(roots["newsroom"], ["release"])
    site(roots["wire"], "release", WIRE_B)
    feed(roots["wire"], ["release"])
    site(roots["portal"], "copy", SITE_C)
    site(roots["portal"], "analysis", OTHER_STORY)
    feed(roots["portal"], ["copy", "analysis"])
    hosts = {name: SiteHost(root, placeholder="127.0.0.1:PORT").start() for name, root in roots.items()}
    try:
        (tmp_path / "work").mkdir()
        ws = Workspace(tmp_path / "work", None)
        for name, host in hosts.items():
            (ws.sources / f"{name}.toml").write_text(SOURCE.replace("{base}", host.base_url))
        ws.crawl("newsroom")  # first run: the release
        ws.crawl("wire", "portal")  # a later run: its copies, and another article on the round
    finally:
        for host in hosts.values():
            host.stop()
    articles = {r["source_id"] + "/" + r["url"].rsplit("/", 1)[-1]: r for r in ws.rows("SELECT * FROM articles")}
    assert len(articles) == 4
    release = articles["newsroom/release.html"]
    assert release["story_id"] == release["article_id"] and release["duplicate_of"] is None
    for copy in ("wire/release.html", "portal/copy.html"):
        assert articles[copy]["story_id"] == release["article_id"]
        assert articles[copy]["duplicate_of"] == release["article_id"]
    other = articles["portal/analysis.html"]
    assert other["story_id"] == other["article_id"] and other["duplicate_of"] is None
    [story] = ws.rows("SELECT * FROM stories WHERE copies > 1")
    assert (story["copies"], story["source_count"]) == (3, 3)
    assert story["sources"] == ["newsroom", "portal", "wire"]
    stats = json.loads(ws.last_crawl()["stats"])
    assert stats["fundnews/duplicates/near"] == 2
    # the round itself is one event reported by all four articles
    [event] = ws.rows("SELECT * FROM funding_rounds")
    assert (event["company"], event["amount_usd"], event["articles"]) == ("Corvina Robotics", 48_000_000, 4)
