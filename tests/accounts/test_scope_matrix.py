"""The data scope as a matrix generated from the API schema and the URLconf: role x scope x endpoint.

Every operation with a path parameter is called, by every persona, for an object of the home
grid and one of the other grid. Out of scope answers as a missing object does: 404, or the
same 403 that a missing id gets when the role is refused before any lookup (so nothing about
the object leaks). `OBJECTS` says which object each path parameter names; an operation whose
parameter is not there fails `test_every_endpoint_with_an_object_has_a_scope_test`, so a new
endpoint cannot ship without scope coverage.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests.people.ids import id_number
from wangge.accounts.models import ExportApproval, Role, User
from wangge.geo.models import Grid
from wangge.people.models import (
    Building,
    Duty,
    GridPost,
    PartyOrganisation,
    Person,
    SocialOrganisation,
)

MISSING_ID = "987654321"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

# persona -> (sees the home grid's objects, sees the other grid's objects)
VISIBILITY = {
    "district_official": (True, True),
    "subdistrict_official": (True, False),
    "community_official": (True, False),
    "grid_worker": (True, False),
    "other_grid_worker": (False, True),
    "department_handler": (True, True),  # district-wide, but refused the residents' roll (403) and every change
    "resident": (False, False),
    "no_role": (False, False),  # a district scope but no role: deny by default
    "no_scope": (False, False),  # a grid worker's role but no node
}
GRID_WORKERS = ("grid_worker", "other_grid_worker")


@dataclass(frozen=True)
class Scoped:
    """An object that belongs to a node of the district tree."""

    make: Callable  # (people, grid) -> the path value naming the grid's object
    node: str = "grid"  # "community": above a grid worker's scope, so hidden from them


@dataclass(frozen=True)
class Unscoped:
    """An object that belongs to no node; `why` says where its own rules are tested."""

    make: Callable
    why: str
    refused: bool = False  # every persona here is refused by role (403) before the lookup


def _building(people, grid):
    return Building.objects.filter(grid_code=grid.code).order_by("pk").first().pk


def _resident(people, grid):
    return Person.objects.filter(household__building__grid_code=grid.code).order_by("pk").first().pk


def _approval(people, grid):
    worker = people.grid_worker if grid == people.home_grid else people.other_grid_worker
    return ExportApproval.objects.create(kind="residents", reason="入户走访核对", requested_by=worker.user).pk


def _case(people, grid, number=False):
    from tests.cases.factories import case_in

    case = case_in(people, grid)
    return case.number if number else case.pk


def _photo(people, grid):
    """A photo of the case that `case_id` named just before it in the same path (the grid's
    latest case), so that the pair names one photo of one case."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.cases.test_photos import png
    from wangge.cases.models import Case
    from wangge.cases.photos import case_photo_add

    case = Case.objects.filter(grid_code=grid.code).order_by("-pk").first()
    worker = people.grid_worker if grid == people.home_grid else people.other_grid_worker
    photo, _ = case_photo_add(case=case, actor=worker.user, upload=SimpleUploadedFile("p.png", png()))
    return photo.pk


def _account(people, grid):
    return (people.grid_worker if grid == people.home_grid else people.other_grid_worker).user.pk


def _officer_reset(people, grid):
    """A pending reset of the auditor, asked for by the system administrator."""
    from datetime import timedelta

    from django.utils import timezone

    from wangge.accounts.models import OfficerReset

    def officer(role):
        return User.objects.get_or_create(username=f"matrix_{role}", defaults={"role": role})[0]

    return OfficerReset.objects.create(target=officer(Role.AUDITOR), kind="password", reason="遗失密码", requested_by=officer(Role.SYSTEM_ADMIN), expires_at=timezone.now() + timedelta(hours=1)).pk


def _token(people, grid):
    from wangge.accounts.models import ApiToken

    worker = people.grid_worker if grid == people.home_grid else people.other_grid_worker
    return ApiToken.objects.filter(user=worker.user).order_by("pk").first().pk


def _article(people, grid):
    from tests.portal.test_publishing import draft_article

    return draft_article(people.district_official.user, title=f"{grid.code} 的稿件").pk


def _disclosure(people, grid):
    """A draft disclosure of the grid's community."""
    from tests.portal.test_publishing import draft_disclosure

    return draft_disclosure(people.district_official.user, grid.community.code, title=f"{grid.community.code} 的公示").pk


