-- name: all_mentions
-- Every round mention with its article, for merging into events.
SELECT m.*, a.article_id, a.source_id, CAST(a.published_at AS DATE) AS published, a.is_ai AS article_is_ai
FROM round_mentions AS m JOIN articles AS a USING (canonical_url)
ORDER BY a.article_id, m.idx;

-- name: replace_rounds
-- `merged` (funding_rounds rows) and `links` (round_id, article_id, canonical_url, idx) registered.
DELETE FROM round_articles;
DELETE FROM funding_rounds;
INSERT INTO funding_rounds BY NAME SELECT * FROM merged;
INSERT INTO round_articles SELECT DISTINCT round_id, article_id FROM links;
UPDATE round_mentions SET round_id = links.round_id
FROM links WHERE round_mentions.canonical_url = links.canonical_url AND round_mentions.idx = links.idx;
