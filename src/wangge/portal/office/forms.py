"""The office's edit forms, drawn field by field by the shell; the publishing services check them."""

from django import forms
from django.utils import timezone

from wangge.core.forms import ShownForm

from ..disclosures import kinds
from ..models import Article, Disclosure, Section
from .services import WORD_CATEGORIES

MOMENT = "%Y-%m-%dT%H:%M"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(MOMENT) if moment else ""


class ArticleForm(ShownForm):
    section = forms.ChoiceField(label="栏目")
    title = forms.CharField(label="标题", max_length=200)
    summary = forms.CharField(label="摘要", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label="来源", required=False, max_length=100)
    author = forms.CharField(label="作者", required=False, max_length=50)
    meta_keywords = forms.CharField(label="关键词（meta keywords）", required=False, max_length=200)
    meta_description = forms.CharField(label="页面描述（meta description）", required=False, max_length=300)
    body = forms.CharField(label="正文", required=False, help_text="HTML；保存时按白名单清洗，脚本、外站图片等会被去除",
                           widget=forms.Textarea(attrs={"rows": 16, "class": "html"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "请选择"), *Section.objects.order_by("order", "code").values_list("code", "name")]


class DisclosureForm(ShownForm):
    kind = forms.ChoiceField(label="公开类型")
    area_code = forms.CharField(label="所属区域", required=False, max_length=32, widget=forms.TextInput(attrs={"list": "areas", "placeholder": "区划或网格代码，空为全区"}))
    subject_type = forms.CharField(label="公开对象类型", required=False, max_length=32, widget=forms.TextInput(attrs={"placeholder": "如 project、deliberation、rating"}))
    subject_id = forms.CharField(label="公开对象编号", required=False, max_length=64)
    shown_from = forms.CharField(label="公示开始", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    shown_until = forms.CharField(label="公示结束", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", required=False, help_text="HTML；保存时按白名单清洗", widget=forms.Textarea(attrs={"rows": 14, "class": "html"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择"), *((k.code, k.name + ("（可提异议）" if k.objections else "")) for k in kinds())]


def article_initial(article: Article | None) -> dict:
    if article is None:
        return {}
    return {"section": article.section.code, **{name: getattr(article, name) for name in ArticleForm.base_fields if name != "section"}}


def disclosure_initial(disclosure: Disclosure | None) -> dict:
    if disclosure is None:
        return {}
    initial = {name: getattr(disclosure, name) for name in DisclosureForm.base_fields}
    return {**initial, "shown_from": _local(disclosure.shown_from), "shown_until": _local(disclosure.shown_until)}


class WordAddForm(ShownForm):
    word = forms.CharField(label="词语", max_length=50)
    category = forms.ChoiceField(label="类别", choices=[(c, c) for c in WORD_CATEGORIES])


class WordOffForm(ShownForm):
    word = forms.CharField(label="停用词语", max_length=50)


def word_forms(posted, errors: dict) -> dict:
    """The add and switch-off forms of the words page: the one posted keeps its values and errors."""
    off = posted is not None and posted.get("action") == "off"
    return {
        "add_form": WordAddForm(None if off else posted, errors=None if off else errors, auto_id="id_add_%s"),
        "off_form": WordOffForm(posted if off else None, errors=errors if off else None, auto_id="id_off_%s"),
    }
