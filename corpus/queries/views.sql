-- Analyst views, recreated after every migration. Columns are part of the contract.

-- Articles per source, with first and last publication.
CREATE OR REPLACE VIEW articles_by_source AS
SELECT source_id,
       count(*)                                   AS articles,
       count(*) FILTER (duplicate_of IS NOT NULL) AS copies,
       min(published_at)                          AS first_published,
       max(published_at)                          AS last_published,
       max(fetched_at)                            AS last_fetched
FROM articles
GROUP BY source_id;

-- One row per story (one release and all its copies, across sources and crawls).
CREATE OR REPLACE VIEW stories AS
SELECT story_id,
       arg_min(title, article_id)                  AS title,
       count(*)                                    AS copies,
       count(DISTINCT source_id)                   AS source_count,
       list(DISTINCT source_id ORDER BY source_id) AS sources,
       min(fetched_at)                             AS first_seen,
       max(fetched_at)                             AS last_seen,
       min(published_at)                           AS first_published,
       bool_or(is_funding)                         AS is_funding
FROM articles
WHERE story_id IS NOT NULL
GROUP BY story_id;

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
       responses_by_status, skipped, failure
FROM crawls
ORDER BY crawl_id DESC;

-- Funding news only: articles that report a new raise.
CREATE OR REPLACE VIEW funding_articles AS
SELECT article_id, CAST(published_at AS DATE) AS published, source_id, title, is_ai,
       funding_unconfirmed AS unconfirmed, url
FROM articles WHERE is_funding
ORDER BY published_at DESC NULLS LAST;

-- Rounds per month: count and USD, all and AI only.
CREATE OR REPLACE VIEW rounds_by_month AS
SELECT CAST(date_trunc('month', announced_on) AS DATE)           AS month,
       count(*)                                                  AS rounds,
       round(sum(amount_usd) / 1e6, 1)                           AS usd_millions,
       count(*) FILTER (is_ai)                                   AS ai_rounds,
       round(coalesce(sum(amount_usd) FILTER (is_ai), 0) / 1e6, 1) AS ai_usd_millions
FROM funding_rounds
WHERE announced_on IS NOT NULL
GROUP BY ALL
ORDER BY month DESC;

-- Investors by rounds led and joined (one canonical name each: analysis/aliases.csv).
CREATE OR REPLACE VIEW top_investors AS
WITH roles AS (
    SELECT round_id, unnest(lead_investors) AS investor, true AS led FROM funding_rounds
    UNION ALL
    SELECT round_id, unnest(investors), false FROM funding_rounds
)
SELECT any_value(investor)                 AS investor,
       count(DISTINCT round_id) FILTER (led)     AS rounds_led,
       count(DISTINCT round_id) FILTER (NOT led) AS rounds_joined,
       count(DISTINCT round_id)            AS rounds
FROM roles
GROUP BY lower(trim(investor))
ORDER BY rounds_led DESC, rounds DESC, investor;

-- The biggest AI rounds by USD amount.
CREATE OR REPLACE VIEW biggest_ai_rounds AS
SELECT company, round_type, amount, currency, round(amount_usd / 1e6, 1) AS usd_millions,
       round(valuation_usd / 1e6, 1) AS valuation_usd_millions, announced_on, lead_investors,
       articles, sources, round_id
FROM funding_rounds
WHERE is_ai AND amount_usd IS NOT NULL
ORDER BY amount_usd DESC;

-- Each company's rounds over time.
CREATE OR REPLACE VIEW company_rounds AS
SELECT company_key, company, announced_on, round_type, round(amount_usd / 1e6, 1) AS usd_millions,
       round(valuation_usd / 1e6, 1) AS valuation_usd_millions, lead_investors, investors, round_id
FROM funding_rounds
ORDER BY company_key, announced_on;
