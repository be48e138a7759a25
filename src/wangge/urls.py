from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from wangge.api import api
from wangge.geo import views as geo_views

admin.site.site_header = "网格化基层治理平台"
admin.site.site_title = "网格化基层治理平台"
admin.site.index_title = "数据维护"

urlpatterns = [
    path("", RedirectView.as_view(url="/grids", permanent=False)),
    path("grids", geo_views.grid_map, name="grid-map"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
