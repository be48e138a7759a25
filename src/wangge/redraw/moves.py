"""Grid staff, party and social organisations and grid workers' scopes carried from the grids
of one layer onto those of another, keeping the rules of this app.

The caller (`reattach`) decides which new grid takes over each old grid.
Whatever stood on an old grid follows it, so that a grid's team stays together; where that would
break a rule the plan chooses, and says why in Chinese:

- 一格一干: a grid has one full-time grid worker and one grid leader. When a new grid already
  has one (two old grids ended up in one new grid), the later comer serves it as deputy grid
  leader (副网格长) until the community posts them again; old grids that found a new grid of
  their own go first, then by old grid code. The worker's account follows the post.
- A post the person already holds on the new grid is not doubled: the duplicate is dropped.
- A party branch or group serves one grid, and a grid has one party organisation: one that
  finds its new grid taken is left without a grid for the community's party committee to merge
  or re-form (the party report lists it), rather than being merged here.
"""

from django.db import transaction

from wangge.accounts.models import User
from wangge.people.models import GridPost, PartyOrganisation, SocialOrganisation

SINGLE_ROLES = (GridPost.Role.FULL_TIME, GridPost.Role.LEADER)
_ROLE_ORDER = {GridPost.Role.LEADER: 0, GridPost.Role.FULL_TIME: 1, GridPost.Role.DEPUTY: 2, GridPost.Role.SPECIALIST: 3, GridPost.Role.GROUP: 4}
PartyKind = PartyOrganisation.Kind


def inputs_rows(*, old_ids: list[int], new_ids: list[int], old_codes: list[str]) -> dict:
    """Everything a plan depends on, for its digest: a plan made from other rows is stale."""
    grids = old_ids + new_ids
    return {
        "posts": list(GridPost.objects.filter(grid_id__in=grids).order_by("pk").values_list("pk", "grid_id", "person_id", "role", "duty_id")),
        "party": list(PartyOrganisation.grids.through.objects.filter(grid_id__in=grids).order_by("pk").values_list("partyorganisation_id", "grid_id")),
        "party_kinds": list(PartyOrganisation.objects.filter(grids__in=old_ids).order_by("pk").values_list("pk", "kind").distinct()),
        "social": list(SocialOrganisation.grids.through.objects.filter(grid_id__in=old_ids).order_by("pk").values_list("socialorganisation_id", "grid_id")),
        "users": list(User.objects.filter(scope_code__in=old_codes).order_by("pk").values_list("pk", "scope_code")),
    }


def _item(kind, pk, label, old, new, share, action="move", note="") -> dict:
    return {"kind": kind, "id": pk, "label": label, "old": old, "new": new, "share": share, "action": action, "note": note}


def moves_plan(*, targets: dict[int, dict], order: list[int], new_ids: list[int]) -> list[dict]:
    """The moves of everything on the old grids. `targets` maps an old grid's id to
    {"old": code, "grid": new grid id, "code": new code, "share": float}; `order` lists the
    old grid ids in the order their claims are served."""
    rank = {grid_id: i for i, grid_id in enumerate(order)}
    return (
        _post_moves(targets, rank, new_ids)
        + _party_moves(targets, rank, new_ids)
        + _social_moves(targets)
        + _user_moves(targets)
    )


def _post_moves(targets, rank, new_ids) -> list[dict]:
    present = GridPost.objects.filter(grid_id__in=new_ids)
    held = {(p.grid_id, p.role) for p in present if p.role in SINGLE_ROLES}
    cadres = {p.person_id for p in present if p.role == GridPost.Role.FULL_TIME}
    keys = {(p.grid_id, p.person_id, p.role, p.duty_id) for p in present}
    posts = list(GridPost.objects.filter(grid_id__in=list(targets)).select_related("person"))
    posts.sort(key=lambda p: (rank[p.grid_id], _ROLE_ORDER[p.role], p.pk))
    items = []
    for post in posts:
        target = targets[post.grid_id]
        grid, role, note, action = target["grid"], post.role, "", "move"
        label = f"{post.person.name}（{post.get_role_display()}）"
        if role in SINGLE_ROLES and ((grid, role) in held or (role == GridPost.Role.FULL_TIME and post.person_id in cadres)):
            title = GridPost.Role(role).label
            role, action = GridPost.Role.DEPUTY, "demote"
            note = f"新网格 {target['code']} 已有{title}（一格一干），转任副网格长，待社区重新安排"
        key = (grid, post.person_id, role, post.duty_id)
        if key in keys:
            action, note = "drop", f"已在新网格 {target['code']} 担任同一岗位，重复的岗位删除"
        else:
            keys.add(key)
            if role in SINGLE_ROLES:
                held.add((grid, role))
                if role == GridPost.Role.FULL_TIME:
                    cadres.add(post.person_id)
        items.append({**_item("post", post.pk, label, target["old"], target["code"], target["share"], action, note), "grid": grid, "role": role})
    return items


