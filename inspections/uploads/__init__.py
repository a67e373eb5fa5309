"""Safe uploads: a streaming size limit, and checks of what a file really is before it is kept.

A file is accepted only when its content (magic bytes, then a look inside) and its
extension agree on one of the allowed kinds: PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS.
Everything else is refused with a ValidationError whose `code` names the reason
(`html`, `svg`, `script`, `executable`, `archive`, `macro`, `pdf_active`,
`office_bounds`, `pixels`, `mismatch`, `unsupported`, `damaged`, `encrypted`,
`empty`, `too_large`) and whose message tells the user what to do.
"""

from .inspection import inspect_upload
from .rules import (
    ACCEPT_ATTRIBUTE,
    KINDS,
    InspectedFile,
    allowed_kinds_text,
    ascii_file_name,
    clean_original_name,
    max_upload_bytes,
    refusal,
    too_large_error,
)
from .streaming import LimitedUploadHandler, install_upload_guard

__all__ = [
    "ACCEPT_ATTRIBUTE",
    "KINDS",
    "InspectedFile",
    "LimitedUploadHandler",
    "allowed_kinds_text",
    "ascii_file_name",
    "clean_original_name",
    "inspect_upload",
    "install_upload_guard",
    "max_upload_bytes",
    "refusal",
    "too_large_error",
]