def _objection(people, grid):
    """A pending objection to a disclosure shown now in the grid's community."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.portal.test_publishing import draft_disclosure, publish
    from wangge.portal.objections import objection_submit

    start = timezone.now() - timedelta(days=1)
    official = people.district_official.user
    reviewer, _ = User.objects.get_or_create(username="matrix_reviewer", defaults={"role": Role.DISTRICT_OFFICIAL, "scope_code": official.scope_code})
    disclosure = draft_disclosure(official, grid.community.code, shown_from=start, shown_until=start + timedelta(days=7))
    disclosure = publish(disclosure, official, reviewer)
    return objection_submit(disclosure=disclosure, text="有异议").pk


def _notice(people, grid):
    from wangge.core.notices import notices_create

    worker = people.grid_worker if grid == people.home_grid else people.other_grid_worker
    return notices_create(recipient_ids=[worker.user.pk], kind="case.alert", title="矩阵消息")[0].pk


def _published_article(people, grid):
    from tests.portal import making

    return making.article(people, title=f"{grid.code} 的新闻").pk


def _published_disclosure(people, grid):
    from tests.portal import making

    return making.disclosure(people, title=f"{grid.community.code} 的公示").pk


def _deliberation(people, grid):
    from wangge.matching.deliberation.services import deliberation_open

    return deliberation_open(actor=None, title="矩阵议事", matter="矩阵议事说明", community_code=grid.community.code).pk


def _facility(people, grid):
    from wangge.matching.facilities.services import facility_save

    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    return facility_save(actor=None, kind_code="children_park", name="矩阵微游园", community_code=grid.community.code, lon=building.lon, lat=building.lat, address="矩阵路1号").pk


def _compound(people, grid):
    from wangge.property.models import Compound

    return Compound.objects.filter(community=grid.community).order_by("pk").first().pk


def _company(people, grid):
    """A company filed in the grid's subdistrict that serves one compound of the grid's community."""
    from django.db.models import F
    from django.utils import timezone

    from wangge.core.credit_code import credit_code_compose
    from wangge.property.models import CompanyService, Compound, PropertyCompany

    code = credit_code_compose(authority="9", kind="1", division="410104", organisation_body=f"MX{grid.code[-6:]}")
    company, made = PropertyCompany.objects.get_or_create(credit_code=code, defaults={"name": f"矩阵物业{grid.code}", "subdistrict": grid.community.parent})
    if made:  # it takes over the community's first compound (one company serves a compound at a time)
        compound = Compound.objects.filter(community=grid.community).order_by("pk").first()
        CompanyService.objects.filter(compound=compound, ended_on__isnull=True).update(ended_on=F("started_on"))
        CompanyService.objects.create(company=company, compound=compound, started_on=timezone.localdate())
    return company.pk


def _instructor(people, grid):
    """An instructor the grid's community sends to the grid's company (the one `company_id` names)."""
    from wangge.property.models import PartyInstructor

    person = Person.objects.filter(household__building__grid_code=grid.code).order_by("pk").first()
    sent, _ = PartyInstructor.objects.get_or_create(
        company_id=_company(people, grid), person=person, ended_on=None, defaults={"sent_by": grid.community, "started_on": "2026-01-01"},
    )
    return sent.pk


def _company_code(people, grid) -> str:
    from wangge.property.models import PropertyCompany

    return PropertyCompany.objects.get(pk=_company(people, grid)).credit_code


def _owners_vote(people, grid):
    from wangge.property.models.votes import OwnersVote

    vote, _ = OwnersVote.objects.get_or_create(compound_id=_compound(people, grid), title="矩阵表决", defaults={"matter": "ordinary"})
    return vote.pk


def _rating_round(people, grid):
    """The district's first rating round (one opened when the demo has none)."""
    from django.utils import timezone

    from tests.property.rating_world import SECTIONS, VETOES
    from wangge.property.models.rating import RatingRound
    from wangge.property.rating.services import round_open, scheme_create

    found = RatingRound.objects.order_by("pk").first()
    if found is None:
        official = people.district_official.user
        scheme = scheme_create(name="矩阵方案", sections=SECTIONS, star_minimums=[60, 70, 80, 90, 95], vetoes=VETOES, actor=official)
        found = round_open(year=timezone.localdate().year, scheme=scheme, actor=official)
    return found.pk


def _rating_entry(people, grid):
    """The grid's community's compound entered in the demo's first round."""
    from wangge.property.models.rating import RatingEntry, RatingRound

    compound = _compound(people, grid)
    entry, _ = RatingEntry.objects.get_or_create(round=RatingRound.objects.get(pk=_rating_round(people, grid)), compound_id=compound)
    return entry.pk


