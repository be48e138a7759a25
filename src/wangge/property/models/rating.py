"""The annual star rating (星级评定) of property services: a scheme per year, a round moved
through its workflow (`rating/workflow.py`), one entry per compound with its computed inputs,
the raters' scores and veto findings (each with its author), the residents' survey and the
companies' objections during publicity."""

from django.conf import settings
from django.db import models

from wangge.cases.models import Case
from wangge.core.models import WorkflowStep
from wangge.people.models import Household

from .companies import PropertyCompany
from .compounds import Compound


class RatingScheme(models.Model):
    """How a year is scored: sections with their points, star thresholds and veto items."""

    name = models.CharField("方案名称", max_length=100, unique=True)
    # The least total each star needs, one to five stars, ascending; below the first: no star.
    star_minimums = models.JSONField("星级分数线", default=list)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评定方案"
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class SchemeSection(models.Model):
    """A section of a scheme. Inspection sections are scored by the raters; the others are
    computed from the compound's case record or from the residents' survey, never typed."""

    class Source(models.TextChoices):
        INSPECTION = "inspection", "现场考评"
        CASES = "cases", "事件办理（系统计算）"
        SURVEY = "survey", "居民满意度调查（系统计算）"

    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="sections", verbose_name="方案")
    name = models.CharField("考评项目", max_length=60)
    points = models.PositiveIntegerField("分值")
    source = models.CharField("评分来源", max_length=12, choices=Source.choices, default=Source.INSPECTION)
    bonus = models.BooleanField("加分项", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考评项目"
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="scheme_section_name_once", violation_error_message="考评项目名称重复"),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="scheme_section_points_positive", violation_error_message="分值须大于 0"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.points}分）"


class VetoItem(models.Model):
    """A veto item (一票否决): found against a compound, it caps the stars it may get."""

    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="vetoes", verbose_name="方案")
    name = models.CharField("否决事项", max_length=60)
    cap_stars = models.PositiveSmallIntegerField("最高星级", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "一票否决事项"
        ordering = ["scheme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="veto_item_name_once", violation_error_message="否决事项名称重复"),
            models.CheckConstraint(condition=models.Q(cap_stars__lte=5), name="veto_item_cap_in_range", violation_error_message="最高星级须在 0 至 5 之间"),
        ]

    def __str__(self) -> str:
        return self.name


class RatingRound(models.Model):
    """A year's rating round: open → scoring → review → publicity → published."""

    class Status(models.TextChoices):
        OPEN = "open", "开始"
        SCORING = "scoring", "评分中"
        REVIEW = "review", "审核中"
        PUBLICITY = "publicity", "公示中"
        PUBLISHED = "published", "已发布"

    year = models.PositiveSmallIntegerField("年度", unique=True)
    scheme = models.ForeignKey(RatingScheme, on_delete=models.PROTECT, related_name="rounds", verbose_name="评定方案")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    publicity_ends_on = models.DateField("公示截止", null=True, blank=True)
    disclosure_id = models.CharField("门户公开编号", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "星级评定"
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="rating_round_year_range", violation_error_message="年度须在 2000 至 2100 之间")]

    def __str__(self) -> str:
        return f"{self.year}年度物业服务星级评定"


class RatingRoundStep(WorkflowStep):
    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="steps", verbose_name="评定")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "评定流转记录"


