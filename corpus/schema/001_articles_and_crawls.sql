-- The corpus: one row per fetched article, one row per crawl. All times are UTC.
CREATE SEQUENCE article_id_seq START 1;
CREATE SEQUENCE crawl_id_seq START 1;

CREATE TABLE articles (
    article_id      BIGINT PRIMARY KEY,        -- nextval('article_id_seq'), given by the writer
    canonical_url   VARCHAR NOT NULL UNIQUE,   -- one row per page, whatever spelling reached it
    url             VARCHAR NOT NULL,          -- as fetched, after redirects
    source_id       VARCHAR NOT NULL,
    discovered_via  VARCHAR,                   -- feed | news_sitemap | sitemap | listing
    title           VARCHAR,
    author          VARCHAR,
    published_at    TIMESTAMP,
    language        VARCHAR,
    site_name       VARCHAR,
    description     VARCHAR,
    text            VARCHAR USING COMPRESSION zstd,
    content_hash    VARCHAR,                   -- sha1 of the normalised text
    duplicate_of    BIGINT,                    -- first-seen article with the same text
    http_status     SMALLINT,
    etag            VARCHAR,
    last_modified   VARCHAR,
    fetched_at      TIMESTAMP NOT NULL,
    crawl_id        BIGINT
);

CREATE TABLE crawls (
    crawl_id            BIGINT PRIMARY KEY,
    started_at          TIMESTAMP NOT NULL,
    finished_at         TIMESTAMP,
    status              VARCHAR NOT NULL,      -- running | finished | <scrapy finish reason>
    sources             VARCHAR[],
    requests            BIGINT,
    responses_by_status JSON,                  -- {"200": 41, "404": 1}
    items_stored        BIGINT,
    skipped             JSON,                  -- {"non_html": 1, "too_little_text": 2}
    errors              BIGINT,
    stats               JSON                   -- every Scrapy stat of the crawl
);

-- When the full-text index was last built, to rebuild it only when articles changed.
CREATE TABLE fts_state (
    indexed_at      TIMESTAMP NOT NULL,
    articles        BIGINT NOT NULL,
    max_fetched_at  TIMESTAMP
);
