-- Stories: one press release on many sites is one story. Signatures persist across crawls.

ALTER TABLE articles ADD COLUMN story_id BIGINT;   -- the story's first-seen article

CREATE TABLE article_signatures (
    article_id  BIGINT PRIMARY KEY,
    minhash     BLOB NOT NULL                       -- analysis/neardup.py signature_to_bytes
);
