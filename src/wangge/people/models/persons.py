from django.conf import settings
from django.db import models

from wangge.core.pii import EncryptedField

from .buildings import Household


class CareCategory(models.Model):
    """A group a community looks after (elderly living alone, disabled, low-income...)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "关怀类别"
        verbose_name_plural = "关怀类别"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A natural person known to the platform: a resident (with a household), a member of
    grid staff, a party member or a member of a social organisation, or several of these.

    One person per ID number: `id_digest` is the blind index of the number, so the number
    itself is only ever stored encrypted. Birth date and sex are read from the number.
    """

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Residence(models.TextChoices):
        REGISTERED = "registered", "户籍人口"
        FLOATING = "floating", "流动人口"

    class Party(models.TextChoices):
        NONE = "none", "群众"
        PROBATIONARY = "probationary", "中共预备党员"
        FULL = "full", "中共党员"

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedField("身份证号")
    id_digest = models.CharField("身份证号索引", max_length=64, unique=True, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, editable=False)
    phone = EncryptedField("联系电话", blank=True)
    ethnicity = EncryptedField("民族", blank=True)
    religion = EncryptedField("宗教信仰", blank=True)
    health = EncryptedField("健康状况", blank=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="住户")
    residence = models.CharField("人口类型", max_length=12, choices=Residence.choices, blank=True)
    care_categories = models.ManyToManyField(CareCategory, blank=True, related_name="people", verbose_name="关怀类别")
    party = models.CharField("政治面貌", max_length=12, choices=Party.choices, default=Party.NONE)
    retired_cadre = models.BooleanField("离退休干部", default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", verbose_name="平台账号"
    )

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household__isnull=True, residence="") | models.Q(household__isnull=False, residence__in=["registered", "floating"]),
                name="person_residence_with_household",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party_member(self) -> bool:
        return self.party != self.Party.NONE
