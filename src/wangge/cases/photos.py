"""Case photos: who may add one, what counts as a photo, and the copy that others are shown.

A photo is judged by its bytes only (magic number, then Pillow decodes it whole), never by its
file name or the content type the client claims. The original is kept as sent, with its EXIF,
as evidence for staff; `shown` is decoded, turned upright by its EXIF orientation and encoded
again with no metadata at all, so that a resident's photo does not tell the public where they
live (GPS) or what phone they carry.

Files are written before the row (so the row never names a missing file) and removed again if
the row's transaction fails, up to and including its commit. A rollback of an enclosing
transaction started by a caller cannot be seen from here; callers add photos in their own
transaction (the API does), so that does not happen in the platform itself.
"""

import hashlib
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from wangge.core.uploads import CONTENT_TYPES, EXTENSIONS, file_kind, upload_bytes

from . import workflow
from .models import Case, CasePhoto
from .permissions import may_add_photo

AFTER_REFUSED = "只有正在处置的承办部门经办人、正在核查的网格员可以添加处置后照片"
REFUSED_TYPE = "只接受 JPEG、PNG 或 WebP 格式的照片（按文件内容判断，与文件名无关）"


@dataclass(frozen=True)
class _Decoded:
    content_type: str  # of the original, as its bytes say
    shown: bytes
    width: int
    height: int


def shown_content_type(photo: CasePhoto) -> str:
    return "image/png" if photo.content_type == "image/png" else "image/jpeg"


def _decode(data: bytes) -> _Decoded:
    """Check that the bytes are a whole image of an accepted kind and make the copy to show."""
    kind = file_kind(data)
    if kind is None:
        raise ValidationError({"file": REFUSED_TYPE})
    limit = settings.WANGGE_CASE_PHOTO_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as probe:
            if probe.width * probe.height > limit:
                raise ValidationError({"file": f"照片像素过多（{probe.width}×{probe.height}），上限为 {limit} 像素"})
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            shown = _reencode(upright, png=kind == "PNG")
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError({"file": "照片无法解码，文件可能已损坏或不是所声明的格式"}) from None
    return _Decoded(CONTENT_TYPES[kind], shown, upright.width, upright.height)


def _reencode(image: Image.Image, *, png: bool) -> bytes:
    # A fresh image of the pixels alone: nothing of the original's info (EXIF, XMP, ICC, text
    # chunks, comments) can reach the encoder.
    if png:
        mode = image.mode if image.mode in {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"} else "RGBA"
    else:
        mode = "RGB"
    pixels = image.convert(mode) if image.mode != mode else image
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    if pixels.mode == "P":
        clean.putpalette(pixels.getpalette())
        if "transparency" in pixels.info:
            clean.info["transparency"] = pixels.info["transparency"]
    out = io.BytesIO()
    if png:
        clean.save(out, format="PNG", optimize=False)
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _read(upload) -> bytes:
    return upload_bytes(upload, limit=settings.WANGGE_CASE_PHOTO_MAX_BYTES, noun="照片")


def _check_room(case: Case, client_id: str) -> CasePhoto | None:
    """The photo this client_id already added, or None when another one may be added."""
    if client_id:
        earlier = CasePhoto.objects.filter(case=case, client_id=client_id).first()
        if earlier is not None:
            return earlier
    # Photos may be added while a case is worked on; a closed or rejected case is a record and
    # keeps the evidence it was decided on (reopening a closed case lets photos be added again).
    if case.status not in workflow.OPEN:
        raise ValidationError({"file": f"事件已{case.get_status_display()}，不能再添加照片"})
    limit = settings.WANGGE_CASE_PHOTOS_PER_CASE
    if CasePhoto.objects.filter(case=case).count() >= limit:
        raise ValidationError({"file": f"每个事件最多 {limit} 张照片，已达上限"})
    return None


def case_photo_add(*, case: Case, actor, upload, client_id: str = "", stage: str = CasePhoto.Stage.BEFORE) -> tuple[CasePhoto, bool]:
    """Add a photo to an open case, of the problem ("before") or of the work done ("after");
    the same (case, client_id) again answers the first photo (created False), so that a phone
    re-sending its queue adds each photo once."""
    if stage not in CasePhoto.Stage.values:
        raise ValidationError({"stage": f"未知的照片阶段：{str(stage)[:20]}；应为 before（处置前）或 after（处置后）"})
    if not may_add_photo(actor, case, stage):
        if stage == CasePhoto.Stage.AFTER:
            raise PermissionDenied(AFTER_REFUSED)
        raise PermissionDenied("只有上报人、该网格的网格员、负责的干部或承办部门的经办人可以添加照片")
    client_id = (client_id or "").strip()
    if len(client_id) > 64:
        raise ValidationError({"client_id": "客户端编号不能超过 64 个字符"})
    earlier = _check_room(case, client_id)
    if earlier is not None:
        return earlier, False
    data = _read(upload)
    decoded = _decode(data)
    photo = CasePhoto(case=case, client_id=client_id, uploaded_by=actor, stage=stage, content_type=decoded.content_type, size=len(data),
                      width=decoded.width, height=decoded.height, sha256=hashlib.sha256(data).hexdigest())
    stem = uuid.uuid4().hex
    photo.original.save(f"{stem}.{EXTENSIONS[decoded.content_type]}", ContentFile(data), save=False)
    photo.shown.save(f"{stem}.{EXTENSIONS[shown_content_type(photo)]}", ContentFile(decoded.shown), save=False)
    try:
        return _save(photo, client_id)
    except BaseException:
        for name in (photo.original.name, photo.shown.name):
            default_storage.delete(name)
        raise


@transaction.atomic
def _save(photo: CasePhoto, client_id: str) -> tuple[CasePhoto, bool]:
    # The case row is locked so that two uploads at once cannot both take the last place, nor
    # both add the same client_id (the unique constraint would refuse the second anyway).
    case = Case.objects.select_for_update(of=("self",)).select_related("department").get(pk=photo.case_id)
    if photo.stage == CasePhoto.Stage.AFTER and not may_add_photo(photo.uploaded_by, case, photo.stage):
        raise PermissionDenied(AFTER_REFUSED)  # the case moved on while the photo was read
    earlier = _check_room(case, client_id)
    if earlier is not None:
        for name in (photo.original.name, photo.shown.name):
            default_storage.delete(name)
        return earlier, False
    photo.full_clean()
    photo.save()
    return photo, True
