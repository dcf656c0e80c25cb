-- Scheduling: what each source's last run did, and which process ran each crawl.

CREATE TABLE source_runs (
    crawl_id     BIGINT NOT NULL,
    source_id    VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR,
    stored       BIGINT,
    errors       BIGINT,
    last_error   VARCHAR,
    PRIMARY KEY (crawl_id, source_id)
);

ALTER TABLE crawls ADD COLUMN pid INTEGER;  -- to tell a crawl that died from one still running
