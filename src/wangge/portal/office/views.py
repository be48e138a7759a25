"""The back office's portal pages: lists by stage, the edit forms, a piece's page (its preview
exactly as sealed, its flags, the moves the user may make and those made so far), the objections queue, the
residents' needs and the district's sensitive words.

Plain function views: reads through `selectors`, writes through the services; a refused write
shows the services' messages next to the fields and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from wangge.core import pii
from wangge.core.tables import exporting, table_export, table_page
from wangge.geo.selectors import node_names
from wangge.matching.models import Need

from ..disclosures import kind_of, kinds
from ..models import Article, Disclosure, Publishable, Section, Stage
from ..objections import objection_answer
from ..permissions import may_manage_words, may_write_articles
from ..publishing import article_save, disclosure_save
from ..render import sealed_parts
from . import selectors
from .inputs import article_fields, disclosure_fields
from .services import (
    WORD_CATEGORIES,
    sensitive_word_add,
    sensitive_word_switch_off,
)
from .workflow import ACTION_LABELS, actions_for, flags_shown, perform

PAGE_SIZE = 30
ARTICLE_TABLE = {"sorts": {"title": "title", "section": ("section__order", "section__code"), "stage": "stage", "author": "created_by__username",
                           "updated": "updated_at", "published": "published_at"}, "default_sort": "-updated", "search": ("title",)}
DISCLOSURE_TABLE = {"sorts": {"title": "title", "kind": "kind", "area": "area_code", "stage": "stage", "from": "shown_from", "updated": "updated_at"},
                    "default_sort": "-updated", "search": ("title", "subject_type")}
OBJECTION_TABLE = {"sorts": {"number": "number", "submitted": "submitted_at", "disclosure": "disclosure__title"}, "default_sort": "submitted",
                   "search": ("number", "disclosure__title", "text")}
NEED_TABLE = {"sorts": {"number": "number", "category": "category", "community": "community_code", "state": "state", "submitted": "submitted_at"},
              "default_sort": "-submitted", "search": ("number", "category", "description")}


def _errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {field: "；".join(found) for field, found in error.message_dict.items()}
    return {"__all__": "；".join(error.messages)}


def _listing(request, items, template: str, *, table: dict, export: dict, names: bool = False, **extra):
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    counts = selectors.stage_counts(items)
    items = items.filter(stage=stage) if stage else items
    if exporting(request):
        return table_export(request, items, **export, **table)
    listed = table_page(request, items, per_page=PAGE_SIZE, **table)
    area_names = node_names(item.area_code for item in listed.rows if item.area_code) if names else {}
    return render(request, template, {"table": listed, "page": listed.page, "counts": counts, "stage": stage, "area_names": area_names, **extra})


def _article_cells(articles: list[Article]) -> list[list]:
    return [[a.title, a.section.name, a.get_stage_display(), str(a.created_by or ""), a.updated_at, a.published_at] for a in articles]


def _disclosure_cells(disclosures: list[Disclosure]) -> list[list]:
    names, kind_names = node_names(d.area_code for d in disclosures if d.area_code), {k.code: k.name for k in kinds()}
    return [
        [d.title, kind_names.get(d.kind, d.kind), names.get(d.area_code, "") if d.area_code else "全区", d.area_code, d.get_stage_display(),
         d.shown_from, d.shown_until, d.updated_at]
        for d in disclosures
    ]


@login_required
def article_list(request):
    export = {"table": "portal.articles", "title": "新闻稿件", "columns": ["标题", "栏目", "状态", "撰稿人", "修改时间", "发布时间"], "cells": _article_cells}
    return _listing(request, selectors.article_list(request.user), "portal/office/articles.html", table=ARTICLE_TABLE, export=export, current="articles")


@login_required
def disclosure_list(request):
    export = {"table": "portal.disclosures", "title": "公开公示", "columns": ["标题", "类型", "区域", "区域代码", "状态", "公示开始", "公示结束", "修改时间"],
              "cells": _disclosure_cells}
    return _listing(request, selectors.disclosure_list(request.user), "portal/office/disclosures.html", table=DISCLOSURE_TABLE, export=export, names=True,
                    kinds={k.code: k.name for k in kinds()}, current="disclosures")


def _edit(request, *, item: Publishable | None, save, template: str, extra: dict):
    """The form of a new or a draft piece; `save(fields)` writes what the form says."""
    values, errors = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            saved = save(request.POST)
        except ValidationError as refused:
            errors = _errors(refused)
        else:
            messages.success(request, "稿件已保存")
            return redirect(_page_of(saved))
    context = {"item": item, "values": values, "errors": errors, **extra}
    return render(request, template, context, status=400 if errors else 200)


def _page_of(item: Publishable) -> str:
    name = "office-article" if isinstance(item, Article) else "office-disclosure"
    return reverse(name, args=[item.pk])


def _article_form(request, item: Article | None):
    if not may_write_articles(request.user):
        raise PermissionDenied("只有区级干部可以撰写新闻稿件")
    if item is not None and "edit" not in actions_for(request.user, item):
        raise PermissionDenied("该稿件当前不能修改")
    return _edit(
        request, item=item, save=lambda data: article_save(actor=request.user, article=item, **article_fields(data, creating=item is None)),
        template="portal/office/article_form.html", extra={"sections": Section.objects.order_by("order", "code"), "current": "articles"},
    )


@login_required
def article_new(request):
    return _article_form(request, None)


@login_required
def article_edit(request, article_id: int):
    return _article_form(request, selectors.article_get(request.user, article_id))


def _disclosure_form(request, item: Disclosure | None):
    if item is not None and "edit" not in actions_for(request.user, item):
        raise PermissionDenied("该公示当前不能修改")
    extra = {"kinds": kinds(), "areas": selectors.area_choices(request.user), "current": "disclosures"}
    save = lambda data: disclosure_save(actor=request.user, disclosure=item, **disclosure_fields(data))  # noqa: E731
    return _edit(request, item=item, save=save, template="portal/office/disclosure_form.html", extra=extra)


@login_required
def disclosure_new(request):
    return _disclosure_form(request, None)


@login_required
def disclosure_edit(request, disclosure_id: int):
    return _disclosure_form(request, selectors.disclosure_get(request.user, disclosure_id))


def _piece(request, item: Publishable, template: str, extra: dict):
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in actions_for(request.user, item) or action == "edit":
            raise PermissionDenied("不能对该稿件执行此操作")
        try:
            perform(item=item, actor=request.user, action=action, note=request.POST.get("note", ""), accept_flags=request.POST.get("accept_flags", ""))
        except ValidationError as refused:
            errors = _errors(refused)
            item.refresh_from_db()
        else:
            messages.success(request, f"已{ACTION_LABELS[action]}")
            return redirect(request.path)
    head, body = sealed_parts(item)
    context = {
        "item": item, "head": head, "body": body, "flags": flags_shown(item), "errors": errors,
        "actions": actions_for(request.user, item), "labels": ACTION_LABELS, "posted": request.POST,
        "history": selectors.publication_history(item), **extra,
    }
    return render(request, template, context, status=400 if errors else 200)


@login_required
def article_page(request, article_id: int):
    return _piece(request, selectors.article_get(request.user, article_id), "portal/office/article.html", {"current": "articles"})


@login_required
def disclosure_page(request, disclosure_id: int):
    item = selectors.disclosure_get(request.user, disclosure_id)
    kind = kind_of(item.kind)
    extra = {"kind": kind, "area": selectors.area_name(item.area_code) or item.area_code, "objections": item.objections.order_by("submitted_at", "pk"), "current": "disclosures"}
    return _piece(request, item, "portal/office/disclosure.html", extra)


@login_required
def objection_queue(request):
    pending = selectors.objection_pending(request.user)
    error = None
    if request.method == "POST":
        objection_id = request.POST.get("objection", "")
        if not objection_id.isdigit():
            raise Http404
        objection = selectors.objection_get(request.user, int(objection_id))
        try:
            objection_answer(objection=objection, actor=request.user, answer=request.POST.get("answer", ""))
        except ValidationError as refused:
            error = {"objection": objection.pk, "message": "；".join(refused.messages), "answer": request.POST.get("answer", "")}
        else:
            messages.success(request, f"异议 {objection.number} 已答复，答复已在公示页公开")
            return redirect(request.path)
    if exporting(request):
        return table_export(request, pending, table="portal.objections", title="待答复异议", columns=["受理编号", "提出时间", "公示", "提出人", "电话", "异议内容"],
                            cells=_objection_cells, **OBJECTION_TABLE)
    table = table_page(request, pending, per_page=PAGE_SIZE, **OBJECTION_TABLE)
    rows = _masked_objections(table.rows)
    return render(request, "portal/office/objections.html", {"table": table, "page": table.page, "rows": rows, "error": error, "current": "objections"},
                  status=400 if error else 200)


def _masked_objections(objections: list) -> list:
    for objection in objections:
        objection.shown_name = pii.mask_name(objection.name) if objection.name else "匿名"
        objection.shown_phone = pii.mask_phone(objection.phone) if objection.phone else ""
    return objections


def _objection_cells(objections: list) -> list[list]:
    return [[o.number, o.submitted_at, o.disclosure.title, o.shown_name, o.shown_phone, o.text] for o in _masked_objections(objections)]


def _shown_needs(needs: list[Need]) -> list[Need]:
    communities = selectors.division_names({need.community_code for need in needs})
    for need in needs:
        need.shown_name, need.shown_phone = pii.mask_name(need.name), pii.mask_phone(need.phone)
        need.community_name = communities.get(need.community_code, "")
    return needs


def _need_cells(needs: list[Need]) -> list[list]:
    return [[n.number, n.submitted_at, n.category, n.community_name, n.community_code, n.description, n.shown_name, n.shown_phone, n.get_state_display()]
            for n in _shown_needs(needs)]


@login_required
def need_list(request):
    state = request.GET.get("state", "")
    state = state if state in Need.State.values else ""
    needs = selectors.need_list(request.user, state)
    if exporting(request):
        columns = ["受理编号", "提出时间", "类别", "社区", "社区代码", "需求内容", "联系人", "电话", "状态"]
        return table_export(request, needs, table="portal.needs", title="群众需求", columns=columns, cells=_need_cells, **NEED_TABLE)
    table = table_page(request, needs, per_page=PAGE_SIZE, **NEED_TABLE)
    context = {"table": table, "page": table.page, "rows": _shown_needs(table.rows), "state": state, "states": Need.State.choices, "current": "needs"}
    return render(request, "portal/office/needs.html", context)


@login_required
def sensitive_words(request):
    if not may_manage_words(request.user):
        raise PermissionDenied("只有区级干部可以管理敏感词")
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            if request.POST.get("action") == "off":
                row = sensitive_word_switch_off(actor=request.user, word=request.POST.get("word", ""))
                messages.success(request, f"已停用“{row.word}”")
            else:
                row = sensitive_word_add(actor=request.user, word=request.POST.get("word", ""), category=request.POST.get("category", ""))
                messages.success(request, f"已启用“{row.word}”")
        except ValidationError as refused:
            errors = _errors(refused)
        else:
            return redirect(request.path)
    context = {"words": selectors.sensitive_word_list(), "categories": WORD_CATEGORIES, "errors": errors, "values": values, "current": "words"}
    return render(request, "portal/office/words.html", context, status=400 if errors else 200)
