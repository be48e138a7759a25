"""Case photos over the API: add (multipart), list, and the image itself.

The image is served here and nowhere else (there is no public media URL): who asks decides
which copy they get, and only staff who work the case may have the original with its EXIF.
"""

from typing import Annotated

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from . import selectors
from .models import Case, CasePhoto
from .permissions import may_see_original
from .photos import case_photo_add, shown_content_type
from .schemas import PhotoOut

router = Router(tags=["事件"])

PhotoFile = Annotated[UploadedFile | None, File(description="JPEG、PNG 或 WebP 照片")]
ClientId = Annotated[str, Form(max_length=64, description="客户端生成的编号：重发不变，同一事件只添加一次")]
PhotoStage = Annotated[str, Form(max_length=20, description="before（处置前，默认）或 after（处置后：处置中的承办部门、核查中的网格员）")]


def photo_out(photo: CasePhoto) -> dict:
    return {
        "id": photo.pk, "case_id": photo.case_id, "content_type": photo.content_type, "size": photo.size,
        "width": photo.width, "height": photo.height, "uploaded_at": photo.uploaded_at,
        "url": f"/api/cases/{photo.case_id}/photos/{photo.pk}", "stage": photo.stage,
    }


def photos_of(case: Case) -> list[dict]:
    return [photo_out(p) for p in case.photos.order_by("uploaded_at", "pk")]


@router.post("/{case_id}/photos", response={200: PhotoOut, 201: PhotoOut})
def case_photo_add_api(request, case_id: int, file: PhotoFile = None, client_id: ClientId = "", stage: PhotoStage = "before"):
    """Add a photo (JPEG, PNG or WebP, judged by its bytes). 201 for a new photo; 200 with the
    first photo when this case already has one with this client_id. The file is optional in the
    schema only so that a case out of scope answers 404 before the form is judged."""
    case = selectors.case_get(request.user, case_id)
    photo, created = case_photo_add(case=case, actor=request.user, upload=file, client_id=client_id, stage=stage)
    return Status(201 if created else 200, photo_out(photo))


@router.get("/{case_id}/photos", response=list[PhotoOut])
def case_photo_list(request, case_id: int):
    return photos_of(selectors.case_get(request.user, case_id))


IMAGE = {"type": "string", "format": "binary"}
IMAGE_ANSWER = {"200": {"description": "照片", "content": {t: {"schema": IMAGE} for t in ("image/jpeg", "image/png", "image/webp")}}}


@router.get("/{case_id}/photos/{photo_id}", openapi_extra={"responses": IMAGE_ANSWER})
def case_photo_get(request, case_id: int, photo_id: int, original: bool = False):
    """The image: the copy without metadata, or for staff of the case with `?original=1` the
    file as sent. The answer is never cached by a shared cache."""
    case = selectors.case_get(request.user, case_id)
    photo = get_object_or_404(case.photos.all(), pk=photo_id)
    if original and may_see_original(request.user, case):
        stored, content_type = photo.original, photo.content_type
    else:
        stored, content_type = photo.shown, shown_content_type(photo)
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="case-{case.pk}-photo-{photo.pk}.{stored.name.rsplit(".", 1)[-1]}"'
    return response
