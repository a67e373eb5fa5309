"""Stored files (evidence, reports) leave the application here, after the view has checked the user's right.

Files live behind Django's storage API: the local folder (MEDIA_ROOT) or S3-compatible object
storage, chosen by STORAGE_BACKEND. The view never streams a large file through a web worker
when something cheaper can: object storage answers a short-lived pre-signed URL, and nginx
answers an `X-Accel-Redirect` to an internal location over the local folder. Before either,
the stored object is checked against the SHA-256 recorded when it was kept.
"""

import base64
import hashlib
import logging
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


class StoredFileDamaged(Exception):
    """The stored object no longer matches the SHA-256 recorded when it was kept."""


def is_object_storage(storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def content_sha256(field_file) -> str:
    """SHA-256 of the stored object, read in chunks from whichever storage holds it."""
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _object_checksum(field_file) -> str | None:
    """The SHA-256 that object storage verified when the object was written, as hex; None if it kept none."""
    storage = field_file.storage
    head = storage.connection.meta.client.head_object(
        Bucket=storage.bucket_name, Key=storage._normalize_name(field_file.name), ChecksumMode="ENABLED"
    )
    encoded = head.get("ChecksumSHA256") or ""
    # A multipart upload keeps a checksum of checksums ("…-3"), not the file's own.
    if not encoded or "-" in encoded:
        return None
    return base64.b64decode(encoded).hex()


def verify(field_file, sha256: str) -> None:
    """Raise StoredFileDamaged unless the stored object's SHA-256 is `sha256`; FileNotFoundError if it is gone.

    Object storage checked the SHA-256 sent with the object when it was written, so comparing
    that checksum costs one HEAD request; without one the object is read and hashed.
    """
    if not sha256:
        return
    storage = field_file.storage
    if is_object_storage(storage):
        from botocore.exceptions import ClientError

        try:
            found = _object_checksum(field_file)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                raise FileNotFoundError(field_file.name) from exc
            raise
        if found is None:
            found = content_sha256(field_file)
    else:
        found = content_sha256(field_file)
    if found != sha256:
        logger.error("Stored file %s does not match its SHA-256 (kept %s, found %s)", field_file.name, sha256, found)
        raise StoredFileDamaged(field_file.name)


def ascii_fallback(name: str) -> str:
    return "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name) or "download"


def attachment_disposition(name: str, ascii_name: str | None = None) -> str:
    """`attachment` with an ASCII name for old browsers and the original name (RFC 6266/5987)."""
    fallback = ascii_name or ascii_fallback(name)
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(name, safe='')}"


def file_response(field_file, *, sha256: str, content_type: str, disposition: str, headers: dict | None = None):
    """The answer that hands one stored file to the browser, after checking it against `sha256`.

    Raises FileNotFoundError when the object is missing and StoredFileDamaged when it changed.
    """
    verify(field_file, sha256)
    storage = field_file.storage
    extra = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store", **(headers or {})}
    if is_object_storage(storage):
        url = storage.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": storage.bucket_name,
                "Key": storage._normalize_name(field_file.name),
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            ExpiresIn=settings.STORAGE_URL_EXPIRE_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if settings.MEDIA_ACCEL_REDIRECT_PREFIX:
        # nginx serves the file from an `internal` location and keeps these headers.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + quote(field_file.name)
    else:
        response = FileResponse(field_file.storage.open(field_file.name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    for name, value in extra.items():
        response[name] = value
    return response
