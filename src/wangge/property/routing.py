"""Property cases to the compound's company: the router cases asks when a case is accepted
(`wangge.cases.routing`), registered from this app's `ready()`."""

from wangge.cases.models import Case
from wangge.cases.routing import Route

from .locating import compound_at
from .models import Compound, PropertyCompany
from .selectors.records import active_services, backstop_of


def handling_company(compound: Compound) -> PropertyCompany | None:
    """Who handles a compound's property cases: the company serving it now, or, for an
    ownerless compound none serves, its subdistrict's backstop company."""
    service = active_services().filter(compound=compound).select_related("company__department").first()
    if service is not None:
        return service.company
    if compound.mode == Compound.Mode.OWNERLESS and (backstop := backstop_of(compound.community.parent_id)):
        return backstop.company
    return None


def property_route(case: Case) -> Route | None:
    if not case.category.concerns_property:
        return None
    compound_id = compound_at(case.lon, case.lat, within=case.grid_code[:9])
    if compound_id is None:
        return None
    compound = Compound.objects.select_related("community").get(pk=compound_id)
    company = handling_company(compound)
    if company is None or company.department is None:
        return None
    return Route(company.department, f"{compound.get_kind_display()}「{compound.name}」的物业事项，由{company.name}承办")
