"""The corpus as one HTML page that opens offline: charts and tables, nothing fetched.

Each chart and table is one named query of ``queries/report.sql``. Charts are Vega-Lite
specs rendered to SVG here, by vl-convert (Vega in an embedded JavaScript engine, one
wheel, no Python dependencies), and inlined: the page has no script at all, so it cannot
fetch anything, shows the same with JavaScript disabled, prints, and stays small (tens of
KB, where the Vega bundle inlined would add ~1 MB). Its Content-Security-Policy forbids any
request besides the page itself, should a later change slip one in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from corpus.db import connection
from corpus.export import checked_output
from corpus.queries import sql

DEMO_SOURCES = Path(__file__).resolve().parents[1] / "demo" / "sources"
TOP_N = 20
CHART_WIDTH = 620
HALF_WIDTH = 390
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
COLORS = {"all rounds": "#9db4d0", "AI rounds": "#1f5aa6", "led": "#1f5aa6", "joined": "#9db4d0"}


@dataclass
class Report:
    """What was written, for the command's summary line and for tests."""

    path: Path
    articles: int
    rounds: int
    charts: list[str] = field(default_factory=list)  # the query behind each chart drawn
    empty: bool = False
    demo: bool = False


def _rows(con, name: str, since: date | None) -> list[dict[str, Any]]:
    query = sql(name)
    params = {k: v for k, v in (("since", since), ("limit", TOP_N)) if f"${k}" in query}
    cursor = con.execute(query, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def write_report(
    db: str, out: str | Path, days: int | None = None, today: date | None = None
) -> Report:
    """Write the report of corpus `db` to `out`; `days`: only the last N days."""
    target = checked_output(db, out)
    today = today or datetime.now(timezone.utc).date()
    since = today - timedelta(days=days - 1) if days else None
    with connection(db, read_only=True) as con:
        overview = _rows(con, "report_overview", since)[0]
        data = {
            name: _rows(con, name, since)
            for name in (
                "report_rounds_by_month",
                "report_biggest_rounds",
                "report_top_investors",
                "report_rounds_by_type",
                "report_newest_funding_articles",
                "report_source_health",
                "report_crawl_history",
            )
        }
    sources = overview["sources"] or []
    demo_ids = {p.stem for p in DEMO_SOURCES.glob("*.toml")}
    report = Report(
        Path(out),
        overview["articles"],
        overview["rounds"],
        empty=overview["articles"] == 0,
        demo=bool(sources) and set(sources) <= demo_ids,
    )
    body = _page(db, overview, data, since, report)
    target.write_text(body, encoding="utf-8")
    return report


# -- the page ------------------------------------------------------------------------------


def _page(db: str, overview: dict, data: dict, since: date | None, report: Report) -> str:
    window = f"charts and tables since {since.isoformat()}" if since else "the whole corpus"
    parts = [
        f'<h1>fundnews report</h1><p class="meta">{_e(db)} · {window} · written '
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC</p>"
    ]
    if report.empty:
        parts.append(
            '<p class="notice" id="empty">This corpus is empty: no article has been '
            "stored yet. Crawl some sources (<code>fundnews crawl</code>) and write the "
            "report again.</p>"
        )
    if report.demo:
        parts.append(
            '<p class="notice" id="demo">This is the <b>demo corpus</b>: crawled from '
            "the sample site bundled in <code>demo/site</code>. Its companies, rounds and "
            "investors are made up.</p>"
        )
    parts.append(_overview(overview))

    months = _month_series(data["report_rounds_by_month"])
    parts.append(
        _section(
            "Rounds and USD per month",
            "AI rounds and all rounds by month announced: how many, and "
            "the sum of their amounts in USD millions (an undisclosed amount counts zero).",
            _month_charts(report, months),
        )
    )
    parts.append(
        _section(
            "Biggest rounds",
            f"The {TOP_N} largest by USD, with the articles that report them.",
            _biggest_table(data["report_biggest_rounds"]),
        )
    )
    parts.append(
        _section(
            "Top investors",
            "Rounds led and joined (one name per investor).",
            _chart(report, "report_top_investors", _investor_bars(data["report_top_investors"])),
        )
    )
    parts.append(
        _section(
            "Rounds by type",
            "",
            _chart(report, "report_rounds_by_type", _type_bars(data["report_rounds_by_type"])),
        )
    )
    parts.append(
        _section(
            "Newest funding articles",
            "Articles that report a new raise.",
            _articles_table(data["report_newest_funding_articles"]),
        )
    )
    parts.append(
        _section(
            "Source health",
            "Each source's last run and its articles per day.",
            _health_table(data["report_source_health"]),
        )
    )
    crawls = data["report_crawl_history"]
    parts.append(
        _section(
            "Crawl history",
            "Articles stored by each crawl.",
            _chart(report, "report_crawl_history", _crawl_bars(crawls)) + _crawls_table(crawls),
        )
    )
    return _HTML.format(csp=CSP, style=_STYLE, body="\n".join(parts))


def _overview(o: dict) -> str:
    span = (
        f"{o['first_published']} to {o['last_published']}" if o["first_published"] else "no dates"
    )
    cells = [
        ("articles", o["articles"]),
        ("funding articles", o["funding_articles"]),
        ("rounds", o["rounds"]),
        ("AI rounds", o["ai_rounds"]),
        ("crawls", o["crawls"]),
        ("sources", len(o["sources"] or [])),
    ]
    stats = "".join(f"<div><b>{_e(v)}</b><span>{_e(k)}</span></div>" for k, v in cells)
    last = (
        f"last crawl finished {o['last_crawl']:%Y-%m-%d %H:%M} UTC"
        if o["last_crawl"]
        else "no crawl yet"
    )
    return (
        f'<div class="stats">{stats}</div><p class="meta">Published {span}; {last}. Sources: '
        f"{_e(', '.join(o['sources'] or [])) or 'none'}.</p>"
    )


def _section(title: str, note: str, content: str) -> str:
    note_html = f'<p class="note">{_e(note)}</p>' if note else ""
    return f"<section><h2>{_e(title)}</h2>{note_html}{content}</section>"


def _table(columns: list[str], rows: list[list[str]], query: str) -> str:
    if not rows:
        return f'<p class="none" data-query="{query}">Nothing yet.</p>'
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table data-query="{query}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _biggest_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        links = " ".join(_link(a["url"], a["title"]) for a in r["links"] if a["url"])
        stated = f"{_money(r['amount'])} {r['currency'] or ''}".strip()
        out.append(
            [
                _e(r["company"]),
                _e(r["round_label"] or r["round_type"]),
                _e(stated),
                _e(_usd(r["usd_millions"])),
                _e(r["announced_on"]),
                _e(", ".join(r["lead_investors"] or [])),
                "yes" if r["is_ai"] else "no",
                links,
            ]
        )
    return _table(
        ["company", "round", "amount", "USD", "announced", "leads", "AI", "articles"],
        out,
        "report_biggest_rounds",
    )


def _articles_table(rows: list[dict]) -> str:
    out = [
        [
            _e(r["published"]),
            _e(r["source_id"]),
            _link(r["url"], r["title"] or r["url"]),
            "yes" if r["is_ai"] else "no",
            "unconfirmed" if r["unconfirmed"] else "",
        ]
        for r in rows
    ]
    return _table(["published", "source", "title", "AI", ""], out, "report_newest_funding_articles")


def _health_table(rows: list[dict]) -> str:
    out = [
        [
            _e(r["source_id"]),
            _e(_when(r["last_run"])),
            _e(r["status"] or "never run"),
            _e(r["articles"]),
            _e(r["articles_per_day"]),
            _e(r["errors"] or 0),
            f'<span class="error">{_e(r["last_error"])}</span>' if r["last_error"] else "",
        ]
        for r in rows
    ]
    return _table(
        ["source", "last run", "status", "articles", "per day", "errors", "last error"],
        out,
        "report_source_health",
    )


def _crawls_table(rows: list[dict]) -> str:
    out = [
        [
            _e(r["crawl_id"]),
            _e(_when(r["started_at"])),
            _e(r["seconds"]),
            _e(r["status"]),
            _e(r["sources"]),
            _e(r["requests"]),
            _e(r["items_stored"]),
            _e(r["new"]),
            _e(r["updated"]),
            _e(r["errors"]),
        ]
        for r in reversed(rows[-TOP_N:])
    ]
    return _table(
        [
            "crawl",
            "started",
            "seconds",
            "status",
            "sources",
            "requests",
            "stored",
            "new",
            "updated",
            "errors",
        ],
        out,
        "report_crawl_history",
    )


# -- charts --------------------------------------------------------------------------------


def _chart(report: Report, query: str, spec: dict | None, width: int = CHART_WIDTH) -> str:
    """The chart's SVG inline, or a line saying there is nothing to draw."""
    if spec is None:
        return f'<p class="none" data-query="{query}">Nothing to chart yet.</p>'
    import vl_convert

    spec = {"width": width, "config": {"font": "sans-serif", "view": {"stroke": None}}, **spec}
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    report.charts.append(query)
    return f'<figure class="chart" data-query="{query}">{svg}</figure>'


def _month_charts(report: Report, months: list[dict]) -> str:
    """Count and USD side by side; one line when there is no month to draw."""
    if not months:
        return _chart(report, "report_rounds_by_month", None)
    charts = [
        _chart(report, "report_rounds_by_month", _grouped_bars(months, column, title), HALF_WIDTH)
        for column, title in (("rounds", "rounds"), ("usd_millions", "USD millions"))
    ]
    return f'<div class="pair">{"".join(charts)}</div>'


def _month_series(rows: list[dict]) -> list[dict]:
    """Every month from the first to the last (empty months as zero), long form."""
    if not rows:
        return []
    by_month = {r["month"]: r for r in rows}
    month, last, out = rows[0]["month"], rows[-1]["month"], []
    while month <= last:
        r = by_month.get(month, {})
        label = month.strftime("%Y-%m")
        out += [
            {
                "month": label,
                "series": "all rounds",
                "rounds": r.get("rounds", 0),
                "usd_millions": r.get("usd_millions") or 0,
            },
            {
                "month": label,
                "series": "AI rounds",
                "rounds": r.get("ai_rounds", 0),
                "usd_millions": r.get("ai_usd_millions") or 0,
            },
        ]
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def _count_axis(values: list[dict], column: str = "rounds") -> dict:
    """Whole numbers on an axis of counts (Vega would tick 0.5 when the most is 2)."""
    most = max((v[column] or 0 for v in values), default=0)
    return {"values": list(range(most + 1)), "format": "d"} if most <= 10 else {"format": "d"}


def _color(domain: list[str], title: str | None = None) -> dict:
    return {
        "field": "series",
        "title": title,
        "sort": domain,
        "scale": {"domain": domain, "range": [COLORS[d] for d in domain]},
        "legend": {"orient": "top"},
    }


def _grouped_bars(values: list[dict], column: str, title: str) -> dict | None:
    if not values:
        return None
    return {
        "data": {"values": values},
        "height": 220,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}},
            "xOffset": {"field": "series", "sort": ["all rounds", "AI rounds"]},
            "y": {
                "field": column,
                "type": "quantitative",
                "title": title,
                "axis": _count_axis(values, column) if column == "rounds" else {},
            },
            "color": _color(["all rounds", "AI rounds"]),
        },
    }


