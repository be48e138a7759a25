"""The public site's pages."""

from django.urls import path

from .views import disclosures, home, news, reports, resident, search, signup

urlpatterns: list = [
    path("", home.home, name="portal-home"),
    path("news", news.news_centre, name="portal-news"),
    path("news/<int:pk>", news.article_page, name="portal-article"),
    path("news/<int:pk>/view", news.article_view, name="portal-article-view"),
    path("news/<slug:code>", news.section_page, name="portal-section"),
    path("disclosures", disclosures.disclosure_list, name="portal-disclosures"),
    path("disclosures/<int:pk>", disclosures.disclosure_page, name="portal-disclosure"),
    path("disclosures/<int:pk>/objections", disclosures.objection_post, name="portal-objection"),
    path("search", search.search, name="portal-search"),
    path("services", resident.services, name="portal-services"),
    path("services/need", resident.need, name="portal-need"),
    path("follow", resident.follow, name="portal-follow"),
    path("reports", reports.reports_map, name="portal-reports"),
    path("signup", signup.signup, name="portal-signup"),
    path("signup/code", signup.signup_code, name="portal-signup-code"),
    path("signup/done", signup.signup_done, name="portal-signup-done"),
]
