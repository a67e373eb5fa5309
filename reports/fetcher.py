"""The only way the PDF renderer reads anything: the project's static files, nothing else.

Documents are laid out from HTML the application writes, but it holds text that users
typed; a stray `<img src="http://10.0.0.1/">` or `url(file:///etc/passwd)` must not make
the worker reach the network or read the disk. Templates refer to static files by paths
relative to STATIC_BASE, a host under the reserved `.invalid` domain that never resolves;
this fetcher maps those paths to files found by the staticfiles finders and refuses every
other URL (network addresses, `file:` and `data:` URLs, paths that climb out of a folder).
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_HOST = "static.cchc.invalid"
STATIC_BASE = f"https://{STATIC_HOST}/"

mimetypes.add_type("font/ttf", ".ttf")
mimetypes.add_type("font/otf", ".otf")
mimetypes.add_type("font/woff2", ".woff2")


class RefusedURL(ValueError):
    """A URL outside the project's static files."""


def static_path_for(url: str) -> Path:
    """The file behind a STATIC_BASE URL, or RefusedURL for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname != STATIC_HOST or parts.port or parts.username:
        raise RefusedURL(f"Refused a URL outside the static files: {url[:200]}")
    relative = unquote(parts.path).lstrip("/")
    if not relative or "\x00" in relative or any(part == ".." for part in relative.split("/")):
        raise RefusedURL(f"Refused a static path: {url[:200]}")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        found = None
    if not found:
        raise RefusedURL(f"No such static file: {relative[:200]}")
    return Path(found)


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves STATIC_BASE URLs from the static files and refuses the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=["https"], allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        try:
            path = static_path_for(url)
        except RefusedURL as exc:
            self.refused.append(url)
            logger.warning("%s", exc)
            raise
        self.served.append(path.name)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
