"""Service facilities in the back office: the list in scope by kind, and one form to add or
change a facility; the service's refusals are shown beside the form in Chinese."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wangge.core.tables import table_page
from wangge.geo.selectors import node_names

from ..deliberation.selectors import communities_kept
from ..models_facilities import Facility
from . import selectors, services
from .permissions import require_facility_keeper

FIELDS = ("kind_code", "name", "community_code", "lon", "lat", "address", "hours", "capacity", "project_number", "status")


@login_required
def facility_list(request):
    require_facility_keeper(request.user)
    kind = request.GET.get("kind", "")
    rows = selectors.facilities_visible(request.user)
    if kind:
        rows = rows.filter(kind__code=kind)
    table = table_page(request, rows, search=("name", "address"))
    names = node_names({f.community_code for f in table.page})
    return render(request, "matching/facilities/list.html", {
        "table": table, "rows": [(f, names.get(f.community_code, f.community_code)) for f in table.page], "kinds": selectors.kind_list(), "kind": kind,
    })


def _values(post) -> dict:
    values = {name: post.get(name, "").strip() for name in FIELDS}
    for name in ("lon", "lat"):
        try:
            values[name] = float(values[name])
        except ValueError:
            pass  # the service names the field
    values["capacity"] = int(values["capacity"]) if values["capacity"].isdigit() and len(values["capacity"]) < 9 else (values["capacity"] or None)
    return values


def _shown(facility: Facility | None) -> dict:
    if facility is None:
        return {"status": Facility.Status.OPEN}
    return {
        "kind_code": facility.kind.code, "name": facility.name, "community_code": facility.community_code, "lon": facility.lon, "lat": facility.lat,
        "address": facility.address, "hours": facility.hours, "capacity": facility.capacity or "", "project_number": facility.project_number, "status": facility.status,
    }


@login_required
@require_http_methods(["GET", "POST"])
def facility_form(request, facility_id: int | None = None):
    require_facility_keeper(request.user)
    facility = selectors.facility_get(request.user, facility_id) if facility_id is not None else None
    values, errors = _shown(facility), {}
    if request.method == "POST":
        values = _values(request.POST)
        try:
            saved = services.facility_save(actor=request.user, facility=facility, **values)
        except ValidationError as error:
            errors = {field: "；".join(messages_) for field, messages_ in error.message_dict.items()} if hasattr(error, "error_dict") else {"form": "；".join(error.messages)}
        except PermissionDenied as error:
            errors = {"form": str(error)}
        else:
            messages.success(request, "已保存")
            return redirect("facility-edit", facility_id=saved.pk)
    return render(request, "matching/facilities/form.html", {
        "facility": facility, "values": values, "errors": errors, "kinds": selectors.kind_list(), "statuses": Facility.Status.choices,
        "communities": communities_kept(request.user),
    }, status=400 if errors else 200)
