"""Uploaded files judged by their bytes: the one place that knows a file's kind from its first
bytes (never from its name or the content type the client claims) and reads an upload no
further than its size limit. Case photos and project receipts both use it."""

from django.core.exceptions import ValidationError

SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"%PDF-", "PDF"),
)
IMAGES = frozenset({"JPEG", "PNG", "WEBP"})
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "PDF": "application/pdf"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


def file_kind(data: bytes, accepted: frozenset[str] = IMAGES) -> str | None:
    """"JPEG", "PNG", "WEBP" or "PDF" as the bytes say, when it is one of `accepted`; else None."""
    kind = next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)
    if kind is None and len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "WEBP"
    return kind if kind in accepted else None


def amount_of(size: int) -> str:
    """A size in bytes as people read it (10 MB, 512 KB)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} 字节"


def upload_bytes(upload, *, limit: int, noun: str, field: str = "file") -> bytes:
    """The upload's bytes, refused in Chinese (naming `field`) when missing, empty or past
    `limit`; never more than `limit + 1` bytes are read, whatever size the client declared."""
    too_big = ValidationError({field: f"{noun}超过大小上限 {amount_of(limit)}"})
    if upload is None:
        raise ValidationError({field: f"请选择要上传的{noun}"})
    if upload.size is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)  # the declared size may lie
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError({field: f"{noun}文件是空的"})
    return data
