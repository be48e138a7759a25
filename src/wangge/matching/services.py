"""Writes to the needs (需求清单): stated by a resident on the portal, gathered by a grid worker
or an official, and moved along `workflow.NEED`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.core.contacts import clean_contact
from wangge.core.receipts import save_numbered
from wangge.core.workflow import Move, workflow_move
from wangge.geo.models import Division
from wangge.geo.scope import scope_of

from . import selectors
from .checks import (
    MAX_TEXT,
    choice_checked,
    count_checked,
    hours_checked,
    text_checked,
    weekdays_checked,
)
from .kinds import CATEGORY_BENEFICIARIES, CATEGORY_KINDS, Beneficiary, Kind
from .models import Need
from .permissions import can_keep_matching, is_grid_worker
from .places import place_of
from .workflow import NEED

CATEGORIES = tuple(CATEGORY_KINDS)


def _category_checked(category) -> str:
    if category not in CATEGORIES:
        raise ValidationError({"category": "请选择需求类别"})
    return category


@transaction.atomic
def need_submit(*, category: str, description: str, community_code: str, name: str, phone: str, user=None) -> Need:
    """A need stated on the portal: its kind and who it serves follow from its category, the
    quantity is one and the urgency middling until an official reviews it."""
    _category_checked(category)
    description = text_checked(description, field="description", noun="需求内容", max_length=MAX_TEXT)
    if not Division.objects.filter(kind=Division.Kind.COMMUNITY, code=community_code).exists():
        raise ValidationError({"community_code": "请选择所在社区"})
    name, phone = clean_contact(name, phone, required=True)
    need = Need(category=category, description=description, community_code=community_code, name=name, phone=phone,
                kind=CATEGORY_KINDS[category], beneficiary=CATEGORY_BENEFICIARIES.get(category, Beneficiary.EVERYONE),
                submitted_by=user if user is not None and user.is_authenticated else None)
    return save_numbered(need, prefix="XQ")


@transaction.atomic
def need_gather(*, actor, values: dict) -> Need:
    """A need a grid worker (in their grid) or an official (in their subtree) gathers, at a
    point; its community and grid follow from the point."""
    if actor is not None and not (is_grid_worker(actor) or can_keep_matching(actor)):
        raise PermissionDenied("只有网格员和干部可以采集需求")
    place = place_of(values.get("lon"), values.get("lat"), within=scope_of(actor) if actor is not None else None)
    wanted_from, wanted_until = hours_checked(values.get("wanted_from", 0), values.get("wanted_until", 24), fields=("wanted_from", "wanted_until"))
    name, phone = clean_contact(values.get("name", ""), values.get("phone", ""), required=True)
    need = Need(
        category=_category_checked(values.get("category")),
        kind=choice_checked(values.get("kind"), Kind, field="kind", noun="所需资源类型"),
        beneficiary=choice_checked(values.get("beneficiary", Beneficiary.EVERYONE), Beneficiary, field="beneficiary", noun="服务对象"),
        quantity=count_checked(values.get("quantity", 1), field="quantity", noun="需求数量"),
        urgency=count_checked(values.get("urgency", 3), field="urgency", noun="紧急程度", low=1, high=5),
        description=text_checked(values.get("description"), field="description", noun="需求内容", max_length=MAX_TEXT),
        wanted_weekdays=weekdays_checked(values.get("wanted_weekdays", []), field="wanted_weekdays", empty_allowed=True),
        wanted_from=wanted_from, wanted_until=wanted_until,
        lon=place.lon, lat=place.lat, community_code=place.community_code, grid_code=place.grid_code,
        source=Need.Source.GRID, name=name, phone=phone, submitted_by=actor,
    )
    need.full_clean(exclude=["number"])
    return save_numbered(need, prefix="XQ")


def may_keep_need(actor, need: Need) -> None:
    """A need's moves: an official whose subtree holds it (the system always)."""
    if actor is not None and not (can_keep_matching(actor) and scope_of(actor).covers(need.community_code)):
        raise PermissionDenied("只有需求所在社区及上级的干部可以办理需求")


def _may_move(actor):
    def check(move: Move, need: Need) -> None:
        may_keep_need(actor, need)

    return check


def need_move(*, actor, need_id: int, to: str, reason: str = "") -> Need:
    """Move a need the actor sees along `workflow.NEED`; another's answers as not found."""
    need = selectors.need_get(actor, need_id)
    return workflow_move(NEED, need, actor=actor, may=_may_move(actor), to=to, reason=reason)
