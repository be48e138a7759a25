"""The portal's pages: the public site (news, disclosures, resident services, search) and the
back office where pieces are written, reviewed and published."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("wangge.portal.public_urls")),
    path("portal/", include("wangge.portal.office_urls")),
]
