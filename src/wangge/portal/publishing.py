"""Writes to articles and disclosures: drafting, and the publication life they share.

draft → review (送审; the sensitive words are checked and kept with the piece) → published
(审核发布, by someone other than the submitter; a piece that trips the filter is published only
with a stated reason) → withdrawn (撤回). A reviewer may also send it back to draft with a note.
Only a draft (or a withdrawn piece, which becomes a draft again) may be edited, so what the
reviewer approved is what is published. At publication the rendered content's digest is sealed.
Every move is one of `workflow.MOVES`, made by `wangge.core.workflow.workflow_move`, which keeps
it in the piece's history (who, when, from, to, why).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.core.reasons import reason_checked
from wangge.core.workflow import Move, workflow_move

from . import workflow
from .areas import area_name
from .disclosures import kind_of
from .models import Article, Disclosure, Publishable, Section, Stage
from .permissions import ACTORS, may_write_articles, may_write_disclosures
from .render import digest_of
from .sanitize import clean_html, text_of
from .words import flag_words, flags_of

# The years a disclosure's period may name: beyond them a date is a typing slip (and far ones
# overflow when the period is extended).
YEARS = (2000, 2100)
ARTICLE_FIELDS = ("section", "title", "summary", "body", "source", "author", "meta_keywords", "meta_description")
DISCLOSURE_FIELDS = ("kind", "subject_type", "subject_id", "area_code", "title", "body", "shown_from", "shown_until")


def _fill(item: Publishable, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({unknown[0]: "不能修改该字段"})
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) and name != "body" else value)
    item.body = clean_html(item.body or "")
    item.body_text = text_of(item.body)
    if not item.title:
        raise ValidationError({"title": "标题不能为空"})


def _editable(item: Publishable, actor) -> Publishable:
    """The stored piece, locked, when it may be edited: a draft, or a withdrawn piece, which
    becomes a draft again (the move "edit"). Read again so that an edit from a page loaded
    before a move cannot undo it."""
    stored = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)
    if stored.stage == Stage.WITHDRAWN:
        return _move(stored, actor, workflow.EDIT)
    if stored.stage != Stage.DRAFT:
        raise ValidationError({"stage": f"「{stored.get_stage_display()}」的稿件不能修改，请先退回或撤回"})
    return stored


# Kept by the database alone: a save from a copy read earlier must not put back an old count.
NOT_SAVED = {"id", "views", "created_at"}


def _save(item: Publishable) -> Publishable:
    item.full_clean()
    if item.pk is None:
        item.save()
    else:
        item.save(update_fields=[f.name for f in type(item)._meta.concrete_fields if f.name not in NOT_SAVED])
    return item


@transaction.atomic
def article_save(*, actor, article: Article | None = None, **fields) -> Article:
    """Create a draft article, or change a draft."""
    if not may_write_articles(actor):
        raise PermissionDenied("没有权限编辑新闻稿件")
    if article is None:
        article = Article(created_by=actor)
    else:
        article = _editable(article, actor)
    if article.pk is None and not fields.get("section"):
        raise ValidationError({"section": "请选择栏目"})
    if isinstance(fields.get("section"), str):
        section = Section.objects.filter(code=fields["section"]).first()
        if section is None:
            raise ValidationError({"section": f"未知的栏目：{fields['section']}"})
        fields["section"] = section
    _fill(article, fields, ARTICLE_FIELDS)
    return _save(article)


@transaction.atomic
def disclosure_save(*, actor, disclosure: Disclosure | None = None, **fields) -> Disclosure:
    """Create a draft disclosure, or change a draft. Without a period it is shown from now for
    as many days as its kind says."""
    if disclosure is None:
        disclosure = Disclosure(created_by=actor)
    else:
        disclosure = _editable(disclosure, actor)
    _fill(disclosure, fields, DISCLOSURE_FIELDS)
    kind = kind_of(disclosure.kind)
    if kind is None:
        raise ValidationError({"kind": f"未知的公开类型：{disclosure.kind}"})
    if area_name(disclosure.area_code) is None:
        raise ValidationError({"area_code": f"未知的区域代码：{disclosure.area_code}"})
    if not may_write_disclosures(actor, disclosure.area_code):
        raise PermissionDenied("没有权限在该区域发布公开公示")
    if disclosure.shown_from is None:
        disclosure.shown_from = timezone.now()
    for name in ("shown_from", "shown_until"):
        moment = getattr(disclosure, name)
        if moment is not None and not YEARS[0] <= moment.year <= YEARS[1]:
            raise ValidationError({name: f"公示时间应在 {YEARS[0]} 至 {YEARS[1]} 年之间"})
    if disclosure.shown_until is None:
        disclosure.shown_until = disclosure.shown_from + timedelta(days=kind.days)
    if disclosure.shown_until <= disclosure.shown_from:
        raise ValidationError({"shown_until": "公示结束时间应晚于开始时间"})
    return _save(disclosure)


# How a refusal of each move's actor (`permissions.ACTORS`) reads.
REFUSED = {
    workflow.SUBMIT: "没有权限送审该稿件", workflow.APPROVE: "送审人不能审核自己的稿件，或没有审核权限",
    workflow.RETURN: "没有权限退回该稿件", workflow.WITHDRAW: "没有权限撤回该稿件", workflow.EDIT: "没有权限修改该稿件",
}


def _move(item: Publishable, actor, name: str, *, reason: str = "", change=None) -> Publishable:
    def may(move: Move, stored: Publishable) -> None:
        if not ACTORS[move.actor](actor, stored):
            raise PermissionDenied(REFUSED[move.name])

    def changed(stored: Publishable, move: Move, now) -> list[str]:
        return [*(change(stored, now) if change else ()), "updated_at"]

    return workflow_move(workflow.workflow_of(item), item, actor=actor, name=name, reason=reason, may=may, change=changed)


def publication_submit(*, item: Publishable, actor) -> Publishable:
    def change(item: Publishable, now) -> list[str]:
        item.flags = [flag.__dict__ for flag in flags_of(item)]
        item.submitted_by, item.submitted_at = actor, now
        item.review_note = item.flags_accepted = ""
        return ["flags", "submitted_by", "submitted_at", "review_note", "flags_accepted"]

    return _move(item, actor, workflow.SUBMIT, change=change)


def publication_approve(*, item: Publishable, actor, accept_flags: str = "") -> Publishable:
    """Publish; the words are checked again (the lexicon may have grown since submission). A
    stated reason to publish despite them is kept with the move."""
    accept_flags = reason_checked(accept_flags, max_length=Publishable._meta.get_field("flags_accepted").max_length, field="accept_flags", noun="放行理由")

    def change(item: Publishable, now) -> list[str]:
        flags = flags_of(item)
        if flags and not accept_flags:
            raise ValidationError({"accept_flags": f"稿件含敏感词：{flag_words(flags)}。请修改后重新送审；确需发布的，请填写放行理由"})
        item.flags = [flag.__dict__ for flag in flags]
        item.flags_accepted = accept_flags if flags else ""
        item.reviewed_by, item.reviewed_at, item.published_at = actor, now, now
        item.digest = digest_of(item)
        return ["flags", "flags_accepted", "reviewed_by", "reviewed_at", "published_at", "digest"]

    return _move(item, actor, workflow.APPROVE, reason=accept_flags, change=change)


def publication_return(*, item: Publishable, actor, note: str) -> Publishable:
    def change(item: Publishable, now) -> list[str]:
        item.review_note, item.reviewed_by, item.reviewed_at = note.strip(), actor, now
        return ["review_note", "reviewed_by", "reviewed_at"]

    return _move(item, actor, workflow.RETURN, reason=note, change=change)


def publication_withdraw(*, item: Publishable, actor, note: str) -> Publishable:
    def change(item: Publishable, now) -> list[str]:
        item.review_note, item.digest = note.strip(), ""
        return ["review_note", "digest"]

    return _move(item, actor, workflow.WITHDRAW, reason=note, change=change)


def publication_reseal(*, item: Publishable) -> Publishable:
    """Seal the content again after the platform itself changed what the page shows (an
    objection answered on a disclosure)."""
    item.digest = digest_of(item)
    item.save(update_fields=["digest"])
    return item
