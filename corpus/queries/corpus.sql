-- name: classify_batch
-- How the batch registered as `batch` relates to what is stored: new, updated, unchanged.
SELECT count(*) FILTER (a.article_id IS NULL) AS new,
       count(*) FILTER (a.article_id IS NOT NULL AND a.content_hash IS DISTINCT FROM b.content_hash) AS updated,
       count(*) FILTER (a.content_hash = b.content_hash) AS unchanged
FROM batch AS b LEFT JOIN articles AS a USING (canonical_url);

-- name: keep_old_versions
-- Before a changed page overwrites its article, its current text becomes a version.
INSERT INTO article_versions
SELECT a.article_id, a.version, a.title, a.text, a.content_hash, a.fetched_at, a.crawl_id
FROM articles AS a JOIN batch AS b USING (canonical_url)
WHERE a.content_hash IS DISTINCT FROM b.content_hash
ON CONFLICT DO NOTHING;

-- name: upsert_articles
-- Set-based upsert keyed on canonical_url; a changed text bumps the version.
INSERT INTO articles BY NAME
SELECT * EXCLUDE (content_type, warc_file, warc_offset, warc_length) FROM batch
ON CONFLICT (canonical_url) DO UPDATE SET
    version = CASE WHEN articles.content_hash IS DISTINCT FROM excluded.content_hash
                   THEN articles.version + 1 ELSE articles.version END,
    url = excluded.url,
    requested_url = excluded.requested_url,
    source_id = excluded.source_id,
    discovered_via = excluded.discovered_via,
    title = excluded.title,
    author = excluded.author,
    published_at = excluded.published_at,
    language = excluded.language,
    site_name = excluded.site_name,
    description = excluded.description,
    text = excluded.text,
    content_hash = excluded.content_hash,
    http_status = excluded.http_status,
    etag = excluded.etag,
    last_modified = excluded.last_modified,
    fetched_at = excluded.fetched_at,
    crawl_id = excluded.crawl_id,
    is_ai = excluded.is_ai,
    ai_score = excluded.ai_score,
    is_funding = excluded.is_funding,
    funding_score = excluded.funding_score,
    funding_unconfirmed = excluded.funding_unconfirmed,
    relevance_reasons = excluded.relevance_reasons;

-- name: upsert_raw_pages
INSERT INTO raw_pages BY NAME
SELECT canonical_url, url, content_type, fetched_at, warc_file, warc_offset, warc_length FROM batch
ON CONFLICT (canonical_url) DO UPDATE SET
    url = excluded.url, content_type = excluded.content_type, fetched_at = excluded.fetched_at,
    warc_file = excluded.warc_file, warc_offset = excluded.warc_offset, warc_length = excluded.warc_length;

-- name: upsert_pages
-- The fetch log registered as `fetched`: the latest answer for each URL key.
INSERT INTO pages BY NAME SELECT * FROM fetched
ON CONFLICT (url_key) DO UPDATE SET
    status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified,
    fetched_at = excluded.fetched_at, crawl_id = excluded.crawl_id;

-- name: start_crawl
INSERT INTO crawls (crawl_id, started_at, status, sources, pid)
VALUES (nextval('crawl_id_seq'), ?, 'running', ?, ?)
RETURNING crawl_id;

-- name: finish_crawl
UPDATE crawls SET
    finished_at = ?, status = ?, requests = ?, responses_by_status = ?,
    items_stored = ?, skipped = ?, errors = ?, stats = ?
WHERE crawl_id = ?;

-- name: known_pages
-- Every URL fetched before, with the validators for a conditional GET.
SELECT url_key, fetched_at, etag, last_modified FROM pages;

-- name: raw_pages_for_reprocess
-- One chunk of stored pages after a canonical_url (keyset pagination), optionally by source.
SELECT r.canonical_url, r.url, r.content_type, r.fetched_at, r.warc_file, r.warc_offset, r.warc_length,
       a.source_id, a.discovered_via, a.requested_url, a.http_status, a.etag, a.last_modified
FROM raw_pages AS r JOIN articles AS a USING (canonical_url)
WHERE (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], a.source_id))
  AND r.canonical_url > ?
ORDER BY r.canonical_url
LIMIT ?;

-- name: stats_by_source
SELECT source_id, articles, copies,
       CAST(first_published AS DATE) AS first_published,
       CAST(last_published AS DATE) AS last_published,
       last_fetched
FROM articles_by_source ORDER BY articles DESC, source_id;

-- name: stats_by_day
SELECT day, articles, sources FROM articles_by_day ORDER BY day DESC LIMIT ?;

-- name: last_crawls
SELECT crawl_id, started_at, seconds, status, sources, requests, new, updated, unchanged, known,
       exact_copies, near_copies, errors, skipped
FROM crawl_summary LIMIT ?;

-- name: crawl_by_id
SELECT * FROM crawl_summary WHERE crawl_id = ?;

-- name: forget_evidence
DELETE FROM round_evidence WHERE canonical_url IN (SELECT canonical_url FROM batch);

-- name: forget_mentions
DELETE FROM round_mentions WHERE canonical_url IN (SELECT canonical_url FROM batch);

-- name: insert_mentions
INSERT INTO round_mentions BY NAME SELECT * FROM mentions;

-- name: insert_evidence
INSERT INTO round_evidence BY NAME SELECT * FROM evidence;

-- name: last_source_runs
-- Each source's latest run.
SELECT source_id, started_at, finished_at, status, stored, errors, last_error
FROM source_runs
QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY started_at DESC) = 1;

-- name: record_source_runs
-- `runs` registered: one row per source of a finished crawl.
INSERT INTO source_runs BY NAME SELECT * FROM runs;

-- name: mark_dead_crawls
-- Crawls still 'running' whose process is gone (a crash or SIGKILL).
UPDATE crawls SET status = 'interrupted' WHERE status = 'running' AND list_contains(?::INTEGER[], pid);

-- name: running_crawls
SELECT crawl_id, pid FROM crawls WHERE status = 'running';
