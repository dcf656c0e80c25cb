-- name: all_signatures
SELECT article_id, minhash FROM article_signatures;

-- name: all_story_ids
SELECT article_id, story_id, content_hash FROM articles WHERE story_id IS NOT NULL;

-- name: articles_without_signature
-- Stored articles not yet placed in a story, oldest first (first seen, first story root).
SELECT a.article_id, a.canonical_url, a.content_hash
FROM articles AS a ANTI JOIN article_signatures AS s USING (article_id)
ORDER BY a.article_id;

-- name: texts_of_articles
-- The text of the articles whose ids are the parameter (a list).
SELECT article_id, text FROM articles WHERE article_id IN (SELECT unnest(?));

-- name: insert_signatures
INSERT INTO article_signatures BY NAME SELECT article_id, minhash FROM placed
ON CONFLICT DO NOTHING;

-- name: set_stories
UPDATE articles SET story_id = placed.story_id,
       duplicate_of = CASE WHEN placed.story_id <> placed.article_id THEN placed.story_id END
FROM placed WHERE articles.article_id = placed.article_id;