def _investor_bars(rows: list[dict]) -> dict | None:
    values = [
        {"investor": r["investor"], "series": role, "rounds": r[f"rounds_{role}"]}
        for r in rows
        for role in ("led", "joined")
        if r[f"rounds_{role}"]
    ]
    if not values:
        return None
    order = [r["investor"] for r in rows]
    return {
        "data": {"values": values},
        "mark": {"type": "bar"},
        "height": {"step": 18},
        "encoding": {
            "y": {"field": "investor", "type": "nominal", "sort": order, "title": None},
            "x": {
                "field": "rounds",
                "type": "quantitative",
                "title": "rounds",
                "stack": True,
                "axis": _count_axis(
                    [{"rounds": r["rounds_led"] + r["rounds_joined"]} for r in rows]
                ),
            },
            "color": _color(["led", "joined"]),
            "order": {"field": "series", "sort": "descending"},
        },
    }


def _type_bars(rows: list[dict]) -> dict | None:
    if not rows:
        return None
    return {
        "data": {"values": rows},
        "mark": {"type": "bar", "color": COLORS["AI rounds"]},
        "height": {"step": 20},
        "encoding": {
            "y": {"field": "round_type", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "rounds", "type": "quantitative", "axis": _count_axis(rows)},
        },
    }


def _crawl_bars(rows: list[dict]) -> dict | None:
    values = [
        {
            "crawl": f"#{r['crawl_id']} {r['started_at']:%m-%d %H:%M}",
            "stored": r["items_stored"] or 0,
            "status": r["status"],
        }
        for r in rows[-60:]
    ]
    if not values:
        return None
    return {
        "data": {"values": values},
        "height": 160,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "crawl",
                "type": "ordinal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "stored", "type": "quantitative", "title": "articles stored"},
            "color": {
                "field": "status",
                "legend": {"orient": "top"},
                "scale": {"scheme": "tableau10"},
            },
        },
    }


