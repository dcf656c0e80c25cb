-- Incremental re-crawls, versions and raw pages.

-- Every URL fetched, whatever came of it: a re-crawl skips known pages unless their feed or
-- sitemap says they changed, and then asks with If-None-Match / If-Modified-Since.
CREATE TABLE pages (
    url_key        VARCHAR PRIMARY KEY,   -- canonical form of a requested URL (redirect sources too)
    status         SMALLINT,
    etag           VARCHAR,
    last_modified  VARCHAR,
    fetched_at     TIMESTAMP NOT NULL,
    crawl_id       BIGINT
);

-- Earlier texts of articles whose page changed; `articles` holds the latest.
CREATE TABLE article_versions (
    article_id     BIGINT NOT NULL,
    version        INTEGER NOT NULL,
    title          VARCHAR,
    text           VARCHAR USING COMPRESSION zstd,
    content_hash   VARCHAR,
    fetched_at     TIMESTAMP,
    crawl_id       BIGINT,
    PRIMARY KEY (article_id, version)
);

-- Where the raw page of every stored article is kept: a record in a WARC file beside the
-- corpus (corpus/warc.py), for `fundnews reprocess` without fetching again.
CREATE TABLE raw_pages (
    canonical_url  VARCHAR PRIMARY KEY,
    url            VARCHAR NOT NULL,
    content_type   VARCHAR,
    fetched_at     TIMESTAMP NOT NULL,
    warc_file      VARCHAR NOT NULL,   -- in <db>.warc/
    warc_offset    BIGINT NOT NULL,
    warc_length    BIGINT NOT NULL
);

ALTER TABLE articles ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE articles ADD COLUMN requested_url VARCHAR;
