"""The vocabularies resources and needs share: what a resource is and what a need asks for,
who a need serves, and the weekdays of an availability."""

from django.db import models


class Kind(models.TextChoices):
    """What a resource is (资源类型), and what kind of resource a need asks for."""

    VENUE = "venue", "场地"
    MATERIALS = "materials", "物资"
    SERVICE = "service", "服务"
    MANPOWER = "manpower", "人力"
    EXPERTISE = "expertise", "智力"


class Beneficiary(models.TextChoices):
    """Who a need serves (服务对象)."""

    ELDERLY = "elderly", "老年人"
    CHILDREN = "children", "儿童"
    DISABLED = "disabled", "残疾人"
    HARDSHIP = "hardship", "困难群众"
    YOUTH = "youth", "青少年"
    WORKERS = "workers", "新就业群体"
    EVERYONE = "everyone", "全体居民"


# The portal's categories (what a need is about) and the kind of resource each asks for by
# default: the form keeps its categories; an official may correct the kind afterwards.
CATEGORY_KINDS = {
    "养老服务": Kind.SERVICE, "助残服务": Kind.SERVICE, "儿童关爱": Kind.SERVICE, "医疗健康": Kind.SERVICE,
    "就业帮扶": Kind.EXPERTISE, "文体活动": Kind.VENUE, "法律服务": Kind.EXPERTISE, "环境改善": Kind.MANPOWER, "其他": Kind.SERVICE,
}
CATEGORY_BENEFICIARIES = {"养老服务": Beneficiary.ELDERLY, "助残服务": Beneficiary.DISABLED, "儿童关爱": Beneficiary.CHILDREN}

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")  # ISO weekday 1..7
ALL_WEEK = [1, 2, 3, 4, 5, 6, 7]


def week_text(weekdays: list[int], opens: int, closes: int) -> str:
    days = "每天" if sorted(weekdays) == ALL_WEEK else "周" + "、".join(WEEKDAYS[d - 1] for d in sorted(weekdays))
    return f"{days} {opens:02d}:00–{closes:02d}:00"
