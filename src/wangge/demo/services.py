"""Writing the demo district into the database.

The district tree, the layer and its activation go through the same services as real data.
People and organisations are written in bulk for speed; the demo tests check that they keep
every rule the services enforce (one cadre per grid, party organisation rules, scope).
"""

from django.db import transaction

from wangge.accounts.models import Role, User
from wangge.core.audit import audit_record
from wangge.geo import services as geo_services
from wangge.geo.models import Division, Grid
from wangge.people.identity import parse_id_number
from wangge.people.models import (
    Building,
    CareCategory,
    Duty,
    GridPost,
    Household,
    PartyMembership,
    PartyOrganisation,
    Person,
    SocialActivity,
    SocialMembership,
    SocialOrganisation,
)
from wangge.people.services.persons import id_digest

from .generator import generate
from .people import DemoPeople
from .portal import demo_portal_build
from .property import demo_property_build
from .property_programme import demo_demonstrations_designate

BATCH = 2000


class DemoRefused(Exception):
    pass


def database_is_empty() -> bool:
    return not Division.objects.exists()


def _people(made: DemoPeople, buildings: list[Building]) -> dict:
    grids = {g.code: g for g in Grid.objects.filter(layer__is_active=True, level=3)}
    households = Household.objects.bulk_create(
        [Household(building=buildings[h["building"]], unit=h["unit"], room=h["room"]) for h in made.households], batch_size=BATCH
    )
    users = {
        p["user_grid"]: User(username=f"gw{p['user_grid']}", full_name=p["name"], role=Role.GRID_WORKER, scope_code=p["user_grid"], password="!")
        for p in made.persons
        if p["user_grid"]
    }
    User.objects.bulk_create(users.values(), batch_size=BATCH)
    fields = ("name", "id_number", "phone", "ethnicity", "religion", "health", "residence", "party", "retired_cadre")
    ids = [parse_id_number(p["id_number"]) for p in made.persons]
    persons = Person.objects.bulk_create(
        [
            Person(
                **{k: p[k] for k in fields},
                id_digest=id_digest(p["id_number"]),
                birth_date=parsed.birth_date,
                sex=parsed.sex,
                household=households[p["household"]] if p["household"] is not None else None,
                user=users.get(p["user_grid"]),
            )
            for p, parsed in zip(made.persons, ids, strict=True)
        ],
        batch_size=BATCH,
    )
    care = {c.code: c for c in CareCategory.objects.all()}
    Person.care_categories.through.objects.bulk_create(
        [Person.care_categories.through(person=persons[i], carecategory=care[code]) for i, p in enumerate(made.persons) for code in p["care"]],
        batch_size=BATCH,
    )
    duties = {d.code: d for d in Duty.objects.all()}
    GridPost.objects.bulk_create(
        [GridPost(grid=grids[p["grid_code"]], person=persons[p["person"]], role=p["role"], duty=duties.get(p["duty"])) for p in made.posts],
        batch_size=BATCH,
    )
    organisations = PartyOrganisation.objects.bulk_create(
        [
            PartyOrganisation(name=o["name"], kind=o["kind"], community=grids[o["grid_code"]].community, secretary=persons[o["secretary"]])
            for o in made.party_organisations
        ]
    )
    PartyOrganisation.grids.through.objects.bulk_create(
        [PartyOrganisation.grids.through(partyorganisation=org, grid=grids[o["grid_code"]]) for org, o in zip(organisations, made.party_organisations, strict=True)]
    )
    PartyMembership.objects.bulk_create(
        [PartyMembership(organisation=org, person=persons[i]) for org, o in zip(organisations, made.party_organisations, strict=True) for i in o["members"]],
        batch_size=BATCH,
    )
    communities = {d.code: d for d in Division.objects.filter(kind=Division.Kind.COMMUNITY)}
    socials = SocialOrganisation.objects.bulk_create(
        [SocialOrganisation(name=o["name"], bond=o["bond"], status=o["status"], community=communities[o["community_code"]]) for o in made.social_organisations]
    )
    pairs = list(zip(socials, made.social_organisations, strict=True))
    SocialOrganisation.grids.through.objects.bulk_create(
        [SocialOrganisation.grids.through(socialorganisation=org, grid=grids[code]) for org, o in pairs for code in o["grids"]], batch_size=BATCH
    )
    SocialMembership.objects.bulk_create(
        [SocialMembership(organisation=org, person=persons[i], role=role) for org, o in pairs for i, role in o["members"]], batch_size=BATCH
    )
    SocialActivity.objects.bulk_create([SocialActivity(organisation=org, **a) for org, o in pairs for a in o["activities"]], batch_size=BATCH)
    return {"persons": len(persons), "posts": len(made.posts), "party_organisations": len(organisations), "social_organisations": len(socials)}


@transaction.atomic
def demo_build(*, seed: int = 410104) -> dict:
    """Build the demo district in an empty database; returns what was made."""
    if not database_is_empty():
        raise DemoRefused("数据库中已有区划数据，演示区只能建在空数据库中")
    demo = generate(seed)
    saved: dict[str, Division] = {}
    for row in demo.divisions:
        saved[row["code"]] = Division.objects.create(
            code=row["code"], name=row["name"], kind=row["kind"], parent=saved.get(row["parent"]), geometry=row["geometry"]
        )
    buildings = Building.objects.bulk_create(
        [
            Building(community=saved[b["community_code"]], **{k: b[k] for k in ("grid_code", "compound", "name", "address", "lon", "lat", "households", "population")})
            for b in demo.buildings
        ],
        batch_size=1000,
    )
    features = geo_services.layer_parse(data=demo.feature_collection(), crs="wgs84")
    layer = geo_services.grid_layer_import(features=features, name=f"演示网格图层（种子 {seed}）", crs="wgs84")
    geo_services.grid_layer_activate(layer=layer, reason="演示区初始化")
    made = _people(demo.people, buildings)
    made["property"] = demo_property_build()
    made["portal"] = demo_portal_build(seed=seed)  # news, notices, disclosures and needs
    made["demonstrations"] = demo_demonstrations_designate()  # last: unless another part of the demo designated its own
    audit_record(action="demo.built", object_type="demo", object_id=str(seed), after=made)
    return {"layer": layer.pk, "divisions": len(saved), "grids": len(features), "buildings": len(demo.buildings), **made}
