"""The uploaded CSV from a request body: raw (text/csv) or the first file of a multipart form.

python-multipart is not a dependency, so the one part we need is cut out here: the body is
spooled (to disk past SPOOL_IN_MEMORY), then the first part's content is copied out in chunks,
never holding the file whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from typing import IO

SPOOL_IN_MEMORY = 8 * 1024 * 1024
CHUNK = 1 << 16


class UploadError(ValueError):
    """A multipart body we cannot read; the message says what is wrong."""


async def spool(chunks: AsyncIterator[bytes], content_type: str) -> IO[bytes]:
    """The CSV bytes of the request, as a file positioned at its start (the caller closes it)."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    async for chunk in chunks:
        body.write(chunk)
    body.seek(0)
    if not content_type.lower().startswith("multipart/form-data"):
        return body
    with body:
        return first_part(body, _boundary(content_type))


def _boundary(content_type: str) -> bytes:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode()
    raise UploadError("the multipart body has no boundary")


def first_part(body: IO[bytes], boundary: bytes) -> IO[bytes]:
    """Copy the first part's content (after its headers, before the next boundary) to a file."""
    head = body.read(CHUNK)
    start = head.find(b"--" + boundary)
    headers_end = head.find(b"\r\n\r\n", start)
    if start < 0 or headers_end < 0:
        raise UploadError("the multipart body has no file part")
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    delimiter, pending = b"\r\n--" + boundary, head[headers_end + 4:]
    while True:
        end = pending.find(delimiter)
        if end >= 0:
            out.write(pending[:end])
            out.seek(0)
            return out
        keep = len(delimiter) - 1  # a delimiter may straddle two chunks
        out.write(pending[:-keep])
        more = body.read(CHUNK)
        if not more:
            out.close()
            raise UploadError("the multipart body ends before its closing boundary")
        pending = pending[-keep:] + more