def _project(people, grid):
    """A project of the grid's community in its notice (so that it is public on the portal)."""
    from tests.projects.conftest import project_in_notice

    return project_in_notice(grid.community.code).pk


def _category():
    from wangge.projects.models import Category

    return Category.objects.order_by("pk").first().pk


def _project_objection(people, grid):
    """A pending objection to the grid's community's latest project (the one `project_id` names)."""
    from wangge.projects.models import Project
    from wangge.projects.services.objections import project_objection_lodge

    project = Project.objects.filter(community_code=grid.community.code).order_by("-pk").first()
    return project_objection_lodge(project=project, text="有异议").pk


def _vote_round(people, grid):
    """An open round of the grid's community over one proposed project."""
    from tests.projects.conftest import round_open

    return round_open(grid.community.code).pk
def _funded_project(people, grid):
    """A filed project of the grid's community with a budget line and one payment."""
    from tests.projects.funds import making
    from wangge.projects.models import BudgetLine

    line = BudgetLine.objects.filter(project__community_code=grid.community.code, project__number__startswith="MX").first()
    if line is None:
        line = making.funded(grid.community.code, 100_000)
        line.project.__class__.objects.filter(pk=line.project.pk).update(number=f"MX{line.project.number}")
        making.pay(line, 1_000)
    return line.project_id


def _disbursement(people, grid):
    from wangge.projects.models import Disbursement

    return Disbursement.objects.filter(project_id=_funded_project(people, grid)).order_by("pk").first().pk
def _matching_resource(people, grid):
    """A resource kept by the officials of the grid's community, at a building of the grid."""
    from tests.matching.making import resource_in
    from wangge.matching.models import Resource

    found = Resource.objects.filter(grid_code=grid.code, name="矩阵资源").first()
    return (found or resource_in(grid, name="矩阵资源")).pk


def _matching_need(people, grid):
    """A need gathered at a building of the grid."""
    from tests.matching.making import need_in
    from wangge.matching.models import Need

    found = Need.objects.filter(grid_code=grid.code, description="矩阵需求").first()
    return (found or need_in(grid, description="矩阵需求")).pk


def _fair(people, grid):
    """A fair of the grid's community, in its matching phase."""
    from wangge.matching.fair.services import fair_create, fair_move
    from wangge.matching.models import Fair

    found = Fair.objects.filter(division_code=grid.community.code, title="矩阵社洽会").first()
    if found is None:
        found = fair_create(actor=None, title="矩阵社洽会", division_code=grid.community.code, held_on="2026-12-20")
        for to in ("published", "presenting", "matching"):
            found = fair_move(actor=None, fair_id=found.pk, to=to)
    return found.pk


def _fair_match(people, grid):
    """The proposed match of the grid's need to the grid's resource at the community's fair."""
    from wangge.matching.fair.services import fair_propose
    from wangge.matching.models import FairMatch

    need, resource, fair = _matching_need(people, grid), _matching_resource(people, grid), _fair(people, grid)
    found = FairMatch.objects.filter(fair_id=fair, need_id=need, resource_id=resource).first()
    if found is None:
        fair_propose(actor=None, fair_id=fair)
        found = FairMatch.objects.get(fair_id=fair, need_id=need, resource_id=resource)
    return found.pk


