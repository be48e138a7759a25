"""The public portal's records: articles in sections, disclosures with their objections, and the
words that must never be published.

Articles and disclosures share one publication life (`Publishable`, moved along `workflow.py`):
draft → review → published (two people: the one who submits may not be the one who approves),
withdrawn by a reviewer; each move is kept (`ArticleTransition`, `DisclosureTransition`). At
publication the rendered content's SM3 digest is stored, so that `wangge portal verify` can tell
a page altered behind the platform's back.
"""

from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep
from wangge.core.pii import EncryptedField


class Stage(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Publishable(models.Model):
    stage = models.CharField("状态", max_length=16, choices=Stage.choices, default=Stage.DRAFT, db_index=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True, help_text="经白名单清洗的 HTML")
    body_text = models.TextField("正文纯文本", blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="撰稿人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="送审人")
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    flags = models.JSONField("敏感词", default=list, blank=True, help_text="送审时的敏感词检查结果")
    flags_accepted = models.CharField("敏感词放行理由", max_length=500, blank=True)
    digest = models.CharField("发布内容摘要（SM3）", max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A column of the news centre (媒体报道, 通知公告, 工作动态 ...)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = "栏目"

    def __str__(self) -> str:
        return self.name


class Article(Publishable):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles", verbose_name="栏目")
    summary = models.CharField("摘要", max_length=500, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=50, blank=True)
    meta_keywords = models.CharField("关键词", max_length=200, blank=True)
    meta_description = models.CharField("页面描述", max_length=300, blank=True)
    views = models.PositiveIntegerField("浏览次数", default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = verbose_name_plural = "文章"
        indexes = [models.Index(fields=["section", "stage", "-published_at"], name="portal_article_listing")]


class ArticleTransition(WorkflowStep):
    """Every move of an article through its publication life: from, to, who, when, why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions", verbose_name="文章")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "文章流转记录"


class ArticleView(models.Model):
    """One visitor's view of an article on one day: the unique index is what makes a view count
    once, however many requests arrive together."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)  # a digest, never the address or the cookie itself
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "visitor", "day"], name="portal_view_once_a_day")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}"


class Disclosure(Publishable):
    """Something made public for a period (公示/公开): its kind says what it is about and whether
    residents may object; its subject names the record it discloses (a project, a deliberation,
    a rating ...), registered by the app that owns that record."""

    kind = models.CharField("公开类型", max_length=32, db_index=True)
    subject_type = models.CharField("公开对象类型", max_length=32, blank=True)
    subject_id = models.CharField("公开对象编号", max_length=64, blank=True)
    area_code = models.CharField("所属区域代码", max_length=32, blank=True, db_index=True, help_text="街道、社区或网格代码；空为全区")
    shown_from = models.DateTimeField("公示开始")
    shown_until = models.DateTimeField("公示结束")

    class Meta:
        ordering = ["-shown_from", "-pk"]
        verbose_name = verbose_name_plural = "公开公示"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="portal_disclosure_subject")]
        constraints = [
            models.CheckConstraint(condition=models.Q(shown_until__gt=models.F("shown_from")), name="portal_disclosure_period"),
        ]


class DisclosureTransition(WorkflowStep):
    """Every move of a disclosure through its publication life: from, to, who, when, why."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="transitions", verbose_name="公开公示")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "公示流转记录"


class Objection(models.Model):
    """A resident's objection to a disclosure (异议), and the answer that is shown with it."""

    class State(models.TextChoices):
        PENDING = "pending", "待答复"
        ANSWERED = "answered", "已答复"

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="objections", verbose_name="公示")
    number = models.CharField("受理编号", max_length=20, unique=True)
    text = models.TextField("异议内容")
    name = EncryptedField("姓名", blank=True)
    phone = EncryptedField("联系电话", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = verbose_name_plural = "异议"

    def __str__(self) -> str:
        return self.number


class SensitiveWord(models.Model):
    """A word the district adds to the shipped lexicon (or switches off)."""

    word = models.CharField("词语", max_length=50, unique=True)
    category = models.CharField("类别", max_length=16)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        ordering = ["category", "word"]
        verbose_name = verbose_name_plural = "敏感词"

    def __str__(self) -> str:
        return self.word


class VerifyRun(models.Model):
    """One pass of `wangge portal verify` over every published page, and what it found."""

    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    checked = models.PositiveIntegerField("检查页数", default=0)
    findings = models.JSONField("发现的问题", default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "篡改检测记录"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