# -- formatting ----------------------------------------------------------------------------


def _e(value: Any) -> str:
    return "" if value is None else html.escape(str(value))


def _link(url: str | None, text: str | None) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return _e(text)
    return f'<a href="{html.escape(url, quote=True)}" rel="noreferrer">{_e(text)}</a>'


def _money(amount: float | None) -> str:
    if amount is None:
        return "undisclosed"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= size:
            return f"{amount / size:.4g}{suffix}"
    return f"{amount:g}"


def _usd(millions: float | None) -> str:
    return "" if millions is None else f"${_money(millions * 1e6)}"


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;
 max-width:1000px;margin:2em auto;padding:0 1em}
h1{margin-bottom:.1em}h2{margin:1.6em 0 .2em;border-bottom:1px solid #dde3ea;padding-bottom:.2em}
.meta,.note{color:#5b6673;margin:.2em 0 .8em}.none{color:#5b6673;font-style:italic}
.notice{background:#fff6d6;border:1px solid #e8d48a;padding:.6em .9em;border-radius:4px}
.stats{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0 .4em}
.stats div{border:1px solid #dde3ea;border-radius:4px;padding:.4em .8em;min-width:6em}
.stats b{display:block;font-size:1.5em}.stats span{color:#5b6673;font-size:.85em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid #eef1f4;vertical-align:top}
th{background:#f4f6f8}td a{display:block}figure{margin:.5em 0;overflow-x:auto}
.pair{display:flex;flex-wrap:wrap;gap:1em}
.error{color:#a32020}code{background:#f4f6f8;padding:0 .2em}
"""

_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fundnews report</title>
<style>{style}</style>
</head>
<body>
{body}
</body>
</html>
"""
