"""The portal's back office over JSON: articles and disclosures through their publication life,
and the answers to objections. Reads go through the back office's selectors (scope first, so a
hidden and a missing piece answer alike); writes through the publishing services."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Status
from ninja.pagination import paginate

from wangge.accounts import pii
from wangge.core.pagination import Paged, Shown

from . import permissions
from .disclosures import kind_of, kinds
from .models import Article, Disclosure, Objection, Publishable, Stage
from .objections import objection_answer
from .office import selectors
from .office.inputs import article_fields, disclosure_fields
from .office.workflow import actions_for, perform
from .publishing import article_save, disclosure_save
from .schemas import (
    AnswerIn,
    ApproveIn,
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    DisclosureIn,
    DisclosureOut,
    DisclosurePatch,
    KindOut,
    NoteIn,
    ObjectionOut,
)

router = Router(tags=["门户网站"])


def _who(user) -> str | None:
    return (user.full_name or user.username) if user is not None else None


def _piece(item: Publishable, user) -> dict:
    return {
        "id": item.pk, "stage": item.stage, "stage_label": item.get_stage_display(), "title": item.title, "body": item.body,
        "created_by": _who(item.created_by), "submitted_by": _who(item.submitted_by), "reviewed_by": _who(item.reviewed_by),
        "review_note": item.review_note, "flags": item.flags, "flags_accepted": item.flags_accepted,
        "published_at": item.published_at, "digest": item.digest, "actions": actions_for(user, item),
    }


def _article(article: Article, user) -> dict:
    fields = ("summary", "source", "author", "meta_keywords", "meta_description")
    return {**_piece(article, user), "section": article.section.code, **{name: getattr(article, name) for name in fields}}


def _disclosure(disclosure: Disclosure, user) -> dict:
    kind = kind_of(disclosure.kind)
    fields = ("kind", "subject_type", "subject_id", "area_code", "shown_from", "shown_until")
    return {**_piece(disclosure, user), "kind_name": kind.name if kind else disclosure.kind, **{name: getattr(disclosure, name) for name in fields}}


def _stage(stage: str | None) -> str:
    if stage and stage not in Stage.values:
        raise ValidationError({"stage": f"状态应为{'、'.join(Stage.values)}之一"})
    return stage or ""


@router.get("/kinds", response=list[KindOut])
def kind_list(request):
    if not permissions.may_use_office(request.user):
        raise PermissionDenied("只有区、街道、社区干部可以使用门户后台")
    return [k.__dict__ for k in kinds()]


@router.get("/articles", response=list[ArticleOut])
@paginate(Paged)
def article_list(request, stage: str | None = None):
    return Shown(selectors.article_list(request.user, _stage(stage)), lambda a: _article(a, request.user))


@router.post("/articles", response={201: ArticleOut})
def article_create(request, payload: ArticleIn):
    article = article_save(actor=request.user, **article_fields(payload.dict(), creating=True))
    return Status(201, _article(article, request.user))


@router.get("/articles/{article_id}", response=ArticleOut)
def article_detail(request, article_id: int):
    return _article(selectors.article_get(request.user, article_id), request.user)


@router.patch("/articles/{article_id}", response=ArticleOut)
def article_edit(request, article_id: int, payload: ArticlePatch):
    article = selectors.article_get(request.user, article_id)
    article = article_save(actor=request.user, article=article, **article_fields(payload.dict(exclude_unset=True), creating=False))
    return _article(article, request.user)


def _move(request, item: Publishable, action: str, **text) -> Publishable:
    perform(item=item, actor=request.user, action=action, **text)
    return item


@router.post("/articles/{article_id}/submit", response=ArticleOut)
def article_submit(request, article_id: int):
    return _article(_move(request, selectors.article_get(request.user, article_id), "submit"), request.user)


@router.post("/articles/{article_id}/approve", response=ArticleOut)
def article_approve(request, article_id: int, payload: ApproveIn):
    item = selectors.article_get(request.user, article_id)
    return _article(_move(request, item, "approve", accept_flags=payload.accept_flags), request.user)


@router.post("/articles/{article_id}/return", response=ArticleOut)
def article_return(request, article_id: int, payload: NoteIn):
    return _article(_move(request, selectors.article_get(request.user, article_id), "return", note=payload.note), request.user)


@router.post("/articles/{article_id}/withdraw", response=ArticleOut)
def article_withdraw(request, article_id: int, payload: NoteIn):
    return _article(_move(request, selectors.article_get(request.user, article_id), "withdraw", note=payload.note), request.user)


@router.get("/disclosures", response=list[DisclosureOut])
@paginate(Paged)
def disclosure_list(request, stage: str | None = None):
    return Shown(selectors.disclosure_list(request.user, _stage(stage)), lambda d: _disclosure(d, request.user))


@router.post("/disclosures", response={201: DisclosureOut})
def disclosure_create(request, payload: DisclosureIn):
    selectors.area_choices(request.user)  # refuses anyone who may not use the back office
    disclosure = disclosure_save(actor=request.user, **disclosure_fields(payload.dict()))
    return Status(201, _disclosure(disclosure, request.user))


@router.get("/disclosures/{disclosure_id}", response=DisclosureOut)
def disclosure_detail(request, disclosure_id: int):
    return _disclosure(selectors.disclosure_get(request.user, disclosure_id), request.user)


@router.patch("/disclosures/{disclosure_id}", response=DisclosureOut)
def disclosure_edit(request, disclosure_id: int, payload: DisclosurePatch):
    disclosure = selectors.disclosure_get(request.user, disclosure_id)
    disclosure = disclosure_save(actor=request.user, disclosure=disclosure, **disclosure_fields(payload.dict(exclude_unset=True)))
    return _disclosure(disclosure, request.user)


@router.post("/disclosures/{disclosure_id}/submit", response=DisclosureOut)
def disclosure_submit(request, disclosure_id: int):
    return _disclosure(_move(request, selectors.disclosure_get(request.user, disclosure_id), "submit"), request.user)


@router.post("/disclosures/{disclosure_id}/approve", response=DisclosureOut)
def disclosure_approve(request, disclosure_id: int, payload: ApproveIn):
    item = selectors.disclosure_get(request.user, disclosure_id)
    return _disclosure(_move(request, item, "approve", accept_flags=payload.accept_flags), request.user)


@router.post("/disclosures/{disclosure_id}/return", response=DisclosureOut)
def disclosure_return(request, disclosure_id: int, payload: NoteIn):
    return _disclosure(_move(request, selectors.disclosure_get(request.user, disclosure_id), "return", note=payload.note), request.user)


@router.post("/disclosures/{disclosure_id}/withdraw", response=DisclosureOut)
def disclosure_withdraw(request, disclosure_id: int, payload: NoteIn):
    return _disclosure(_move(request, selectors.disclosure_get(request.user, disclosure_id), "withdraw", note=payload.note), request.user)


def _objection(objection: Objection) -> dict:
    return {
        "id": objection.pk, "number": objection.number, "disclosure_id": objection.disclosure_id, "disclosure_title": objection.disclosure.title,
        "text": objection.text, "name": pii.mask_name(objection.name) if objection.name else "匿名", "submitted_at": objection.submitted_at,
        "state": objection.state, "answer": objection.answer, "answered_at": objection.answered_at,
    }


@router.get("/objections", response=list[ObjectionOut])
@paginate(Paged)
def objection_list(request):
    """Objections waiting for an answer, in the caller's area."""
    return Shown(selectors.objection_pending(request.user), _objection)


@router.post("/objections/{objection_id}/answer", response=ObjectionOut)
def objection_answer_post(request, objection_id: int, payload: AnswerIn):
    objection = objection_answer(objection=selectors.objection_get(request.user, objection_id), actor=request.user, answer=payload.answer)
    return _objection(objection)
