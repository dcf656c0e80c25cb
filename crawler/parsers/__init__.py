"""Parsers of entry documents (feeds, sitemaps). Pure functions: bytes in, links out."""


class EntryError(ValueError):
    """An entry document (feed, sitemap, listing page) that cannot be used."""
