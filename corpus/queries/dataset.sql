-- The dataset export (corpus/dataset.py): one query per Parquet config, and the card's facts.

-- name: dataset_articles
-- One shard of articles: the next $rows after article $after (keyset, so each shard is one
-- range scan however far into the table it is).
SELECT article_id, canonical_url, url, source_id, discovered_via, title, author, published_at,
       language, site_name, description, text, content_hash, story_id, duplicate_of, version,
       is_ai, ai_score, is_funding, funding_score, funding_unconfirmed, relevance_reasons,
       fetched_at
FROM articles
WHERE article_id > $after
ORDER BY article_id
LIMIT $rows;

-- name: dataset_article_shard_ends
-- The last article_id of every full shard of $rows articles, to start the next shard after.
SELECT article_id FROM (
    SELECT article_id, row_number() OVER (ORDER BY article_id) AS n FROM articles
) WHERE n % $rows = 0 ORDER BY article_id;

-- name: dataset_funding_rounds
SELECT * FROM funding_rounds ORDER BY round_id;

-- name: dataset_round_articles
SELECT ra.round_id, ra.article_id, a.canonical_url
FROM round_articles AS ra JOIN articles AS a USING (article_id)
ORDER BY ra.round_id, ra.article_id;

-- name: dataset_round_evidence
SELECT m.round_id, a.article_id, e.canonical_url, e.idx AS mention, e.field, e.location,
       e.start_char, e.end_char, e.sentence
FROM round_evidence AS e
JOIN round_mentions AS m USING (canonical_url, idx)
JOIN articles AS a USING (canonical_url)
ORDER BY m.round_id NULLS LAST, a.article_id, e.idx, e.field;

-- name: dataset_sources
-- What each source contributed, for the card.
SELECT source_id, count(*) AS articles,
       CAST(min(published_at) AS DATE) AS first_published,
       CAST(max(published_at) AS DATE) AS last_published,
       CAST(min(fetched_at) AS DATE) AS first_fetched,
       CAST(max(fetched_at) AS DATE) AS last_fetched
FROM articles GROUP BY source_id ORDER BY source_id;

-- name: dataset_facts
SELECT (SELECT count(*) FROM articles)                              AS articles,
       (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS copies,
       (SELECT count(DISTINCT story_id) FROM articles)              AS stories,
       (SELECT count(*) FROM articles WHERE is_funding)             AS funding_articles,
       (SELECT count(*) FROM funding_rounds)                        AS rounds,
       (SELECT count(*) FROM crawls)                                AS crawls,
       (SELECT CAST(min(started_at) AS DATE) FROM crawls)           AS first_crawl,
       (SELECT CAST(max(finished_at) AS DATE) FROM crawls)          AS last_crawl,
       (SELECT list(language ORDER BY n DESC) FROM (
            SELECT language, count(*) AS n FROM articles WHERE language IS NOT NULL GROUP BY 1)) AS languages;
