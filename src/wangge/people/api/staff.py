"""Grid posts under 一格一干 多专多群, and the staffing report."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.errors import ErrorOut
from wangge.core.pagination import Paged, Shown
from wangge.geo.scope import scope_of
from wangge.geo.selectors import basic_grids
from wangge.people import permissions

from ..masks import shown_person
from ..permissions import require_report_reader
from ..selectors import staff as selectors
from ..services import staff as services
from ..services.unmask import staff_unmask
from .unmasking import REFUSALS, UnmaskIn, unmask_answer

router = Router(tags=["网格力量"])


class StaffPersonOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    sex: str
    age: int
    party: str


class PostOut(Schema):
    id: int
    grid_code: str
    role: str
    role_label: str
    duty: str | None
    new_employment: bool
    person: StaffPersonOut


class PostIn(Schema):
    grid_code: str
    role: str
    duty: str | None = None
    name: str
    id_number: str
    phone: str = ""
    party: str = "none"


class GridStaffingOut(Schema):
    code: str
    name: str
    community_code: str
    cadre: str
    leaders: int
    specialists: int
    groups: int
    problems: list[str]


class RollupOut(Schema):
    code: str
    name: str
    grids: int
    breaking: int
    reasons: dict[str, int]


class StaffingReportOut(Schema):
    grids: list[GridStaffingOut]
    rollup: list[RollupOut]


class UnmaskedStaffOut(Schema):
    id: int
    person_id: int
    name: str
    id_number: str
    phone: str


def _out(post) -> dict:
    duty = post.duty
    return {
        "id": post.pk,
        "grid_code": post.grid.code,
        "role": post.role,
        "role_label": post.get_role_display(),
        "duty": duty.name if duty else None,
        "new_employment": bool(duty and duty.new_employment),
        "person": shown_person(post.person, public_role=True),
    }


def _require_manager(user) -> None:
    if not permissions.can_manage_organisations(user):
        raise PermissionDenied("没有权限维护网格力量")


@router.get("", response=list[PostOut])
@paginate(Paged)
def post_list(request, grid: str | None = None, role: str | None = None):
    posts = selectors.post_list(scope_of(request.user)).select_related("grid", "person", "duty").order_by("grid__code", "role", "pk")
    if grid:
        posts = posts.filter(grid__code=grid)
    if role:
        posts = posts.filter(role=role)
    return Shown(posts, _out)


@router.get("/report", response={200: StaffingReportOut, 403: ErrorOut})
def staffing_report(request, breaking_only: bool = True):
    require_report_reader(request.user)
    rows = selectors.staffing_by_grid(scope_of(request.user))
    listed = [r for r in rows if r.problems] if breaking_only else rows
    return {"grids": [{**r.__dict__, "problems": list(r.problems.values())} for r in listed], "rollup": selectors.staffing_rollup(rows)}


@router.post("", response={201: PostOut, 400: ErrorOut})
def post_add(request, payload: PostIn):
    _require_manager(request.user)
    scope = scope_of(request.user)
    grid = basic_grids(scope).filter(code=payload.grid_code).select_related("community").first()
    if grid is None:
        # One answer for a code nobody uses and a grid out of the caller's scope.
        raise ValidationError({"grid_code": "网格编码不存在或不在您负责的范围内：请填写您负责范围内的三级网格编码"})
    duty = services.duty_named(payload.duty) if payload.duty else None
    fields = payload.dict(include={"id_number", "name", "phone", "party"})
    return Status(201, _out(services.staff_member_add(scope=scope, grid=grid, role=payload.role, duty=duty, actor=request.user, **fields)))


@router.get("/{post_id}", response=PostOut)
def post_detail(request, post_id: int):
    return _out(selectors.post_get(scope_of(request.user), post_id))


@router.delete("/{post_id}", response={204: None})
def post_remove(request, post_id: int):
    post = selectors.post_get(scope_of(request.user), post_id)
    _require_manager(request.user)
    services.post_remove(post=post, actor=request.user)
    return Status(204, None)


@router.post("/{post_id}/unmask", response={200: UnmaskedStaffOut, **REFUSALS}, summary="查看完整信息")
def post_unmask(request, post_id: int, payload: UnmaskIn):
    """查看网格力量人员的完整身份证号和电话；须说明事由（至少 4 个字），每次查看均记入审计。"""
    return unmask_answer(
        request, find=lambda scope: selectors.post_get(scope, post_id),
        show=lambda post: {"id": post.pk, "person_id": post.person_id, **staff_unmask(post=post, reason=payload.reason, actor=request.user)},
    )
