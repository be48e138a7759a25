from django.conf import settings
from django.db import models

from wangge.cases.models import Department
from wangge.geo.models import Division
from wangge.people.models import Person

from .compounds import Compound


class PropertyCompany(models.Model):
    """A property services company (物业服务企业), known by its unified social credit code
    (GB 32100, checked by `wangge.core.credit_code`). It handles cases as a department of its
    own (`department`), created with it."""

    name = models.CharField("企业名称", max_length=100, unique=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    state_owned = models.BooleanField("国有企业", default=False)
    # Where the company is filed; officials of that subtree see it even before it serves a compound.
    subdistrict = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="property_companies", verbose_name="备案街道")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    department = models.OneToOneField(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="property_company", verbose_name="事件承办部门"
    )

    class Meta:
        verbose_name = "物业服务企业"
        verbose_name_plural = "物业服务企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompanyAccount(models.Model):
    """A sign-in account of a company: it sees only this company's records."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="property_account", verbose_name="账号")
    company = models.ForeignKey(PropertyCompany, on_delete=models.CASCADE, related_name="accounts", verbose_name="企业")

    class Meta:
        verbose_name = "企业账号"
        verbose_name_plural = "企业账号"

    def __str__(self) -> str:
        return f"{self.company} {self.user}"


class CompanyService(models.Model):
    """A company serving a compound, with its project manager; a compound has one serving
    company at a time (the row without `ended_on`)."""

    company = models.ForeignKey(PropertyCompany, on_delete=models.PROTECT, related_name="services", verbose_name="企业")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="services", verbose_name="小区")
    project_manager = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="property_projects", verbose_name="项目经理"
    )
    started_on = models.DateField("服务起始日期")
    ended_on = models.DateField("服务终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "物业服务项目"
        verbose_name_plural = "物业服务项目"
        ordering = ["compound", "-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["compound"], condition=models.Q(ended_on__isnull=True), name="one_company_per_compound"),
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")), name="service_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.compound}"


class CompanyStaff(models.Model):
    """A person working for a company; party membership is the registry's (`Person.party`)."""

    class Post(models.TextChoices):
        MANAGER = "manager", "企业负责人"
        PROJECT_MANAGER = "project_manager", "项目经理"
        STAFF = "staff", "工作人员"

    company = models.ForeignKey(PropertyCompany, on_delete=models.CASCADE, related_name="staff", verbose_name="企业")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="property_jobs", verbose_name="人员")
    post = models.CharField("岗位", max_length=16, choices=Post.choices, default=Post.STAFF)

    class Meta:
        verbose_name = "企业员工"
        verbose_name_plural = "企业员工"
        ordering = ["company", "post", "pk"]
        constraints = [models.UniqueConstraint(fields=["company", "person"], name="company_staff_once")]

    def __str__(self) -> str:
        return f"{self.company} {self.person}"


class Backstop(models.Model):
    """The state-owned company a subdistrict names to back its ownerless courtyards (国有物业托底)."""

    subdistrict = models.OneToOneField(Division, on_delete=models.PROTECT, related_name="property_backstop", verbose_name="街道")
    company = models.ForeignKey(PropertyCompany, on_delete=models.PROTECT, related_name="backstops", verbose_name="托底企业")
    named_on = models.DateField("指定日期", auto_now_add=True)

    class Meta:
        verbose_name = "国有物业托底"
        verbose_name_plural = "国有物业托底"

    def __str__(self) -> str:
        return f"{self.subdistrict} 托底：{self.company}"
