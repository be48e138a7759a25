from datetime import timedelta

from django.conf import settings
from django.db import models

from wangge.core.models import WorkflowStep


class CategoryQuerySet(models.QuerySet):
    def active(self) -> "CategoryQuerySet":
        """The categories a case may be reported under (a retired one stays on its old cases)."""
        return self.filter(active=True)


class Category(models.Model):
    """What a case is about: GB/T 30428.2 components (部件) and events (事件), and the social
    governance categories a grid also handles; the district extends the list."""

    class Kind(models.TextChoices):
        COMPONENT = "component", "部件"
        EVENT = "event", "事件"
        SOCIAL = "social", "社会治理"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("大类", max_length=12, choices=Kind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级类别")
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    # The district marks which categories concern property: such a case in a compound goes to the
    # compound's property company (`routing.py`).
    concerns_property = models.BooleanField("涉及物业", default=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "事件类别"
        verbose_name_plural = "事件类别"
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A functional department (职能部门) that cases are dispatched to, with its handlers. A
    property company handles its cases as a department of its own kind."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "职能部门"
        PROPERTY_COMPANY = "property_company", "物业服务企业"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name="经办人")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "职能部门"
        verbose_name_plural = "职能部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# The longest description a case may have, wherever it is written (API, Open311, the pages).
MAX_DESCRIPTION = 4000


def description_too_long(description: str) -> bool:
    return len(description) > MAX_DESCRIPTION


class Case(models.Model):
    """A problem reported on the grid, followed through the closed loop in `workflow.py`.

    `grid_code` is the level-3 grid the location falls in (the locator decides; never typed)
    and is the case's data scope. `(reporter, client_id)` is unique forever: a phone that sends
    the same report twice makes one case.
    """

    class Status(models.TextChoices):
        REPORTED = "reported", "已上报"
        ACCEPTED = "accepted", "已立案待派遣"
        REJECTED = "rejected", "不予立案"
        DISPATCHED = "dispatched", "已派遣"
        HANDLING = "handling", "处置中"
        HANDLED = "handled", "已处置待核查"
        VERIFIED = "verified", "已核查"
        CLOSED = "closed", "已结案"

    number = models.CharField("受理编号", max_length=20)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_reported", verbose_name="上报人")
    client_id = models.CharField("客户端编号", max_length=64, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name="类别")
    description = models.TextField("描述", max_length=MAX_DESCRIPTION)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    address = models.CharField("地址", max_length=200, blank=True)
    grid_code = models.CharField("所在网格编码", max_length=32, blank=True, editable=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REPORTED)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="承办部门")
    # What the dispatcher asks of the department with this dispatch (also the dispatch's history reason).
    # The database's default too: bulk loads written in SQL (the demo, the benchmarks) leave it out.
    instructions = models.CharField("派遣要求", max_length=300, blank=True, default="", db_default="")
    reported_at = models.DateTimeField("上报时间", db_index=True)
    status_since = models.DateTimeField("进入当前状态时间")
    deadline_at = models.DateTimeField("当前环节时限", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name="合并到")
    # Kept at each close and reopen so that figures over millions of cases are one aggregate
    # query: whether every stage was left by its deadline, and how often the case was reopened.
    on_time = models.BooleanField("按时办结", null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField("重新打开次数", default=0, editable=False)

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件"
        ordering = ["-reported_at", "-pk"]
        # The headline figures read only these partial indexes (cases/figures.py): open cases by
        # grid, and closed cases by close time with their grid and timeliness.
        # One index per need, written out: every report inserts into each of them. (`unique=True`
        # and `db_index=True` on a CharField would each add a second, LIKE-only index on
        # PostgreSQL, which nothing here uses for the number or the status.)
        indexes = [
            # The scope's prefix LIKE and equality, in any collation (varchar_pattern_ops).
            models.Index(fields=["grid_code"], name="case_grid", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status"], name="case_status"),
            # varchar_pattern_ops: PostgreSQL serves the scope's prefix LIKE from it in any collation.
            models.Index(
                fields=["grid_code"], name="case_open_grid", opclasses=["varchar_pattern_ops"],
                condition=models.Q(status__in=["reported", "accepted", "dispatched", "handling", "handled", "verified"], duplicate_of__isnull=True),
            ),
            models.Index(fields=["closed_at", "grid_code", "on_time"], name="case_closed_recent", condition=models.Q(status="closed", duplicate_of__isnull=True)),
            # Duplicate search on every report (services.case_duplicates_near): open cases of one
            # category in a small box, a range of this index however many cases the district holds.
            models.Index(
                fields=["category", "lat", "lon"], name="case_open_near",
                condition=models.Q(status__in=["reported", "accepted", "dispatched", "handling", "handled", "verified"], duplicate_of__isnull=True),
            ),
            # Every column the per grid and per department figures read (selectors.case_figures),
            # so that a scope's figures are a range of this index, not a walk through the table.
            models.Index(
                fields=["grid_code", "status", "on_time", "reopen_count", "rating", "department", "reported_at", "closed_at"], name="case_figures_cover",
                opclasses=["varchar_pattern_ops", "varchar_ops", "bool_ops", "int2_ops", "int2_ops", "int8_ops", "timestamptz_ops", "timestamptz_ops"],
                condition=models.Q(duplicate_of__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_number_once"),
            models.UniqueConstraint(fields=["reporter", "client_id"], condition=~models.Q(client_id=""), name="case_client_id_once"),
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="case_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def reopen_until(self):
        """Until when the reporter may reopen a closed case (WANGGE_CASE_REOPEN_DAYS after it closed)."""
        if self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=settings.WANGGE_CASE_REOPEN_DAYS)


class CasePhoto(models.Model):
    """A photo of a case. `original` is the file as sent (with its EXIF, evidence for staff);
    `shown` is a re-encoded copy without EXIF location, the only one shown to anyone else.
    `(case, client_id)` is unique so that a phone re-sending a queued photo adds it once.
    `stage` tells the problem as reported ("before") from the work done ("after"), which only
    the department handling the case and the grid worker verifying it may add."""

    class Stage(models.TextChoices):
        BEFORE = "before", "处置前"
        AFTER = "after", "处置后"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos", verbose_name="事件")
    client_id = models.CharField("客户端编号", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="上传人")
    stage = models.CharField("阶段", max_length=8, choices=Stage.choices, default=Stage.BEFORE, db_default=Stage.BEFORE)
    content_type = models.CharField("类型", max_length=20)
    original = models.FileField("原图", upload_to="cases/original/%Y/%m", max_length=200)
    shown = models.FileField("公开图", upload_to="cases/shown/%Y/%m", max_length=200)
    size = models.PositiveIntegerField("字节数")
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "事件照片"
        verbose_name_plural = "事件照片"
        ordering = ["uploaded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "client_id"], condition=~models.Q(client_id=""), name="photo_client_id_once")]

    def __str__(self) -> str:
        return f"{self.case} 照片 {self.pk}"


class CaseTransition(WorkflowStep):
    """Every move of a case (`workflow.WORKFLOW`): from, to, who, when, why, and the deadline
    the new status was given, so that on-time figures can be computed later."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions", verbose_name="事件")
    # Narrower than the floor's: the columns as cases have always had them.
    from_status = models.CharField("原状态", max_length=12, choices=Case.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Case.Status.choices)
    reason = models.CharField("原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "事件流转记录"
        verbose_name_plural = "事件流转记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.from_status}→{self.to_status}"


class Deadline(models.Model):
    """Working hours allowed in a status, per category (a row without category is the default)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines", verbose_name="类别")
    status = models.CharField("环节", max_length=12, choices=Case.Status.choices)
    working_hours = models.DecimalField("时限（工作小时）", max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        constraints = [
            models.UniqueConstraint(fields=["category", "status"], name="deadline_unique"),
            models.UniqueConstraint(fields=["status"], condition=models.Q(category__isnull=True), name="deadline_default_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category or '默认'} {self.get_status_display()} {self.working_hours}h"


class CalendarDay(models.Model):
    """A date that differs from the ordinary week: a holiday on a weekday, or a weekend workday (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日")
    name = models.CharField("说明", max_length=40, blank=True)

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


class Escalation(models.Model):
    """An overdue case taken up the tree: the community alerted, then the subdistrict blowing
    the whistle (吹哨) for departments that must report in (报到) by their own deadline."""

    class Level(models.TextChoices):
        COMMUNITY = "community", "社区预警"
        WHISTLE = "whistle", "街道吹哨"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations", verbose_name="事件")
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    at = models.DateTimeField("时间")
    status = models.CharField("升级时状态", max_length=12, choices=Case.Status.choices)

    class Meta:
        verbose_name = "事件升级"
        verbose_name_plural = "事件升级"
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "level", "status"], name="escalation_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_level_display()}"


class Summons(models.Model):
    """A department called in by a whistle; it reports in (报到) by `due_at`."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="summonses", verbose_name="吹哨")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="summonses", verbose_name="部门")
    due_at = models.DateTimeField("报到时限")
    reported_at = models.DateTimeField("报到时间", null=True, blank=True)

    class Meta:
        verbose_name = "报到"
        verbose_name_plural = "报到"
        constraints = [models.UniqueConstraint(fields=["escalation", "department"], name="summons_once")]

    def __str__(self) -> str:
        return f"{self.escalation} {self.department}"


class Open311Client(models.Model):
    """An Open311 GeoReport v2 client (an app, a hotline system) holding one API key.

    Only the key's SHA-256 digest is kept; the key is shown once when issued. Its requests are
    reported as `user`, a service account with the resident role and no scope, so they see
    nothing of the back office and are told apart from people by their reporter.
    """

    name = models.CharField("名称", max_length=60, unique=True)
    key_digest = models.CharField("密钥摘要", max_length=64, unique=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open311_client", verbose_name="服务账号")

    class Meta:
        verbose_name = "Open311 客户端"
        verbose_name_plural = "Open311 客户端"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Summaries of the case table for figures over millions of cases (PostgreSQL only: kept by the
# statement-level triggers of `summaries.py`, rebuilt by `wangge cases summaries rebuild`; on
# SQLite nothing writes them and the figures read the cases). Plain integer keys rather than
# foreign keys: a summary must not stop a category or department from changing, and "none" is
# 0 or "" so that every key column takes part in the unique key. Each summary holds a few
# families of rows, each as coarse as its readers allow, so that a district's figures add up
# thousands of rows, not millions.

class CaseTally(models.Model):
    """Cases now. Family "g": unmerged cases per grid (the per grid figures); "d": unmerged
    dispatched cases per grid x department (the per department figures); "l": all cases per
    grid x status x category x merged or not (the case list's counts)."""

    family = models.CharField(max_length=1)
    grid_code = models.CharField(max_length=32)
    status = models.CharField(max_length=12)  # "" but in family "l"
    category_id = models.BigIntegerField()  # 0 but in family "l"
    department_id = models.BigIntegerField()  # 0 but in family "d"
    merged = models.BooleanField()  # a duplicate merged into another case (family "l")
    n = models.BigIntegerField(default=0)
    open = models.BigIntegerField(default=0)
    closed = models.BigIntegerField(default=0)
    on_time = models.BigIntegerField(default=0)  # closed and on time
    reopened = models.BigIntegerField(default=0)  # reopen_count > 0
    ever_closed = models.BigIntegerField(default=0)  # closed, or reopened (so closed once)
    to_close_us = models.BigIntegerField(default=0)  # closed: sum of closed_at - reported_at, microseconds
    to_close_n = models.BigIntegerField(default=0)  # closed with a close time
    rating_sum = models.BigIntegerField(default=0)  # closed and rated
    ratings = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "事件汇总"
        verbose_name_plural = "事件汇总"
        constraints = [
            models.UniqueConstraint(fields=["family", "grid_code", "status", "category_id", "department_id", "merged"], name="case_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.grid_code}: {self.n}"


class CaseMonth(models.Model):
    """Unmerged cases per local month and grid: by the month reported (basis "r", per category:
    how many, how many still open) and by the month closed (basis "c", per department: how
    many closed, how many on time); what the twelve-month charts add up."""

    basis = models.CharField(max_length=1)  # "r" reported, "c" closed
    month = models.DateField()  # the first day of the month, in settings.TIME_ZONE
    grid_code = models.CharField(max_length=32)
    category_id = models.BigIntegerField()  # 0 on basis "c"
    department_id = models.BigIntegerField()  # 0 on basis "r", or not dispatched
    n = models.BigIntegerField(default=0)
    open = models.BigIntegerField(default=0)  # basis "r": still open
    on_time = models.BigIntegerField(default=0)  # basis "c": closed on time

    class Meta:
        verbose_name = "事件月度汇总"
        verbose_name_plural = "事件月度汇总"
        constraints = [models.UniqueConstraint(fields=["basis", "month", "grid_code", "category_id", "department_id"], name="case_month_key")]

    def __str__(self) -> str:
        return f"{self.basis} {self.month:%Y-%m} {self.grid_code}: {self.n}"
