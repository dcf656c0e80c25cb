"""`fundnews export --dataset DIR`: a Hugging Face dataset folder, read back with DuckDB,
and its card checked against the files it describes."""

from __future__ import annotations

import glob

import duckdb
import pytest
import yaml
from conftest import REPO, query, run_cli

from corpus.dataset import export_dataset

# DuckDB's name for a Parquet column's type -> the Hugging Face features entry it must have
HF_TYPES = {
    "BIGINT": ("dtype", "int64"),
    "INTEGER": ("dtype", "int32"),
    "SMALLINT": ("dtype", "int16"),
    "VARCHAR": ("dtype", "string"),
    "DOUBLE": ("dtype", "float64"),
    "BOOLEAN": ("dtype", "bool"),
    "TIMESTAMP": ("dtype", "timestamp[us]"),
    "DATE": ("dtype", "date32"),
    "VARCHAR[]": ("sequence", "string"),
}


@pytest.fixture(scope="module")
def dataset(demo_corpus, tmp_path_factory):
    db, _, _ = demo_corpus
    sources = tmp_path_factory.mktemp("sources")
    for path in (REPO / "demo" / "sources").glob("*.toml"):  # the demo's sources, with terms pages
        text = path.read_text(encoding="utf-8").replace(
            "kind = ", f'terms_url = "https://{path.stem}.example/terms"\nkind = ', 1
        )
        (sources / path.name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("dataset") / "fundnews-demo"
    result = run_cli("export", "--db", str(db), "--dataset", str(out), "--sources", str(sources))
    assert result.returncode == 0, result.stderr
    card = (out / "README.md").read_text(encoding="utf-8")
    _, header, body = card.split("---\n", 2)
    return db, out, yaml.safe_load(header), body, result


def parquet(folder, config: str) -> str:
    return f"'{folder}/data/{config}/*.parquet'"


def test_dataset_reads_back_as_the_corpus(dataset):
    db, out, _, _, _ = dataset
    with duckdb.connect() as con:
        articles = con.execute(
            f"SELECT article_id, url, title, text, is_funding FROM {parquet(out, 'articles')} "
            "ORDER BY article_id"
        ).fetchall()
        rounds = con.execute(
            f"SELECT round_id, company, amount_usd, lead_investors FROM "
            f"{parquet(out, 'funding_rounds')} ORDER BY round_id"
        ).fetchall()
        links = con.execute(
            f"SELECT round_id, article_id FROM {parquet(out, 'round_articles')} ORDER BY ALL"
        ).fetchall()
        evidence = con.execute(
            f"SELECT count(*), count(DISTINCT round_id) FROM {parquet(out, 'round_evidence')}"
        ).fetchone()
    stored = query(
        db, "SELECT article_id, url, title, text, is_funding FROM articles ORDER BY article_id"
    )
    assert articles == [tuple(r.values()) for r in stored] and len(articles) == 18
    assert rounds == [
        tuple(r.values())
        for r in query(
            db,
            "SELECT round_id, company, amount_usd, lead_investors FROM funding_rounds "
            "ORDER BY round_id",
        )
    ]
    assert links == [
        tuple(r.values())
        for r in query(db, "SELECT round_id, article_id FROM round_articles ORDER BY ALL")
    ]
    assert evidence == (query(db, "SELECT count(*) AS n FROM round_evidence")[0]["n"], len(rounds))


def test_card_describes_the_files(dataset):
    _, out, header, _, _ = dataset
    configs = {c["config_name"]: c for c in header["configs"]}
    assert set(configs) == {"articles", "funding_rounds", "round_articles", "round_evidence"}
    assert configs["articles"].get("default") is True
    info = {c["config_name"]: c for c in header["dataset_info"]}
    assert set(info) == set(configs)
    with duckdb.connect() as con:
        for name, config in configs.items():
            [split] = config["data_files"]
            files = sorted(glob.glob(str(out / split["path"])))
            assert split["split"] == "train" and files, name
            described = con.execute(f"DESCRIBE SELECT * FROM {parquet(out, name)}").fetchall()
            features = [
                (f["name"], *next((k, v) for k, v in f.items() if k != "name"))
                for f in info[name]["features"]
            ]
            assert features == [(column, *HF_TYPES[kind]) for column, kind, *_ in described], name
            rows = con.execute(f"SELECT count(*) FROM {parquet(out, name)}").fetchone()[0]
            assert info[name]["splits"] == [
                {"name": "train", "num_examples": rows, "num_bytes": info[name]["dataset_size"]}
            ]
            assert info[name]["download_size"] == sum((out / f).stat().st_size for f in files)
    assert header["language"] == ["en"]


def test_card_says_what_where_when_and_whose(dataset):
    db, _, _, body, _ = dataset
    for source in query(db, "SELECT source_id, count(*) AS n FROM articles GROUP BY 1"):
        line = next(
            line for line in body.splitlines() if line.startswith(f"| {source['source_id']} |")
        )
        assert f"| {source['n']} |" in line
        assert f"https://{source['source_id']}.example/terms" in line
    assert "18 articles from 2 sources" in body
    assert "copyright of their publishers" in body
    for column in ("duplicate_of", "amount_usd", "sentence"):  # each field is explained
        line = next(line for line in body.splitlines() if line.startswith(f"| `{column}` |"))
        assert len(line.split("|")[3].strip()) > 10


def test_articles_are_written_in_shards_with_progress(demo_corpus, tmp_path):
    db, _, _ = demo_corpus
    lines = []
    counts = export_dataset(str(db), tmp_path / "ds", shard_rows=5, say=lines.append)
    files = sorted((tmp_path / "ds" / "data" / "articles").glob("*.parquet"))
    assert [f.name for f in files] == [f"train-0000{i}-of-00004.parquet" for i in range(4)]
    assert [
        line.split(": ", 2)[2].split(" rows")[0]
        for line in lines
        if line.startswith("export: articles:")
    ] == ["5 of 18 (28%)", "10 of 18 (56%)", "15 of 18 (83%)", "18 of 18 (100%)"]
    with duckdb.connect() as con:
        ids = [
            r[0]
            for r in con.execute(
                f"SELECT article_id FROM {parquet(tmp_path / 'ds', 'articles')}"
            ).fetchall()
        ]
    assert sorted(ids) == [
        r["article_id"] for r in query(db, "SELECT article_id FROM articles ORDER BY 1")
    ]
    assert counts["articles"] == 18
    # exported again with bigger shards: the earlier shards are gone, not read twice
    export_dataset(str(db), tmp_path / "ds", shard_rows=100, say=lines.append)
    assert [f.name for f in (tmp_path / "ds" / "data" / "articles").glob("*.parquet")] == [
        "train-00000-of-00001.parquet"
    ]


def test_progress_goes_to_stderr_and_the_summary_to_stdout(dataset):
    *_, result = dataset
    assert "export: articles: 18 of 18 (100%) rows" in result.stderr
    assert "wrote the dataset to" in result.stdout
