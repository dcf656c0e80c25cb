-- The HTML report's queries (corpus/report.py), one per chart or table.
-- $since: the first day shown (NULL: the whole corpus); $limit: rows in a top-N table.

-- name: report_overview
-- The headline numbers, and the sources the corpus was crawled from.
SELECT (SELECT count(*) FROM articles)                                        AS articles,
       (SELECT count(*) FROM articles WHERE is_funding)                       AS funding_articles,
       (SELECT count(*) FROM funding_rounds)                                  AS rounds,
       (SELECT count(*) FROM funding_rounds WHERE is_ai)                      AS ai_rounds,
       (SELECT CAST(min(published_at) AS DATE) FROM articles)                 AS first_published,
       (SELECT CAST(max(published_at) AS DATE) FROM articles)                 AS last_published,
       (SELECT count(*) FROM crawls)                                          AS crawls,
       (SELECT max(finished_at) FROM crawls)                                  AS last_crawl,
       (SELECT list(DISTINCT source_id ORDER BY source_id)
        FROM (SELECT source_id FROM articles UNION SELECT source_id FROM source_runs)) AS sources;

-- name: report_rounds_by_month
-- Rounds and USD per month, all rounds and AI rounds, oldest first.
SELECT month, rounds, usd_millions, ai_rounds, ai_usd_millions
FROM rounds_by_month
WHERE $since::DATE IS NULL OR month >= date_trunc('month', $since::DATE)
ORDER BY month;

-- name: report_biggest_rounds
-- The biggest rounds by USD (AI or not), each with the articles that report it.
SELECT r.company, r.round_type, r.round_label, r.amount, r.currency,
       round(r.amount_usd / 1e6, 1)                                AS usd_millions,
       r.announced_on, r.lead_investors, r.is_ai,
       list({'title': coalesce(a.title, a.url), 'url': a.url} ORDER BY a.published_at) AS links
FROM funding_rounds AS r
LEFT JOIN round_articles AS ra USING (round_id)
LEFT JOIN articles AS a USING (article_id)
WHERE r.amount_usd IS NOT NULL
  AND ($since::DATE IS NULL OR r.announced_on >= $since::DATE)
GROUP BY r.round_id, r.company, r.round_type, r.round_label, r.amount, r.currency, r.amount_usd,
         r.announced_on, r.lead_investors, r.is_ai
ORDER BY r.amount_usd DESC, r.company
LIMIT $limit;

-- name: report_top_investors
-- Investors by rounds led and joined, in the window.
WITH rounds AS (
    SELECT * FROM funding_rounds WHERE $since::DATE IS NULL OR announced_on >= $since::DATE
), roles AS (
    SELECT round_id, unnest(lead_investors) AS investor, true AS led FROM rounds
    UNION ALL
    SELECT round_id, unnest(investors), false FROM rounds
)
SELECT any_value(investor)                       AS investor,
       count(DISTINCT round_id) FILTER (led)     AS rounds_led,
       count(DISTINCT round_id) FILTER (NOT led) AS rounds_joined
FROM roles
GROUP BY lower(trim(investor))
ORDER BY rounds_led + rounds_joined DESC, rounds_led DESC, investor
LIMIT $limit;

-- name: report_rounds_by_type
SELECT coalesce(round_type, 'unknown')                   AS round_type,
       count(*)                                          AS rounds,
       round(coalesce(sum(amount_usd), 0) / 1e6, 1)      AS usd_millions
FROM funding_rounds
WHERE $since::DATE IS NULL OR announced_on >= $since::DATE
GROUP BY ALL
ORDER BY rounds DESC, round_type;

-- name: report_newest_funding_articles
SELECT CAST(published_at AS DATE) AS published, source_id, title, url, is_ai,
       funding_unconfirmed AS unconfirmed
FROM articles
WHERE is_funding
  AND ($since::DATE IS NULL OR coalesce(published_at, fetched_at) >= $since::DATE)
ORDER BY published_at DESC NULLS LAST, article_id DESC
LIMIT $limit;

-- name: report_source_health
-- Per source: its last run, and articles per day over the window (or over the days from
-- its first to its last article).
WITH runs AS (
    SELECT source_id, started_at, status, stored, errors, last_error FROM source_runs
    QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY started_at DESC) = 1
), counts AS (
    SELECT source_id, count(*) AS articles,
           min(CAST(coalesce(published_at, fetched_at) AS DATE)) AS first_day,
           max(CAST(coalesce(published_at, fetched_at) AS DATE)) AS last_day
    FROM articles
    WHERE $since::DATE IS NULL OR coalesce(published_at, fetched_at) >= $since::DATE
    GROUP BY source_id
)
SELECT source_id, r.started_at AS last_run, r.status, r.stored AS last_stored, r.errors,
       coalesce(c.articles, 0) AS articles,
       round(coalesce(c.articles, 0) / CASE WHEN $since::DATE IS NULL
                                            THEN greatest(1, c.last_day - c.first_day + 1)
                                            ELSE greatest(1, current_date - $since::DATE + 1) END,
             2) AS articles_per_day,
       r.last_error
FROM runs AS r FULL JOIN counts AS c USING (source_id)
ORDER BY source_id;

-- name: report_crawl_history
-- Crawls, oldest first (the chart) and newest first (the table).
SELECT crawl_id, started_at, seconds, status, sources, requests, items_stored, new, updated,
       errors
FROM crawl_summary
WHERE $since::DATE IS NULL OR started_at >= $since::DATE
ORDER BY crawl_id;
