-- Analyst views, recreated after every migration. Columns are part of the contract.

-- Articles per source, with first and last publication.
CREATE OR REPLACE VIEW articles_by_source AS
SELECT source_id,
       count(*)                                   AS articles,
       count(*) FILTER (duplicate_of IS NOT NULL) AS exact_copies,
       min(published_at)                          AS first_published,
       max(published_at)                          AS last_published,
       max(fetched_at)                            AS last_fetched
FROM articles
GROUP BY source_id;

-- Articles per publication day (fetch day when the page gave no date).
CREATE OR REPLACE VIEW articles_by_day AS
SELECT CAST(coalesce(published_at, fetched_at) AS DATE) AS day,
       count(*)                                         AS articles,
       count(DISTINCT source_id)                        AS sources
FROM articles
GROUP BY day;

-- Crawls, newest first, with the headline numbers pulled out of their stats:
-- articles new, updated (same URL, new text), unchanged (same text, or 304), known (not
-- fetched: seen before and not changed), exact copies of another article.
CREATE OR REPLACE VIEW crawl_summary AS
SELECT crawl_id, started_at, finished_at, status,
       round(epoch(finished_at - started_at), 1) AS seconds,
       array_to_string(sources, ',')             AS sources,
       requests, items_stored, errors,
       coalesce(CAST(stats->>'$."fundnews/pages/new"' AS BIGINT), 0)       AS new,
       coalesce(CAST(stats->>'$."fundnews/pages/updated"' AS BIGINT), 0)   AS updated,
       coalesce(CAST(stats->>'$."fundnews/pages/unchanged"' AS BIGINT), 0)
         + coalesce(CAST(stats->>'$."fundnews/pages/unchanged_304"' AS BIGINT), 0) AS unchanged,
       coalesce(CAST(skipped->>'$.known_url' AS BIGINT), 0)                AS known,
       coalesce(CAST(stats->>'$."fundnews/duplicates/exact"' AS BIGINT), 0) AS exact_copies,
       coalesce(CAST(stats->>'$."fundnews/duplicates/near"' AS BIGINT), 0)  AS near_copies,
       responses_by_status, skipped
FROM crawls
ORDER BY crawl_id DESC;
