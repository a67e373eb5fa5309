"""Streaming an upload to disk under the size limit, before anything keeps it."""

import hashlib

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers

from .rules import (
    CHUNK,
    FORM_OVERHEAD_BYTES,
    max_upload_bytes,
)

# Streaming ---------------------------------------------------------------------------


class LimitedUploadHandler(FileUploadHandler):
    """Stream one file to a temporary file, hashing it on the way; drop it the moment it passes the limit.

    Nothing is kept in memory but the current chunk. A file over the limit is skipped
    (the rest of its bytes are read and discarded) and `request.upload_refusals`
    records its name, so the form can say why it is missing.
    """

    chunk_size = CHUNK

    def __init__(self, request=None, *, field_name: str = "file", max_bytes: int | None = None):
        super().__init__(request)
        self.expected_field = field_name
        self.max_bytes = max_bytes if max_bytes is not None else max_upload_bytes()
        self.accepted = 0
        if request is not None:
            request.upload_refusals = []

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if not field_name.endswith(self.expected_field) or self.accepted:
            # One file per request, in the expected field: nothing else reaches the disk.
            raise SkipFile()
        if content_length is not None and content_length > self.max_bytes:
            self._note_refusal()
            raise SkipFile()
        self.file = TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)
        self.hasher = hashlib.sha256()
        self.received = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._note_refusal()
            raise SkipFile()
        self.hasher.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        completed = self.file
        # The parser closes any `file` a handler still holds when it skips a later file.
        del self.file
        completed.seek(0)
        completed.size = file_size
        completed.cchc_sha256 = self.hasher.hexdigest()
        self.accepted += 1
        return completed

    def _note_refusal(self):
        if self.request is not None:
            self.request.upload_refusals.append(self.file_name)


def install_upload_guard(request, *, field_name: str = "file") -> bool:
    """Make the request stream its file through LimitedUploadHandler.

    Call before anything reads request.POST or request.FILES. Returns False when the
    declared body is already too large to hold an allowed file: the caller then answers
    without reading the body at all.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_upload_bytes() + FORM_OVERHEAD_BYTES:
        return False
    request.upload_handlers = [LimitedUploadHandler(request, field_name=field_name)]
    return True