class RatingEntry(models.Model):
    """A compound in a round, with the company serving it when the round opened. Its inputs are
    computed from the records when scoring ends (`rating/inputs.py`); its total and stars when
    the round goes to publicity (`rating/scoring.py`)."""

    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="entries", verbose_name="评定")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="rating_entries", verbose_name="小区")
    company = models.ForeignKey(PropertyCompany, on_delete=models.PROTECT, null=True, blank=True, related_name="rating_entries", verbose_name="物业企业")
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    cases = models.PositiveIntegerField("年度事件数", null=True, blank=True)
    cases_per_100 = models.DecimalField("每百户事件数", max_digits=8, decimal_places=2, null=True, blank=True)
    on_time_rate = models.DecimalField("按时办结率", max_digits=5, decimal_places=4, null=True, blank=True)
    reopen_rate = models.DecimalField("重新打开率", max_digits=5, decimal_places=4, null=True, blank=True)
    case_satisfaction = models.DecimalField("事件满意度（1–5）", max_digits=4, decimal_places=2, null=True, blank=True)
    survey_votes = models.PositiveIntegerField("调查票数", null=True, blank=True)
    survey_satisfaction = models.DecimalField("调查满意度（1–5）", max_digits=4, decimal_places=2, null=True, blank=True)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    stars = models.PositiveSmallIntegerField("星级", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参评小区"
        ordering = ["round", "-total", "compound"]
        constraints = [models.UniqueConstraint(fields=["round", "compound"], name="rating_entry_once")]

    def __str__(self) -> str:
        return f"{self.round.year} {self.compound}"


class SectionScore(models.Model):
    """A rater's score of an inspection section, with its author."""

    entry = models.ForeignKey(RatingEntry, on_delete=models.CASCADE, related_name="scores", verbose_name="参评小区")
    section = models.ForeignKey(SchemeSection, on_delete=models.PROTECT, related_name="scores", verbose_name="考评项目")
    points = models.DecimalField("得分", max_digits=7, decimal_places=2)
    note = models.CharField("说明", max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="评分人")
    at = models.DateTimeField("评分时间")

    class Meta:
        verbose_name = verbose_name_plural = "考评得分"
        ordering = ["entry", "section__order", "section"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "section"], name="section_score_once"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="section_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.section.name} {self.points}"


class VetoFinding(models.Model):
    """A veto item found against a compound, by whom and why."""

    entry = models.ForeignKey(RatingEntry, on_delete=models.CASCADE, related_name="vetoes", verbose_name="参评小区")
    item = models.ForeignKey(VetoItem, on_delete=models.PROTECT, related_name="findings", verbose_name="否决事项")
    note = models.CharField("事实", max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="认定人")
    at = models.DateTimeField("认定时间")

    class Meta:
        verbose_name = verbose_name_plural = "一票否决认定"
        constraints = [models.UniqueConstraint(fields=["entry", "item"], name="veto_finding_once")]

    def __str__(self) -> str:
        return f"{self.entry} {self.item}"


class SurveyVote(models.Model):
    """A household's answer to the residents' survey: one per household per round, from a
    signed-in resident of it on the portal or entered by its grid worker on a visit."""

    class Channel(models.TextChoices):
        PORTAL = "portal", "门户"
        VISIT = "visit", "入户走访"

    entry = models.ForeignKey(RatingEntry, on_delete=models.CASCADE, related_name="survey_votes_cast", verbose_name="参评小区")
    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="survey_votes", verbose_name="评定")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="rating_votes", verbose_name="住户")
    satisfaction = models.PositiveSmallIntegerField("满意度（1–5）")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "满意度调查"
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="survey_vote_once_per_household"),
            models.CheckConstraint(condition=models.Q(satisfaction__gte=1, satisfaction__lte=5), name="survey_vote_satisfaction_range"),
        ]

    def __str__(self) -> str:
        return f"{self.round.year} {self.household_id} {self.satisfaction}"


class RatingObjection(models.Model):
    """A company's objection to its result during publicity, answered by the rater."""

    entry = models.ForeignKey(RatingEntry, on_delete=models.PROTECT, related_name="objections", verbose_name="参评小区")
    text = models.TextField("异议内容", max_length=1000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人")
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", max_length=1000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评定异议"
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} 异议{self.pk}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class CompoundCase(models.Model):
    """A case located in a compound (`rating/links.py`, by `property.locating`): what the year's
    case inputs are counted from, in one GROUP BY over these rows."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="compound_link", verbose_name="事件")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="case_links", verbose_name="小区")

    class Meta:
        verbose_name = verbose_name_plural = "小区事件"

    def __str__(self) -> str:
        return f"{self.compound} {self.case_id}"
