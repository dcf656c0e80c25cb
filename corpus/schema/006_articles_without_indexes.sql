-- articles without index: the same table minus its PRIMARY KEY and UNIQUE constraints.
--
-- Each one is an ART index, and with any index on a table DuckDB appends new rows to its
-- last row group and rewrites that whole row group (up to 122,880 rows) at the next
-- checkpoint: for articles, with their ~4 KB texts, ~0.55 s at 30k articles and ~1 s at
-- 60k, once a batch while each batch checkpointed. Without an index, new rows go to row
-- groups of their own, which a checkpoint writes (and merges now and then, as they grow).
-- No column default calls nextval(): DuckDB 1.5.5 cannot replay from the WAL an ALTER TABLE
-- of such a table, so a crawl killed after one left a corpus that would not open.
-- article_id still comes from article_id_seq, and the one writer (corpus/store.py)
-- inserts only the URLs it does not find: one row per canonical_url, as before.

CREATE TABLE articles_unindexed (
    article_id          BIGINT NOT NULL,   -- nextval('article_id_seq'), given by the writer
    canonical_url       VARCHAR NOT NULL,   -- one row per page: kept so by corpus/store.py
    url                 VARCHAR NOT NULL,
    source_id           VARCHAR NOT NULL,
    discovered_via      VARCHAR,
    title               VARCHAR,
    author              VARCHAR,
    published_at        TIMESTAMP,
    language            VARCHAR,
    site_name           VARCHAR,
    description         VARCHAR,
    text                VARCHAR USING COMPRESSION zstd,
    content_hash        VARCHAR,
    duplicate_of        BIGINT,
    http_status         SMALLINT,
    etag                VARCHAR,
    last_modified       VARCHAR,
    fetched_at          TIMESTAMP NOT NULL,
    crawl_id            BIGINT,
    version             INTEGER DEFAULT 1,
    requested_url       VARCHAR,
    is_ai               BOOLEAN,
    ai_score            DOUBLE,
    is_funding          BOOLEAN,
    funding_score       DOUBLE,
    funding_unconfirmed BOOLEAN,
    relevance_reasons   VARCHAR[],
    story_id            BIGINT
);
INSERT INTO articles_unindexed BY NAME SELECT * FROM articles ORDER BY article_id;
DROP TABLE articles;
ALTER TABLE articles_unindexed RENAME TO articles;
