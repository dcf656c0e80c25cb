-- Relevance labels on articles, and funding rounds: mentions per article, merged events.

ALTER TABLE articles ADD COLUMN is_ai BOOLEAN;
ALTER TABLE articles ADD COLUMN ai_score DOUBLE;
ALTER TABLE articles ADD COLUMN is_funding BOOLEAN;      -- reports a new raise by the company it covers
ALTER TABLE articles ADD COLUMN funding_score DOUBLE;
ALTER TABLE articles ADD COLUMN funding_unconfirmed BOOLEAN;  -- "in talks", "per sources"
ALTER TABLE articles ADD COLUMN relevance_reasons VARCHAR[];  -- the signals that decided

-- A round as one article reports it (idx: its position among the article's rounds).
CREATE TABLE round_mentions (
    canonical_url       VARCHAR NOT NULL,
    idx                 INTEGER NOT NULL,
    company             VARCHAR,
    round_type          VARCHAR,
    round_label         VARCHAR,
    amount              DOUBLE,
    currency            VARCHAR,
    amount_usd          DOUBLE,
    amount_status       VARCHAR,
    valuation           DOUBLE,
    valuation_currency  VARCHAR,
    valuation_usd       DOUBLE,
    valuation_basis     VARCHAR,
    lead_investors      VARCHAR[],
    investors           VARCHAR[],
    announced_on        DATE,
    unconfirmed         BOOLEAN,
    round_id            BIGINT,                -- the event it was merged into
    PRIMARY KEY (canonical_url, idx)
);

-- Where each field of a mention was read: a character span of the article's text or title.
CREATE TABLE round_evidence (
    canonical_url  VARCHAR NOT NULL,
    idx            INTEGER NOT NULL,
    field          VARCHAR NOT NULL,
    location       VARCHAR,                    -- text | title
    start_char     INTEGER,
    end_char       INTEGER,
    sentence       VARCHAR,
    PRIMARY KEY (canonical_url, idx, field)
);

-- One row per funding event, merged from every article that reports it.
CREATE TABLE funding_rounds (
    round_id            BIGINT PRIMARY KEY,
    company             VARCHAR,
    company_key         VARCHAR,
    round_type          VARCHAR,
    round_label         VARCHAR,
    amount              DOUBLE,
    currency            VARCHAR,
    amount_usd          DOUBLE,
    amount_status       VARCHAR,
    valuation           DOUBLE,
    valuation_currency  VARCHAR,
    valuation_usd       DOUBLE,
    lead_investors      VARCHAR[],
    investors           VARCHAR[],
    announced_on        DATE,
    unconfirmed         BOOLEAN,
    is_ai               BOOLEAN,
    articles            INTEGER,
    sources             INTEGER
);

CREATE TABLE round_articles (
    round_id    BIGINT NOT NULL,
    article_id  BIGINT NOT NULL,
    PRIMARY KEY (round_id, article_id)
);
