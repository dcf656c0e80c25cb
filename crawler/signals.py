"""fundnews's own Scrapy signals."""

# Sent by the spider for every response it gets (entry documents and articles, errors
# included) with ``page=dict(url_key, status, etag, last_modified, fetched_at)``, one per
# URL the response answers for (a redirect answers for its source URLs too). The store
# pipeline writes them to the ``pages`` table, which the next crawl reads to skip known
# URLs and to send conditional GETs.
page_fetched = object()

