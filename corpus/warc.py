"""Raw pages in WARC files, the web-archiving convention, beside the corpus.

Every stored article's page is appended as a gzip-compressed WARC ``response``
record to ``<db>.warc/crawl-<id>.warc.gz`` (one file per crawl, append-only);
``raw_pages`` keeps where each record is (file, offset, length), so ``fundnews
reprocess`` reads it back without fetching, and any WARC tool (warcio, pywb,
ArchiveSpot...) can read the archive. The body is the page as the crawler decoded it,
re-encoded as UTF-8; the original Content-Type is in ``raw_pages.content_type``.

Why not a column in DuckDB: pages of ~100 KB made every short write connection's
checkpoint rewrite a growing row group; measured on 8,000 pages, per-batch write
time grew from 0.6 s to 3.4 s and peak memory to 1 GB. Appending to a file is flat.
A record written before a crash whose database write never happened is only an
unreferenced record.
"""

from __future__ import annotations

import io
import os
import zlib
from datetime import datetime
from pathlib import Path

from isal import igzip
from warcio.archiveiterator import ArchiveIterator, ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HTTP_HEADERS = [("Content-Type", "text/html; charset=utf-8")]
GZIP_LEVEL = 1


def archive_dir(db: str) -> Path:
    return Path(f"{db}.warc")


def record_bytes(url: str, fetched_at: datetime, html: str) -> bytes:
    """One page as a gzip-compressed WARC ``response`` record (a gzip member of its own).

    Built in the analysis workers, so compression is not the crawl process's work. Low
    levels, not warcio's 9: measured on 181 real news pages, zlib's level 3 took 1.5 ms
    instead of 5.4 ms a page for records 12% larger. ISA-L's gzip (``isal``), not zlib's:
    at level 3 on the same pages 0.44 instead of 1.24 ms a page, records the same size.
    ISA-L's level 1, not 3: a whole record in 1.52 instead of 2.41 ms a page (digests and
    headers included), records 4% larger (39.4 KB, not 37.9).

    The payload's length is given: without it warcio copies the payload into a temporary
    file when the record is created and again when it is written, and hashes it three
    times (the same bytes: 0.55 instead of 0.31 ms a record on the bench site's pages)."""
    body = html.encode("utf-8")
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders("200 OK", HTTP_HEADERS, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    writer.write_record(record)
    return igzip.compress(buffer.getvalue(), compresslevel=GZIP_LEVEL, mtime=0)


def append_records(db: str, crawl_id: int | None, records: list[bytes]) -> list[tuple[str, int, int]]:
    """Append records from :func:`record_bytes`; returns (file name, offset, length) of each."""
    directory = archive_dir(db)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"crawl-{crawl_id if crawl_id is not None else 'none'}-{os.getpid()}.warc.gz"
    places = []
    with open(directory / name, "ab") as handle:
        start = offset = handle.tell()
        for record in records:
            places.append((name, offset, len(record)))
            offset += len(record)
        try:
            handle.write(b"".join(records))
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:  # a full disk: no half record left behind, and its space back
            handle.truncate(start)
            raise
    return places


class RawPageError(Exception):
    """A raw page that cannot be read back: ``reason`` is ``raw_page_missing`` or ``raw_page_corrupt``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def read_page(db: str, file: str, offset: int, url: str | None = None, length: int | None = None) -> str:
    """The HTML of the record at `offset` in an archive file of this corpus (of `url` and
    `length` bytes, if given: warcio reads a cut-off record without complaint)."""
    try:
        with open(archive_dir(db) / file, "rb") as handle:
            if length is not None and os.fstat(handle.fileno()).st_size < offset + length:
                raise RawPageError("raw_page_corrupt", f"WARC file {file} is cut off before {offset + length}")
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)), None)
            if record is None:
                raise RawPageError("raw_page_corrupt", f"no WARC record at {file}:{offset}")
            if url is not None and record.rec_headers.get_header("WARC-Target-URI") != url:
                raise RawPageError("raw_page_corrupt", f"the record at {file}:{offset} is not {url}")
            return record.content_stream().read().decode("utf-8")
    except FileNotFoundError:
        raise RawPageError("raw_page_missing", f"WARC file {file} is missing") from None
    except (OSError, EOFError, ValueError, zlib.error, ArchiveLoadFailed) as exc:  # UnicodeDecodeError too
        raise RawPageError("raw_page_corrupt", f"unreadable record at {file}:{offset}: {exc}") from None