# (path parameter, path prefix or "") -> the object it names. The prefix tells apart one name
# used for different objects.
OBJECTS = {
    ("grid_id", ""): Scoped(lambda people, grid: grid.pk),
    ("building_id", ""): Scoped(_building),
    ("person_id", ""): Scoped(_resident),
    ("post_id", ""): Scoped(lambda people, grid: GridPost.objects.filter(grid=grid).order_by("pk").first().pk),
    ("organisation_id", "/api/party-organisations/"): Scoped(lambda people, grid: PartyOrganisation.objects.get(grids=grid).pk),
    ("organisation_id", "/api/social-organisations/"): Scoped(lambda people, grid: SocialOrganisation.objects.filter(grids=grid).order_by("pk").first().pk),
    ("code", "/api/divisions/"): Scoped(lambda people, grid: grid.community.code, node="community"),
    ("layer_id", ""): Unscoped(lambda people, grid: grid.layer_id, "the net is one district-wide layer; the grids it returns are scoped (test_scope: lists)"),
    ("kind", "/api/workbooks/"): Unscoped(lambda people, grid: "residents", "a workbook kind, not an object; exported rows are scoped (test_it_exports_only_rows_in_scope)"),
    ("approval_id", ""): Unscoped(_approval, "an approval belongs to its requester; approving is the security administrator's (test_export_approval)", refused=True),
    ("case_id", "/api/cases/"): Scoped(_case),
    ("case_id", "/cases/"): Scoped(_case),
    ("photo_id", "/api/cases/"): Scoped(_photo),
    ("pk", "/news/"): Unscoped(_published_article, "the public portal: published articles are for everyone (tests/portal/test_public_pages.py)"),
    ("code", "/news/"): Unscoped(lambda people, grid: "media", "a news section, public (tests/portal/test_public_pages.py)"),
    ("pk", "/disclosures/"): Unscoped(_published_disclosure, "the public portal: published disclosures are for everyone (tests/portal/test_public_pages.py)"),
    ("article_id", "/api/portal/"): Unscoped(_article, "articles speak for the whole district: only district-wide officials keep them (tests/portal/test_portal_api.py)"),
    ("article_id", "/portal/"): Unscoped(_article, "articles speak for the whole district: only district-wide officials keep them (tests/portal/test_office_pages.py)"),
    ("disclosure_id", "/api/portal/"): Scoped(_disclosure, node="community"),
    ("disclosure_id", "/portal/"): Scoped(_disclosure, node="community"),
    ("objection_id", "/api/portal/"): Scoped(_objection, node="community"),
    ("account_id", "/api/accounts/"): Unscoped(_account, "accounts are kept district-wide by the system and security administrators (三员分立)", refused=True),
    ("reset_id", "/api/officer-resets/"): Unscoped(_officer_reset, "officers' resets are for the three officers only (test_officer_resets)", refused=True),
    ("token_id", "/api/account/tokens/"): Unscoped(_token, "a token is its owner's; anyone else's answers as a missing one (test_tokens)"),
    ("compound_id", "/api/property/"): Scoped(_compound, node="community"),
    ("compound_id", "/property/"): Scoped(_compound, node="community"),
    ("company_id", "/api/property/"): Scoped(_company, node="community"),
    ("company_id", "/property/"): Scoped(_company, node="community"),
    ("instructor_id", "/property/"): Scoped(_instructor, node="community"),
    ("company_id", "/api/ratings/"): Unscoped(_company, "a company's published rating history is public, as the portal's results are (tests/property/test_rating_pages.py)"),
    ("round_id", "/property/ratings/"): Unscoped(_rating_round, "a rating round is the district's; the entries it shows are scoped (tests/property/test_rating_pages.py)"),
    ("entry_id", "/property/ratings/"): Scoped(_rating_entry, node="community"),
    ("vote_id", "/property/votes/"): Scoped(_owners_vote, node="community"),
    ("project_id", "/api/projects/public/"): Unscoped(_project, "the portal's side: a project from its notice on is public (tests/projects/test_api.py)"),
    ("round_id", "/api/projects/public/"): Unscoped(_vote_round, "the portal's side: an open round's sheet is public; a ballot from outside the community answers 404 (tests/projects/test_api.py)"),
    ("category_id", "/api/projects/"): Unscoped(lambda people, grid: _category(), "the district's categories, kept by district-wide officials (test_only_district_wide_officials_keep_categories)"),
    ("project_id", "/api/projects/"): Scoped(_project, node="community"),
    ("objection_id", "/api/projects/"): Scoped(_project_objection, node="community"),
    ("round_id", "/api/projects/"): Scoped(_vote_round, node="community"),
    ("project_id", "/api/funds/"): Scoped(_funded_project, node="community"),
    ("disbursement_id", "/api/funds/"): Scoped(_disbursement, node="community"),
    ("resource_id", "/api/matching/"): Scoped(_matching_resource, node="community"),
    ("need_id", "/api/matching/"): Scoped(_matching_need),
    ("fair_id", "/api/matching/"): Scoped(_fair, node="community"),
    ("match_id", "/api/matching/"): Scoped(_fair_match, node="community"),
    ("deliberation_id", "/api/deliberations/"): Scoped(_deliberation, node="community"),
    ("match_id", "/api/projects/from/"): Scoped(_fair_match, node="community"),
    ("deliberation_id", "/api/projects/from/"): Scoped(_deliberation, node="community"),
    ("match_id", "/projects/from/"): Scoped(_fair_match, node="community"),
    ("deliberation_id", "/projects/from/"): Scoped(_deliberation, node="community"),
    ("project_id", "/projects/from/"): Scoped(_project, node="community"),
    ("fair_id", "/matching/fairs/"): Scoped(_fair, node="community"),
    ("facility_id", "/api/facilities/"): Scoped(_facility, node="community"),
    ("facility_id", "/matching/facilities/"): Scoped(_facility, node="community"),
    ("deliberation_id", "/matching/deliberations/"): Scoped(_deliberation, node="community"),
    ("project_id", "/projects/"): Scoped(_project, node="community"),
    ("project_id", "/services/projects/"): Unscoped(_project, "the portal's side: a project from its notice on is public (tests/projects/test_public_pages.py)"),
    ("round_id", "/services/projects/rounds/"): Unscoped(_vote_round, "an open round's sheet is public; a ballot from outside the community answers 404 (tests/projects/test_public_pages.py)"),
    ("notice_id", "/inbox/"): Unscoped(_notice, "a notice is its recipient's; anyone else's answers as a missing one (tests/core/test_inbox.py)"),
    # Open311 GeoReport v2 is public by the standard: its reads show every case's public fields only
    # (no reporter, address or grid), tested in tests/cases/test_open311.py.
    ("fmt", "/open311/v2/"): Unscoped(lambda people, grid: "json", "a response format (json or xml), not an object"),
    ("service_code", "/open311/v2/"): Unscoped(lambda people, grid: "exposed_garbage", "a public category (test_open311)"),
    ("request_id", "/open311/v2/"): Unscoped(lambda people, grid: _case(people, grid, number=True), "public Open311 fields only (test_open311)"),
    ("token", "/open311/v2/"): Unscoped(lambda people, grid: _case(people, grid, number=True), "a token is its request's number (test_open311)"),
}

