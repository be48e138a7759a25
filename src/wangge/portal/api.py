"""The portal's back office over JSON: articles and disclosures through their publication life,
and the answers to objections. Reads go through the back office's selectors (scope first, so a
hidden and a missing piece answer alike); writes through the publishing services."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Path, Router, Status
from ninja.pagination import paginate

from wangge.core import pii
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


@router.post("/articles", response={201: ArticleOut})
def article_create(request, payload: ArticleIn):
    article = article_save(actor=request.user, **article_fields(payload.dict(), creating=True))
    return Status(201, _article(article, request.user))


@router.post("/disclosures", response={201: DisclosureOut})
def disclosure_create(request, payload: DisclosureIn):
    selectors.area_choices(request.user)  # refuses anyone who may not use the back office
    disclosure = disclosure_save(actor=request.user, **disclosure_fields(payload.dict()))
    return Status(201, _disclosure(disclosure, request.user))


@dataclass(frozen=True)
class Piece:
    """What the shared routes need to know of an article or a disclosure."""

    name: str  # article, disclosure: the path is its plural, the id is `<name>_id`
    out: type
    patch: type
    shown: Callable[[Publishable, object], dict]
    listed: Callable
    get: Callable
    edited: Callable[[object, Publishable, dict], Publishable]  # (actor, item, fields sent)


def _routes(piece: Piece) -> None:
    """List, read, edit and move one kind of piece: the same handlers for articles and disclosures."""
    many, one = f"/{piece.name}s", f"/{piece.name}s/{{{piece.name}_id}}"
    item_id = Path(..., alias=f"{piece.name}_id")

    @paginate(Paged)
    def listing(request, stage: str | None = None):
        return Shown(piece.listed(request.user, _stage(stage)), lambda item: piece.shown(item, request.user))

    def detail(request, pk: int = item_id):
        return piece.shown(piece.get(request.user, pk), request.user)

    def edit(request, payload: piece.patch, pk: int = item_id):
        item = piece.edited(request.user, piece.get(request.user, pk), payload.dict(exclude_unset=True))
        return piece.shown(item, request.user)

    def moved(request, pk: int, action: str, **text) -> dict:
        item = perform(item=piece.get(request.user, pk), actor=request.user, action=action, **text)
        return piece.shown(item, request.user)

    def submit(request, pk: int = item_id):
        return moved(request, pk, "submit")

    def approve(request, payload: ApproveIn, pk: int = item_id):
        return moved(request, pk, "approve", accept_flags=payload.accept_flags)

    def send_back(request, payload: NoteIn, pk: int = item_id):
        return moved(request, pk, "return", note=payload.note)

    def withdraw(request, payload: NoteIn, pk: int = item_id):
        return moved(request, pk, "withdraw", note=payload.note)

    routes = [("GET", many, list[piece.out], listing, "list"), ("GET", one, piece.out, detail, "detail"),
              ("PATCH", one, piece.out, edit, "edit"), ("POST", f"{one}/submit", piece.out, submit, "submit"),
              ("POST", f"{one}/approve", piece.out, approve, "approve"), ("POST", f"{one}/return", piece.out, send_back, "return"),
              ("POST", f"{one}/withdraw", piece.out, withdraw, "withdraw")]
    for method, path, response, view, verb in routes:
        router.add_api_operation(
            path, [method], view, response=response, operation_id=f"wangge_portal_api_{piece.name}_{verb}", summary=f"{piece.name} {verb}".title(),
        )


_routes(Piece(
    "article", ArticleOut, ArticlePatch, _article, selectors.article_list, selectors.article_get,
    lambda actor, item, sent: article_save(actor=actor, article=item, **article_fields(sent, creating=False)),
))
_routes(Piece(
    "disclosure", DisclosureOut, DisclosurePatch, _disclosure, selectors.disclosure_list, selectors.disclosure_get,
    lambda actor, item, sent: disclosure_save(actor=actor, disclosure=item, **disclosure_fields(sent)),
))


def objection_out(objection: Objection) -> dict:
    return {
        "id": objection.pk, "number": objection.number, "disclosure_id": objection.disclosure_id, "disclosure_title": objection.disclosure.title,
        "text": objection.text, "name": pii.mask_name(objection.name) if objection.name else "匿名", "submitted_at": objection.submitted_at,
        "state": objection.state, "answer": objection.answer, "answered_at": objection.answered_at,
    }


@router.get("/objections", response=list[ObjectionOut])
@paginate(Paged)
def objection_list(request):
    """Objections waiting for an answer, in the caller's area."""
    return Shown(selectors.objection_pending(request.user), objection_out)


@router.post("/objections/{objection_id}/answer", response=ObjectionOut)
def objection_answer_post(request, objection_id: int, payload: AnswerIn):
    objection = objection_answer(objection=selectors.objection_get(request.user, objection_id), actor=request.user, answer=payload.answer)
    return objection_out(objection)
