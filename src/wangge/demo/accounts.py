"""One sign-in account per role of the demo district, for trying the platform as each of its
users would (`wangge demo accounts`, run by `make run`). Development and demo only: the
accounts share one freshly generated password, so production refuses them. They are the demo's
own (`demo_...`): no account of the district's people is picked, and none's password reset.

The second factor is not waived: officials and the three officers enrol an authenticator at
their first sign-in (`/account/totp` shows the secret) and give its code after the password,
as in production. Only the development superuser (`wangge ensureadmin`) is exempt.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from wangge.accounts.models import Role, User
from wangge.accounts.passwords import password_generate
from wangge.accounts.services import ProductionRefused, demo_passwords_set, officer_create
from wangge.cases.models import Department
from wangge.geo.models import Division, Grid
from wangge.people.identity import check_char
from wangge.property.models import CompanyService, Compound
from wangge.property.selectors.records import company_of
from wangge.property.services.companies import company_account_grant

from .case_texts import DEPARTMENTS
from .services import DemoRefused

# Every account this command makes or resets is named so; it never touches any other.
PREFIX = "demo_"

# The three officers are people too (三员分立: three different persons), registered here with
# demo ID numbers whose sequence (9xx) no generated resident uses.
OFFICERS = {
    Role.SYSTEM_ADMIN: ("demo_sysadmin", "演示系统管理员"),
    Role.SECURITY_ADMIN: ("demo_security", "演示安全管理员"),
    Role.AUDITOR: ("demo_auditor", "演示安全审计员"),
}


@dataclass
class DemoAccount:
    role: str
    username: str
    node: str


def _district() -> str:
    return f"{settings.WANGGE_DISTRICT_CODE}000000"


def _official(username: str, full_name: str, role: str, scope_code: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"password": "!"})
    user.full_name, user.role, user.scope_code, user.is_active = full_name, role, scope_code, True
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _demo_grid() -> str:
    """The basic grid the demo's grid worker keeps: the first where the demo district has a grid
    worker (so that it has cases), else the first of the active layer."""
    worker = User.objects.filter(role=Role.GRID_WORKER, is_active=True, scope_code__startswith=settings.WANGGE_DISTRICT_CODE).exclude(username__startswith=PREFIX)
    code = worker.order_by("username").values_list("scope_code", flat=True).first()
    code = code or Grid.objects.filter(layer__is_active=True, level=3).order_by("code").values_list("code", flat=True).first()
    if code is None:
        raise DemoRefused("尚未生成演示区：请先运行 wangge demo")
    return code


def _handler() -> User:
    """The demo's own handler, of the demo's first department (made, without handlers, when
    the cases were not)."""
    department = Department.objects.filter(active=True).order_by("code").first()
    if department is None:
        code, (name, _) = next(iter(DEPARTMENTS.items()))
        department, _ = Department.objects.get_or_create(code=code, defaults={"name": name})
    handler = _official("demo_handler", f"{department.name}演示经办人", Role.DEPARTMENT_HANDLER, _district())
    department.handlers.add(handler)
    return handler


def _officer(role: str, index: int) -> User | None:
    username, name = OFFICERS[role]
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    if User.objects.filter(role=role, is_active=True).exists():
        return None  # someone holds the role already: the demo does not replace them
    first17 = f"{settings.WANGGE_DISTRICT_CODE}{date(1980, 1, 1 + index):%Y%m%d}9{index:02d}"
    user, _ = officer_create(role=role, username=username, person_id_number=first17 + check_char(first17), person_name=name)
    return user


def _property_account(community: Division) -> User | None:
    """The demo's company account, for the company serving a compound of the demo community."""
    services = CompanyService.objects.filter(ended_on__isnull=True).select_related("company").order_by("pk")
    service = services.filter(compound__community=community, compound__mode=Compound.Mode.MARKET).first() or services.first()
    if service is None:
        return None
    user = _official("demo_property", f"{service.company.name}演示账号", Role.PROPERTY_COMPANY, "")
    company_account_grant(actor=None, company=service.company, user=user)
    return user


def _node(user: User) -> str:
    if user.role == Role.PROPERTY_COMPANY and (company := company_of(user)):
        return company.name
    scope_code = user.scope_code
    if not scope_code:
        return "—（门户公众）" if user.role == Role.RESIDENT else "—（不挂靠区域节点）"
    grid = Grid.objects.filter(code=scope_code, layer__is_active=True).first()
    if grid is not None:
        return f"{grid.name}（{scope_code}）"
    division = Division.objects.filter(code=scope_code).first()
    return f"{division.name}（{scope_code}）" if division else scope_code


def demo_accounts_refresh() -> tuple[list[DemoAccount], str]:
    """Make or refresh the accounts; returns them and their one new password."""
    if settings.WANGGE_ENV == "production":
        raise DemoRefused("生产环境不设演示账号：演示账号共用一个密码，只用于开发和演示环境")
    grid = _demo_grid()
    subdistrict, community = Division.objects.get(code=grid[:9] + "000"), Division.objects.get(code=grid[:12])
    users = [
        _official("demo_district", "演示区级干部", Role.DISTRICT_OFFICIAL, _district()),
        _official("demo_subdistrict", f"{subdistrict.name}演示干部", Role.SUBDISTRICT_OFFICIAL, subdistrict.code),
        _official("demo_community", f"{community.name}演示干部", Role.COMMUNITY_OFFICIAL, community.code),
        _official("demo_gridworker", "演示网格员", Role.GRID_WORKER, grid),
        _handler(),
        _property_account(community),
        *(_officer(role, i) for i, role in enumerate(OFFICERS)),
        _official("demo_resident", "演示居民", Role.RESIDENT, ""),
        _official("demo_provider", "区人民医院演示账号", Role.RESOURCE_PROVIDER, ""),
    ]
    users = [u for u in users if u is not None]
    if any(not u.username.startswith(PREFIX) for u in users):  # the one promise this command keeps
        raise DemoRefused("演示账号只能是以 demo_ 开头的账号")
    password = password_generate()
    while any(u.username.lower() in password.lower() for u in users):
        password = password_generate()
    try:
        demo_passwords_set(users=users, password=password)
    except ProductionRefused as refused:
        raise DemoRefused(str(refused)) from None
    return [DemoAccount(role=Role(u.role).label, username=u.username, node=_node(u)) for u in users], password