# Bodies that pass validation, so that a refusal is the scope's or the role's, not the schema's.
BODIES = {
    "PATCH /api/grids/{grid_id}": lambda o: {"name": "新名称"},
    "PATCH /api/buildings/{building_id}": lambda o: {"households": 3},
    "PATCH /api/residents/{person_id}": lambda o: {"health": "良好"},
    "POST /api/residents/{person_id}/unmask": lambda o: {"reason": "入户走访核对"},
    "POST /api/staff/{post_id}/unmask": lambda o: {"reason": "入户走访核对"},
    "PATCH /api/party-organisations/{organisation_id}": lambda o: {"name": "党支部"},
    "POST /api/social-organisations/{organisation_id}/members": lambda o: {"id_number": o["resident_id_number"]},
    "POST /api/social-organisations/{organisation_id}/activities": lambda o: {"held_on": "2026-01-05", "title": "活动"},
    "POST /api/buildings": lambda o: {"community_code": o["community_code"], "name": "新楼", "lon": o["lon"], "lat": o["lat"]},
    "POST /api/residents": lambda o: {"building_id": o["building_id"], "room": "999", "name": "新居民", "id_number": id_number()},
    "POST /api/staff": lambda o: {"grid_code": o["grid_code"], "role": "specialist", "duty": o["duty"], "name": "新成员", "id_number": id_number()},
    "POST /api/party-organisations": lambda o: {"name": "新党支部", "kind": "branch", "grid_codes": [o["grid_code"]], "secretary_id_number": o["resident_id_number"]},
    "POST /api/social-organisations": lambda o: {"name": "新组织", "bond": "interest", "status": "registered", "community_code": o["community_code"]},
    "POST /api/exports/approvals": lambda o: {"kind": "residents", "reason": "入户走访核对"},
    "POST /api/accounts": lambda o: {"username": "someone_new"},
    "POST /api/accounts/{account_id}/disable": lambda o: {"reason": "离职"},
    "POST /api/cases": lambda o: {"client_id": "matrix", "category": "exposed_garbage", "description": "暴露垃圾", "lon": o["lon"], "lat": o["lat"]},
    "POST /api/cases/{case_id}/transition": lambda o: {"to": "accepted"},
    "POST /api/cases/{case_id}/rate": lambda o: {"rating": 5},
    "POST /api/cases/{case_id}/merge": lambda o: {"into": _case(None, Grid.objects.get(code=o["grid_code"]))},
    "POST /api/accounts/{account_id}/role": lambda o: {"role": "grid_worker", "scope_code": o["grid_code"]},
    "POST /api/accounts/{account_id}/officer-resets": lambda o: {"kind": "password", "reason": "遗失密码"},
    "POST /api/property/companies/{company_id}/staff": lambda o: {"id_number": o["resident_id_number"]},
    "POST /api/deliberations/{deliberation_id}/opinions": lambda o: {"address": "1号楼101", "summary": "同意"},
    "POST /api/deliberations/{deliberation_id}/consultations": lambda o: {"unit": "物业", "summary": "同意"},
    "POST /api/deliberations/{deliberation_id}/meetings": lambda o: {"kind": "residents", "held_on": "2026-01-05", "members": 10, "present": 6, "votes_for": 4},
    "POST /api/deliberations/{deliberation_id}/moves": lambda o: {"to": "proposed", "text": "提议"},
    "PUT /api/facilities/{facility_id}": lambda o: {"kind_code": "children_park", "name": "矩阵微游园", "community_code": o["community_code"], "lon": o["lon"], "lat": o["lat"], "address": "矩阵路1号"},
    "POST /api/property/compounds/{compound_id}/service": lambda o: {"credit_code": o["credit_code"]},
    "PATCH /api/projects/{project_id}": lambda o: {"title": "新名称"},
    "POST /api/projects/{project_id}/move": lambda o: {"to": "filed"},
    "POST /api/projects/{project_id}/objections/{objection_id}/answer": lambda o: {"answer": "已答复"},
    "POST /api/projects/rounds/{round_id}/move": lambda o: {"to": "closed"},
    "POST /api/projects/public/{project_id}/objections": lambda o: {"text": "有异议"},
    "POST /api/projects/public/rounds/{round_id}/ballot": lambda o: {"choices": []},
    "POST /api/funds/projects/{project_id}/budget-lines": lambda o: {"source": "community_service", "amount_fen": 1},
    "POST /api/funds/disbursements/{disbursement_id}/reverse": lambda o: {"reason": "录入有误"},
    "PATCH /api/matching/resources/{resource_id}": lambda o: {"capacity": 5},
    "POST /api/matching/needs/{need_id}/transition": lambda o: {"to": "matched"},
    "POST /api/matching/fairs/{fair_id}/transition": lambda o: {"to": "signing"},
    "POST /api/matching/matches/{match_id}/confirm": lambda o: {"side": "need"},
    "POST /api/matching/matches/{match_id}/drop": lambda o: {"reason": "居民已自行解决"},
    "POST /api/property/companies/{company_id}/instructors": lambda o: {"id_number": o["resident_id_number"], "sent_by_code": o["community_code"]},
}


