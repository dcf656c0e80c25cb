"""A funding round is described once, by ``Round``: the corpus tables and the store follow."""

from dataclasses import fields

import duckdb

from corpus.db import init_db
from corpus.store import MENTION_COLUMNS
from analysis.merge import MergedRound
from analysis.rounds import ROUND_FIELDS, Round

# DuckDB's name for the SQL type of each annotation a Round field has.
SQL_TYPE = {"str": "VARCHAR", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE",
            "list[str]": "VARCHAR[]"}


def _columns(db, table: str) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
            [table]).fetchall())
    finally:
        con.close()


def test_every_round_field_is_a_column_of_both_round_tables(tmp_path):
    db = tmp_path / "c.duckdb"
    init_db(db)
    wanted = {f.name: SQL_TYPE[str(f.type).removesuffix(" | None")]
              for f in fields(Round) if f.name in ROUND_FIELDS}
    for table in ("round_mentions", "funding_rounds"):
        columns = _columns(db, table)
        assert {name: columns.get(name) for name in wanted} == wanted, table


def test_the_store_writes_every_round_field():
    assert [n for n in MENTION_COLUMNS.names if n in ROUND_FIELDS] == list(ROUND_FIELDS)


def test_a_merged_round_is_a_round():
    assert issubclass(MergedRound, Round)
    assert set(ROUND_FIELDS) <= {f.name for f in fields(MergedRound)}
