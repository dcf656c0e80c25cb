-- Why a crawl failed (a write the corpus refused: disk full, out of memory, locked); NULL otherwise.
ALTER TABLE crawls ADD COLUMN failure VARCHAR;