def _operations(api) -> list[tuple[str, str]]:
    paths = api.get("/api/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item if method in {"get", "post", "put", "patch", "delete"}]


def _object_for(name: str, path: str):
    for (param, prefix), entry in OBJECTS.items():
        if param == name and path.startswith(prefix):
            return entry
    return None


def _params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _tokens(people, others) -> dict:
    tokens = {name: getattr(people, name).token for name in VISIBILITY if hasattr(people, name)}
    return {**tokens, "no_role": others.no_role.token, "no_scope": others.no_scope.token}


def _facts(people, grid) -> dict:
    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    return {
        "building_id": building.pk,
        "grid_code": grid.code,
        "community_code": grid.community.code,
        "lon": building.lon,
        "lat": building.lat,
        "resident_id_number": Person.objects.get(pk=_resident(people, grid)).id_number,
        "duty": Duty.objects.filter(kind=Duty.Kind.SPECIALIST).order_by("pk").values_list("name", flat=True).first(),
        "credit_code": _company_code(people, grid),
    }


def _url(path: str, values: dict) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(values[m[1]]), path)


def _call(api, method, url, token, body):
    """One request whose writes are rolled back, so that every persona meets the same objects."""
    with transaction.atomic():
        response = api.request(method, url, token=token, json=body if method in WRITES else None)
        transaction.set_rollback(True)
    return response


def test_every_endpoint_with_an_object_has_a_scope_test(api):
    missing = [f"新接口 {method} {path} 没有数据范围测试（参数 {name}）" for method, path in _operations(api) for name in _params(path) if _object_for(name, path) is None]
    missing += [f"新接口 {route} 没有数据范围测试（参数 {name}）" for route, names in _page_routes() for name in names if _object_for(name, "/" + route) is None]
    assert not missing, "\n".join(missing)


def _expectation_failures(status: int, probe: int, visible: bool, entry) -> str | None:
    if status >= 500:
        return "服务器错误"
    if isinstance(entry, Unscoped):
        return "应按角色拒绝（403）" if entry.refused and status != 403 else None
    if visible:
        return "范围内的对象不应答 404" if status == 404 else None
    if status == 404 or (status == 403 and probe == 403):
        return None
    return f"范围外的对象应答 404（不存在的对象答 {probe}）"