def _party_moves(targets, rank, new_ids) -> list[dict]:
    taken = set(PartyOrganisation.grids.through.objects.filter(grid_id__in=new_ids).values_list("grid_id", flat=True))
    links: dict[int, list[int]] = {}
    for org_id, grid_id in PartyOrganisation.grids.through.objects.filter(grid_id__in=list(targets)).values_list("partyorganisation_id", "grid_id"):
        links.setdefault(org_id, []).append(grid_id)
    organisations = PartyOrganisation.objects.in_bulk(list(links))
    items = []
    for org_id in sorted(links, key=lambda o: (min(rank[g] for g in links[o]), o)):
        org = organisations[org_id]
        old = sorted(links[org_id], key=rank.get)
        wanted = list(dict.fromkeys(targets[g]["grid"] for g in old))
        kept = [g for g in wanted if g not in taken]
        first = targets[old[0]]
        codes = "、".join(targets[g]["old"] for g in old)
        note, action = "", "move"
        if not kept:
            action, note = "detach", "新网格已有党组织（一个网格只设一个党组织）：暂不挂靠网格，须由社区党委决定合并或重新组建"
        elif org.kind == PartyKind.JOINT_BRANCH and len(kept) < 2:
            note = "联合党支部只剩一个网格，须由社区党委调整组织形式"
        elif len(kept) < len(wanted):
            note = "部分新网格已有党组织，只挂靠其余网格"
        taken.update(kept)
        code_of = {targets[g]["grid"]: targets[g]["code"] for g in old}
        new_codes = "、".join(code_of[g] for g in kept)
        items.append({**_item("party", org_id, org.name, codes, new_codes or None, first["share"], action, note), "grids": kept})
    return items


def _social_moves(targets) -> list[dict]:
    links: dict[int, list[int]] = {}
    for org_id, grid_id in SocialOrganisation.grids.through.objects.filter(grid_id__in=list(targets)).values_list("socialorganisation_id", "grid_id"):
        links.setdefault(org_id, []).append(grid_id)
    names = dict(SocialOrganisation.objects.filter(pk__in=list(links)).values_list("pk", "name"))
    items = []
    for org_id in sorted(links):
        old = sorted(links[org_id], key=lambda g: targets[g]["old"])
        grids = list(dict.fromkeys(targets[g]["grid"] for g in old))
        codes = list(dict.fromkeys(targets[g]["code"] for g in old))
        items.append({
            **_item("social", org_id, names[org_id], "、".join(targets[g]["old"] for g in old), "、".join(codes), targets[old[0]]["share"]),
            "grids": grids,
        })
    return items


def _user_moves(targets) -> list[dict]:
    by_code = {t["old"]: t for t in targets.values()}
    # A full-time grid worker's scope is the grid of their post: the post's grid decides.
    posted = dict(
        GridPost.objects.filter(grid_id__in=list(targets), role=GridPost.Role.FULL_TIME, person__user__isnull=False).values_list("person__user_id", "grid_id")
    )
    users = User.objects.filter(scope_code__in=list(by_code)) | User.objects.filter(pk__in=list(posted))
    items = []
    for user in users.order_by("pk"):
        target = targets[posted[user.pk]] if user.pk in posted else by_code[user.scope_code]
        items.append({**_item("user", user.pk, f"{user.full_name or user.username}（{user.username}）", user.scope_code, target["code"], target["share"]), "scope": target["code"]})
    return items


def left_behind(*, grids: dict[int, str]) -> dict[str, list[str]]:
    """What stands on the old grids `grids` (id -> code), named, by grid code: grids with
    nothing on them are left out."""
    found: dict[str, list[str]] = {}
    for post in GridPost.objects.filter(grid_id__in=list(grids)).select_related("person").order_by("grid_id", "role", "pk"):
        found.setdefault(grids[post.grid_id], []).append(f"{post.person.name}（{post.get_role_display()}）")
    for model, what in ((PartyOrganisation, "党组织"), (SocialOrganisation, "社会组织")):
        for grid_id, name in model.grids.through.objects.filter(grid_id__in=list(grids)).order_by("pk").values_list("grid_id", f"{model._meta.model_name}__name"):
            found.setdefault(grids[grid_id], []).append(f"{what} {name}")
    for code, username in User.objects.filter(scope_code__in=list(grids.values())).order_by("pk").values_list("scope_code", "username"):
        found.setdefault(code, []).append(f"账号 {username} 的数据范围")
    return found


@transaction.atomic
def moves_apply(*, items: list[dict], old_ids: list[int]) -> dict[str, int]:
    """Write the moves of a plan; the caller has checked that the plan is current."""
    posts = {i["id"]: i for i in items if i["kind"] == "post"}
    GridPost.objects.filter(pk__in=[pk for pk, i in posts.items() if i["action"] == "drop"]).delete()
    moved = list(GridPost.objects.filter(pk__in=[pk for pk, i in posts.items() if i["action"] != "drop"]))
    for post in moved:
        post.grid_id, post.role = posts[post.pk]["grid"], posts[post.pk]["role"]
    GridPost.objects.bulk_update(moved, ["grid", "role"], batch_size=1000)
    for kind, model, column in (("party", PartyOrganisation, "partyorganisation_id"), ("social", SocialOrganisation, "socialorganisation_id")):
        through = model.grids.through
        chosen = [i for i in items if i["kind"] == kind]
        through.objects.filter(**{f"{column}__in": [i["id"] for i in chosen]}, grid_id__in=old_ids).delete()
        through.objects.bulk_create([through(**{column: i["id"], "grid_id": g}) for i in chosen for g in i["grids"]], ignore_conflicts=True)
    scopes = {i["id"]: i["scope"] for i in items if i["kind"] == "user"}
    users = list(User.objects.filter(pk__in=list(scopes)))
    for user in users:
        user.scope_code = scopes[user.pk]
    User.objects.bulk_update(users, ["scope_code"], batch_size=1000)
    counts: dict[str, int] = {}
    for item in items:
        counts[f"{item['kind']}.{item['action']}"] = counts.get(f"{item['kind']}.{item['action']}", 0) + 1
    return counts
