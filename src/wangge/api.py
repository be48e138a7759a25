"""The JSON API: one router per app, schema at /api/openapi.json."""

from ninja import NinjaAPI

from wangge.accounts.api import resets_router as officer_resets_router
from wangge.accounts.api import router as accounts_router
from wangge.accounts.audit_api import router as audit_router
from wangge.accounts.auth import API_AUTH
from wangge.accounts.tokens_api import router as own_tokens_router
from wangge.cases.api import router as cases_router
from wangge.cases.photos_api import router as case_photos_router
from wangge.core import errors
from wangge.dashboard.api import router as stats_router
from wangge.geo.api import divisions_router, layers_router
from wangge.matching.api import router as matching_router
from wangge.matching.deliberation.api import router as deliberations_router
from wangge.matching.facilities.api import router as facilities_router
from wangge.people.api.buildings import router as buildings_router
from wangge.people.api.exports import router as exports_router
from wangge.people.api.party import router as party_router
from wangge.people.api.residents import router as residents_router
from wangge.people.api.social import router as social_router
from wangge.people.api.staff import router as staff_router
from wangge.people.api.workbooks import router as workbooks_router
from wangge.portal.api import router as portal_router
from wangge.projects.api import public_router as public_projects_router
from wangge.projects.api import router as projects_router
from wangge.projects.api_from import router as projects_from_router
from wangge.projects.api_funds import router as funds_router
from wangge.property.api import router as property_router
from wangge.property.rating.api import router as ratings_router
from wangge.redraw.api import grids_router, locate_router

api = NinjaAPI(title="网格化基层治理平台 API", version="1", auth=API_AUTH, urls_namespace="api")
errors.install(api)
# Cases first: the field app's reports are the busiest calls, and a request is matched against
# the routes in this order.
api.add_router("/cases", cases_router)
api.add_router("/cases", case_photos_router)
api.add_router("/grids", layers_router)
api.add_router("/grids", grids_router)
api.add_router("/divisions", divisions_router)
api.add_router("/locate", locate_router)
api.add_router("/buildings", buildings_router)
api.add_router("/residents", residents_router)
api.add_router("/staff", staff_router)
api.add_router("/party-organisations", party_router)
api.add_router("/social-organisations", social_router)
api.add_router("/workbooks", workbooks_router)
api.add_router("/exports", exports_router)
api.add_router("/stats", stats_router)
api.add_router("/accounts", accounts_router)
api.add_router("/officer-resets", officer_resets_router)
api.add_router("/account", own_tokens_router)
api.add_router("/audit", audit_router)
api.add_router("/portal", portal_router)
api.add_router("/property", property_router)
api.add_router("/ratings", ratings_router)
# The portal's side first: /projects/public would otherwise be read as a project's id.
api.add_router("/projects/public", public_projects_router)
api.add_router("/projects/from", projects_from_router)
api.add_router("/projects", projects_router)
api.add_router("/funds", funds_router)
api.add_router("/matching", matching_router)
api.add_router("/deliberations", deliberations_router)
api.add_router("/facilities", facilities_router)