def test_it_answers_out_of_scope_as_missing_for_every_operation_and_persona(api, people, others):
    failures = []
    tokens = _tokens(people, others)
    for which, grid in (("home", people.home_grid), ("other", people.other_grid)):
        facts = _facts(people, grid)
        for method, path in _operations(api):
            names = _params(path)
            if not names:
                continue
            entries = {name: _object_for(name, path) for name in names}
            values = {name: entry.make(people, grid) for name, entry in entries.items()}
            entry = next(e for e in entries.values() if isinstance(e, Scoped)) if any(isinstance(e, Scoped) for e in entries.values()) else entries[names[0]]
            body = BODIES.get(f"{method} {path}", lambda o: {})(facts)
            missing = {name: (MISSING_ID if not isinstance(e, Unscoped) or name != "kind" else values[name]) for name, e in entries.items()}
            for persona, token in tokens.items():
                visible = VISIBILITY[persona][0 if which == "home" else 1]
                if isinstance(entry, Scoped) and entry.node == "community" and persona in GRID_WORKERS + ("no_scope",):
                    visible = False
                response = _call(api, method, _url(path, values), token, body)
                status = response.status_code
                if status == 404 and response.json()["detail"] != "未找到该对象":
                    failures.append(f"{persona} {method} {_url(path, values)}：404 应与不存在的对象同样作答")
                probe = _call(api, method, _url(path, missing), token, body).status_code if not visible else None
                problem = _expectation_failures(status, probe, visible, entry)
                if problem:
                    failures.append(f"{persona} {method} {_url(path, values)} ({which}) → {status}：{problem}")
    assert not failures, "\n".join(failures)


def test_it_leaves_out_of_scope_objects_unchanged(api, people):
    building = Building.objects.filter(grid_code=people.other_grid.code).first()
    resident = Person.objects.get(pk=_resident(people, people.other_grid))
    api.patch(f"/api/buildings/{building.pk}", token=people.grid_worker.token, json={"households": 1})
    api.delete(f"/api/buildings/{building.pk}", token=people.grid_worker.token)
    api.delete(f"/api/residents/{resident.pk}", token=people.grid_worker.token)
    assert Building.objects.get(pk=building.pk).households == building.households
    assert Person.objects.get(pk=resident.pk).household_id == resident.household_id


# Pages: the URLconf's patterns with an object in the path (the admin has its own scope test
# in test_scope, and the API is covered above from its schema).
def _page_routes(resolver=None, prefix="") -> list[tuple[str, list[str]]]:
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route not in ("api/", "admin/"):
                routes += _page_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
            routes.append((route, list(pattern.pattern.converters)))
    return routes


def test_it_answers_out_of_scope_pages_as_missing(client, people, others):
    failures = []
    users = {name: getattr(people, name).user for name in VISIBILITY if hasattr(people, name)} | {"no_role": others.no_role.user, "no_scope": others.no_scope.user}
    for route, names in _page_routes():
        for which, grid in (("home", people.home_grid), ("other", people.other_grid)):
            entries = {name: _object_for(name, "/" + route) for name in names}
            values = {name: str(entry.make(people, grid)) for name, entry in entries.items()}
            url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, values=values: values[m[1]], route)
            probe_url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", MISSING_ID, route)
            for persona, user in users.items():
                client.force_login(user)
                visible = VISIBILITY[persona][0 if which == "home" else 1]
                status = client.get(url).status_code
                probe = client.get(probe_url).status_code if not visible else None
                problem = _expectation_failures(status, probe, visible, next(iter(entries.values())))
                if problem:
                    failures.append(f"{persona} GET {url} ({which}) → {status}：{problem}")
    assert not failures, "\n".join(failures)


