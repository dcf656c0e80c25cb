-- name: upsert_articles
-- Set-based upsert of one Arrow batch registered as `batch`; keyed on canonical_url.
INSERT INTO articles BY NAME
SELECT * FROM batch
ON CONFLICT (canonical_url) DO UPDATE SET
    url = excluded.url,
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
    duplicate_of = excluded.duplicate_of,
    http_status = excluded.http_status,
    etag = excluded.etag,
    last_modified = excluded.last_modified,
    fetched_at = excluded.fetched_at,
    crawl_id = excluded.crawl_id;

-- name: start_crawl
INSERT INTO crawls (crawl_id, started_at, status, sources)
VALUES (nextval('crawl_id_seq'), ?, 'running', ?)
RETURNING crawl_id;

-- name: finish_crawl
UPDATE crawls SET
    finished_at = ?, status = ?, requests = ?, responses_by_status = ?,
    items_stored = ?, skipped = ?, errors = ?, stats = ?
WHERE crawl_id = ?;

-- name: known_pages
-- What the corpus already holds, for skipping known URLs and exact copies.
SELECT canonical_url, fetched_at, content_hash, article_id FROM articles;

-- name: first_article_by_hash
SELECT content_hash, min(article_id) AS article_id
FROM articles WHERE content_hash IS NOT NULL GROUP BY content_hash;

-- name: stats_by_source
SELECT source_id, articles, exact_copies,
       CAST(first_published AS DATE) AS first_published,
       CAST(last_published AS DATE) AS last_published,
       last_fetched
FROM articles_by_source ORDER BY articles DESC, source_id;

-- name: stats_by_day
SELECT day, articles, sources FROM articles_by_day ORDER BY day DESC LIMIT ?;

-- name: last_crawls
SELECT crawl_id, started_at, seconds, status, sources, requests, items_stored, errors, skipped
FROM crawl_summary LIMIT ?;

-- name: crawl_by_id
SELECT * FROM crawl_summary WHERE crawl_id = ?;

-- name: link_exact_copies
-- After a batch: every later copy of a text points at the first stored article with it.
UPDATE articles SET duplicate_of = firsts.first_id
FROM (SELECT content_hash, min(article_id) AS first_id
      FROM articles
      WHERE content_hash IN (SELECT content_hash FROM batch)
      GROUP BY content_hash) AS firsts
WHERE articles.content_hash = firsts.content_hash
  AND articles.article_id <> firsts.first_id
  AND articles.duplicate_of IS DISTINCT FROM firsts.first_id;
