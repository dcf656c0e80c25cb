-- funding_rounds gets the one fact of a round it lacked: whether the valuation is pre- or
-- post-money. The columns of round_mentions and funding_rounds now follow the typed round
-- (analysis/rounds.py: Round, ROUND_FIELDS); tests/test_round_schema.py checks it.
-- Old rows get the value at the next rounds rebuild (every crawl and reprocess ends with one).
ALTER TABLE funding_rounds ADD COLUMN valuation_basis VARCHAR;
