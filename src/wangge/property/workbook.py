"""The compounds workbook (.xlsx), through people's workbook machinery (`register_kind`): one
compound or courtyard a row, with its buildings, the company serving it and its owners'
committee. All or nothing, with a Chinese row-by-row report."""

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from wangge.geo.models import Division
from wangge.geo.scope import Scope
from wangge.geo.selectors import division_list
from wangge.people.identity import parse_id_number
from wangge.people.masks import shown_person
from wangge.people.models import Building, Person
from wangge.people.selectors.persons import people_in_scope
from wangge.people.services.persons import id_digest
from wangge.people.workbooks.lookups import NOT_REGISTERED, labels, split_list
from wangge.people.workbooks.sheets import Column, Problems, Row

from .models import Compound, OwnersCommitteeMember
from .selectors.records import (
    active_services,
    companies_visible,
    compounds_visible,
    with_registry_figures,
)
from .services.companies import company_service_start
from .services.compounds import compound_save, owners_committee_save

Post = OwnersCommitteeMember.Post
POST_COLUMNS = {"director_id_number": Post.DIRECTOR, "deputy_id_numbers": Post.DEPUTY, "member_id_numbers": Post.MEMBER}

COLUMNS = (
    Column("名称", "name", required=True),
    Column("类型", "kind", required=True, choices=labels(Compound.Kind)),
    Column("管理模式", "mode", required=True, choices=labels(Compound.Mode)),
    Column("所属社区代码", "community_code", required=True, text=True, note="12位社区代码"),
    Column("楼栋", "buildings", note="登记中本社区“街路巷或小区”为本名称的楼栋名，多个用“、”分隔；留空则取其全部"),
    Column("边界", "boundary", note="GeoJSON Polygon 或 MultiPolygon（WGS84），可不填"),
    Column("物业企业统一社会信用代码", "credit_code", text=True, note="须为已登记的企业"),
    Column("业委会主任身份证号", "director_id_number", text=True, note="须为已登记的人员"),
    Column("业委会副主任身份证号", "deputy_id_numbers", text=True, note="多个用“、”分隔"),
    Column("业委会委员身份证号", "member_id_numbers", text=True, note="多个用“、”分隔"),
)
EXPORT_HEADINGS = (*(c.heading for c in COLUMNS), "户数", "建筑面积（平方米）")
SERVICE_FIELDS = {"community": "community_code", "company": "credit_code", "members": "member_id_numbers"}


def _persons(scope: Scope, rows: list[Row]) -> dict[str, Person]:
    numbers = {n for row in rows for key in POST_COLUMNS for n in split_list(row.values[key])}
    digests = set()
    for number in numbers:
        try:
            digests.add(id_digest(parse_id_number(number).number))
        except ValueError:
            continue
    return {p.id_digest: p for p in people_in_scope(scope).filter(id_digest__in=digests)}


def _committee(row: Row, persons: dict[str, Person], problems: Problems) -> list[tuple[Person, str]]:
    members = []
    for key, post in POST_COLUMNS.items():
        numbers = split_list(row.values[key])
        if key == "director_id_number" and len(numbers) > 1:
            problems.add(row.number, key, "业委会只能有一名主任")
        for number in numbers:
            try:
                person = persons.get(id_digest(parse_id_number(number).number))
            except ValueError as reason:
                problems.add(row.number, key, str(reason))
                continue
            if person is None:
                problems.add(row.number, key, NOT_REGISTERED)
            else:
                members.append((person, post))
    return members


def _buildings(row: Row, community: Division | None, problems: Problems) -> list[Building]:
    if community is None:
        return []
    registered = {b.name: b for b in Building.objects.filter(community=community, compound=row.values["name"]).order_by("pk")}
    names = split_list(row.values["buildings"])
    unknown = [n for n in names if n not in registered]
    if unknown:
        problems.add(row.number, "buildings", f"未登记的楼栋：{'、'.join(unknown)}（须为本社区“{row.values['name']}”的楼栋）")
    return [registered[n] for n in names if n in registered] if names else list(registered.values())


def rows_import(*, scope: Scope, rows: list[Row], problems: Problems, actor=None) -> list[str]:
    communities = {d.code: d for d in division_list(scope).filter(kind=Division.Kind.COMMUNITY).defer("geometry")}
    companies = {c.credit_code: c for c in companies_visible(actor)}
    persons = _persons(scope, rows)
    existing = {(c.community_id, c.name): c for c in compounds_visible(actor)}
    first_seen: dict[tuple, int] = {}
    created = updated = 0
    for row in rows:
        key = (row.values["community_code"], row.values["name"])
        if key in first_seen:
            problems.add(row.number, "name", f"与第 {first_seen[key]} 行重复")
        first_seen.setdefault(key, row.number)
        community = communities.get(row.values["community_code"])
        if community is None:
            problems.add(row.number, "community_code", f"社区 {row.values['community_code']} 不存在或不在您负责的范围内")
        company = companies.get(row.values["credit_code"].upper()) if row.values["credit_code"] else None
        if row.values["credit_code"] and company is None:
            # Out of scope reads the same as unregistered: a refusal names nothing beyond it.
            problems.add(row.number, "credit_code", "该统一社会信用代码的企业不存在或不在您负责的范围内")
        buildings = _buildings(row, community, problems)
        members = _committee(row, persons, problems)
        if problems.on(row.number):
            continue
        compound = existing.get((community.pk, row.values["name"]))
        try:
            compound = compound_save(
                actor=actor, name=row.values["name"], kind=row.values["kind"], mode=row.values["mode"], community=community,
                boundary=row.values["boundary"], buildings=buildings, compound=compound,
            )
            if company is not None:
                company_service_start(actor=actor, company=company, compound=compound)
            if members:
                owners_committee_save(actor=actor, compound=compound, members=members)
        except ValidationError as error:
            problems.add_error(row.number, error, SERVICE_FIELDS)
            continue
        updated += (community.pk, row.values["name"]) in existing
        created += (community.pk, row.values["name"]) not in existing
    return [f"新建小区（楼院）{created} 个", f"更新小区（楼院）{updated} 个"]


def rows_export(scope: Scope, *, unmasked: bool = False) -> Iterator[list]:
    serving = active_services().select_related("company")
    members = OwnersCommitteeMember.objects.select_related("person").order_by("pk")
    compounds = (
        with_registry_figures(Compound.objects.filter(scope.q("community__code")))
        .prefetch_related(Prefetch("services", serving, to_attr="serving"), Prefetch("buildings", Building.objects.order_by("name").only("pk", "name")),
                          Prefetch("owners_committee__memberships", members))
        .order_by("community__code", "name")
    )
    for compound in compounds:
        committee = getattr(compound, "owners_committee", None)
        held = list(committee.memberships.all()) if committee else []

        def ids(post: str, held=held) -> str:
            return "、".join(shown_person(m.person, public_role=True, unmasked=unmasked)["id_number"] for m in held if m.post == post)

        yield [
            compound.name, compound.get_kind_display(), compound.get_mode_display(), compound.community.code,
            "、".join(b.name for b in compound.buildings.all()), compound.boundary,
            compound.serving[0].company.credit_code if compound.serving else "",
            ids(Post.DIRECTOR), ids(Post.DEPUTY), ids(Post.MEMBER), compound.households, float(compound.floor_area),
        ]