# Lists: nothing of the other grid, whatever the request claims.
SPOOFS = (
    ({"scope_code": "{other_code}"}, {}),
    ({"scope": "{other_prefix}", "scope_prefix": "{other_prefix}", "community": "{other_community}"}, {}),
    ({}, {"X-Scope-Code": "{other_code}", "X-Scope": "{other_prefix}", "X-Forwarded-Scope": "{other_code}"}),
)
# Reads that are the same for everyone, by design.
NOT_SCOPED_READS = {
    "/api/locate": "the public locator: which grid a point is in, for anyone",
    "/api/grids/layers": "the net's layers (names, grid counts), not their grids",
    "/api/account/tokens": "the caller's own API tokens (test_tokens)",
    "/api/grids/outlines": "the public base map: each basic grid's code, name and outline (tests/geo/test_outlines)",
    "/api/cases/grid-at": "which grid a report at a point would go to, anywhere in the district, as /api/locate (tests/cases/test_grid_at)",
    "/api/projects/public": "the portal's projects from their notice on, public by the filing regime (tests/projects/test_api.py)",
    "/api/projects/public/rounds": "the portal's open and past rounds with their results, public (tests/projects/test_api.py)",
    "/api/projects/public/{project_id}": "one of the portal's public projects (tests/projects/test_api.py)",
    "/api/projects/public/{project_id}/objections": "the answered objections the notice shows (tests/projects/test_api.py)",
    "/api/projects/public/rounds/{round_id}": "an open round's sheet or its results, public (tests/projects/test_api.py)",
    "/api/facilities/kinds": "the district's kinds of service facility, public",
    "/api/facilities/public": "the portal's facility map, public fields only (tests/matching/facilities/test_api.py)",
    "/api/facilities/nearest": "the portal's nearest-facility search, public fields only (tests/matching/facilities/test_api.py)",
}
# Writes anyone may make, signed in or not, by design.
PUBLIC_WRITES = {
    "/api/projects/public/{project_id}/objections": "anyone may object to a project in its notice, limited per address (tests/projects/test_api.py)",
}


def _lists(api) -> list[str]:
    return [path for method, path in _operations(api) if method == "GET" and not _params(path) and path not in NOT_SCOPED_READS]


def _fill(template: dict, people, other) -> dict:
    values = {"other_code": other.code, "other_prefix": other.code[:9], "other_community": other.community.code}
    return {k: v.format(**values) for k, v in template.items()}


@pytest.mark.parametrize("persona", GRID_WORKERS)
def test_it_never_lists_the_other_grid_to_a_grid_worker_whatever_the_request_says(api, people, persona):
    me = getattr(people, persona)
    mine = people.home_grid if persona == "grid_worker" else people.other_grid
    theirs = people.other_grid if persona == "grid_worker" else people.home_grid
    forbidden = {theirs.code, theirs.community.code} - {mine.community.code}
    for path in _lists(api):
        baseline = api.get(path, token=me.token)
        assert not any(code in baseline.text for code in forbidden), (persona, path)
        for params, headers in SPOOFS:
            spoofed = api.get(path, token=me.token, params=_fill(params, people, theirs), headers=_fill(headers, people, theirs))
            assert spoofed.status_code == baseline.status_code, (path, params, headers)
            assert spoofed.json() == baseline.json(), (persona, path, params, headers)
        filtered = api.get(path, token=me.token, params={"grid": theirs.code})
        assert not any(code in filtered.text for code in forbidden), (persona, path, "grid")


def test_it_answers_nothing_to_a_user_without_a_role_or_a_scope(api, people, others):
    facts = _facts(people, people.home_grid)
    for persona in (others.no_role, others.no_scope):
        for method, path in _operations(api):
            values = {name: _object_for(name, path).make(people, people.home_grid) for name in _params(path)}
            body = BODIES.get(f"{method} {path}", lambda o: {})(facts)
            response = _call(api, method, _url(path, values), persona.token, body)
            label = f"{persona.user.username} {method} {path} → {response.status_code}"
            if method in WRITES and path not in PUBLIC_WRITES:
                assert not 200 <= response.status_code < 300, label
            elif path not in NOT_SCOPED_READS and not path.endswith("/template") and response.status_code == 200:
                assert _empty(_content(response)), label


def _content(response):
    """JSON as it is; a workbook as the list of its rows below the headings."""
    if "spreadsheetml" in response.headers.get("content-type", ""):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return list(sheet.iter_rows(min_row=2, values_only=True))
    return response.json()


def _empty(value) -> bool:
    """Nothing in it: no list items, no counts above zero."""
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        if "features" in value:
            return not value["features"]
        return all(_empty(v) for k, v in value.items() if k not in ("type", "name"))
    if isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return value == 0
    return True


def test_it_gives_no_scope_to_a_user_without_a_role():
    from wangge.geo.scope import scope_of

    user = User(username="x", role="", scope_code="410104001001001")
    assert scope_of(user).prefix is None
    user.role = Role.GRID_WORKER
    assert scope_of(user).prefix == user.scope_code
