-- name: fts_fingerprint
-- What the index must reflect: article count and the newest write.
SELECT count(*) AS articles, max(fetched_at) AS max_fetched_at FROM articles;

-- name: fts_state
SELECT articles, max_fetched_at FROM fts_state;

-- name: fts_build
PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', overwrite = 1);

-- name: fts_record
INSERT INTO fts_state SELECT now(), count(*), max(fetched_at) FROM articles;

-- name: search_articles
-- BM25 over title and text; newest first among equal scores.
SELECT a.article_id, round(s.score, 3) AS score, CAST(a.published_at AS DATE) AS published,
       a.source_id, a.title, a.url
FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?) AS score FROM articles) AS s
JOIN articles AS a USING (article_id)
WHERE s.score IS NOT NULL
ORDER BY s.score DESC, a.published_at DESC NULLS LAST
LIMIT ?;
