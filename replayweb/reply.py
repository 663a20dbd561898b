"""What a route hands to the HTTP layer: the body plus how to deliver it (conditional GET,
compression, and the delivery faults: delay, short read, streaming)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(kw_only=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    conditional: bool = True                 # ETag/Last-Modified and 304 on a match
    compress: bool = True                    # gzip when the client accepts it
    force_gzip: bool = False                 # gzip even when the client did not ask
    delay: float = 0.0                       # seconds to wait before answering
    declared_length: int | None = None       # announce this length, send less, close
    stream: Callable[[], Iterator[bytes]] | None = None
    stream_length: int = 0

    def chunks(self) -> Iterator[bytes]:
        """The streamed body (a reply with ``stream`` set)."""
        if self.stream is None:
            raise ValueError("not a streamed reply")
        return self.stream()


def html(text: str, *, status: int = 200, charset: str = "utf-8",
         last_modified: datetime | None = None) -> Reply:
    return Reply(status=status, body=text.encode(charset, errors="xmlcharrefreplace"),
                 content_type=f"text/html; charset={charset}", last_modified=last_modified)


def xml(body: bytes, *, kind: str = "application/xml", charset: str = "utf-8",
        last_modified: datetime | None = None) -> Reply:
    return Reply(body=body, content_type=f"{kind}; charset={charset}",
                 last_modified=last_modified)


def not_found(what: str = "Not found") -> Reply:
    page = (f"<!DOCTYPE html><html><head><title>404</title></head><body><h1>404</h1>"
            f"<p>{what}</p></body></html>")
    return Reply(status=404, body=page.encode(), conditional=False)


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status=status, headers={"Location": location}, conditional=False,
                 body=f'<a href="{location}">moved</a>'.encode())
