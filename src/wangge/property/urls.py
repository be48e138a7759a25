from django.urls import path

from . import views, views_forms

urlpatterns = [
    path("property/compounds", views.compound_list, name="property-compounds"),
    path("property/compounds/<int:compound_id>", views.compound_page, name="property-compound"),
    path("property/companies", views.company_list, name="property-companies"),
    path("property/companies/<int:company_id>", views.company_page, name="property-company"),
    path("property/companies/new", views_forms.company_new, name="property-company-new"),
    path("property/companies/<int:company_id>/edit", views_forms.company_edit, name="property-company-edit"),
    path("property/compounds/<int:compound_id>/service", views_forms.service_start, name="property-service-start"),
    path("property/compounds/<int:compound_id>/service/end", views_forms.service_end, name="property-service-end"),
    path("property/companies/<int:company_id>/staff", views_forms.staff_add, name="property-staff-add"),
    path("property/companies/<int:company_id>/instructors", views_forms.instructor_send, name="property-instructor-send"),
    path("property/companies/<int:company_id>/instructors/<int:instructor_id>/end", views_forms.instructor_end, name="property-instructor-end"),
    path("property/companies/<int:company_id>/accounts", views_forms.account_grant, name="property-account-grant"),
    path("property/backstop", views_forms.backstop, name="property-backstop"),
    path("property/my-company", views.own_company, name="property-my-company"),
    path("property/platform", views.platform, name="property-platform"),
    path("property/reports/ownerless", views.ownerless_report, name="property-ownerless-report"),
    path("property/reports/party", views.party_report, name="property-party-report"),
    path("property/reports/cross-appointment", views.cross_appointment_report, name="property-cross-report"),
]
