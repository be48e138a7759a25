"""A disbursement's receipt (发票、收据): an image or a PDF, judged by its bytes and size-limited,
by the floor's `core/uploads.py` as case photos are."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from wangge.core.uploads import CONTENT_TYPES, IMAGES, file_kind, upload_bytes

ACCEPTED = IMAGES | {"PDF"}
REFUSED_TYPE = "票据只接受 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断，与文件名无关）"
BROKEN = "票据文件无法读取，可能已损坏或不是所声明的格式"


def receipt_checked(upload) -> tuple[bytes, str]:
    """The receipt's bytes and content type; refused (field `receipt`) when missing, too big,
    of another kind, or not whole."""
    data = upload_bytes(upload, limit=settings.WANGGE_RECEIPT_MAX_BYTES, noun="票据", field="receipt")
    kind = file_kind(data, ACCEPTED)
    if kind is None:
        raise ValidationError({"receipt": REFUSED_TYPE})
    if kind == "PDF":
        # A PDF ends with its trailer's end-of-file marker (ISO 32000-1, 7.5.5), give or take
        # the trailing whitespace some writers add.
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError({"receipt": BROKEN})
        return data, CONTENT_TYPES[kind]
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.width * image.height > settings.WANGGE_CASE_PHOTO_MAX_PIXELS:
                raise ValidationError({"receipt": f"票据图片像素过多（{image.width}×{image.height}）"})
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError({"receipt": BROKEN}) from None
    return data, CONTENT_TYPES[kind]
