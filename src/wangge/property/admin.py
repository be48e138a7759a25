"""The admin for Red Property's registries, each read through the scope. Persons are named by
id only (never a list of people), and a company's credit code is checked as the services do."""

from django import forms
from django.contrib import admin

from wangge.core.credit_code import credit_code_checked
from wangge.geo.admin_scope import ScopedAdmin

from .models import (
    Backstop,
    CompanyService,
    CompanyStaff,
    Compound,
    PartyInstructor,
    PropertyCompany,
)
from .services.companies import company_department_attach
from .services.compounds import boundary_checked


class CompoundForm(forms.ModelForm):
    class Meta:
        model = Compound
        fields = ("name", "kind", "mode", "community", "boundary")

    def clean_boundary(self):
        return boundary_checked(self.cleaned_data["boundary"])


@admin.register(Compound)
class CompoundAdmin(ScopedAdmin):
    form = CompoundForm
    list_display = ("name", "kind", "mode", "community")
    list_filter = ("kind", "mode")
    search_fields = ("name",)

    def scoped(self, scope):
        return Compound.objects.filter(scope.q("community__code")).select_related("community")


class CompanyForm(forms.ModelForm):
    class Meta:
        model = PropertyCompany
        fields = ("name", "credit_code", "state_owned", "subdistrict", "phone")

    def clean_credit_code(self):
        return credit_code_checked(self.cleaned_data["credit_code"], field="credit_code")


class ServiceInline(admin.TabularInline):
    model = CompanyService
    raw_id_fields = ("compound", "project_manager")
    extra = 0


class StaffInline(admin.TabularInline):
    model = CompanyStaff
    raw_id_fields = ("person",)
    extra = 0


class InstructorInline(admin.TabularInline):
    model = PartyInstructor
    raw_id_fields = ("person",)
    extra = 0


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(ScopedAdmin):
    form = CompanyForm
    list_display = ("name", "credit_code", "state_owned", "subdistrict")
    list_filter = ("state_owned",)
    search_fields = ("name", "credit_code")
    inlines = (ServiceInline, StaffInline, InstructorInline)

    def save_model(self, request, obj, form, change):
        company_department_attach(company=obj)  # it handles cases as a department of its own

    def scoped(self, scope):
        return PropertyCompany.objects.filter(scope.q("subdistrict__code")).select_related("subdistrict")


@admin.register(Backstop)
class BackstopAdmin(ScopedAdmin):
    list_display = ("subdistrict", "company", "named_on")
    raw_id_fields = ("company",)

    def scoped(self, scope):
        return Backstop.objects.filter(scope.q("subdistrict__code")).select_related("subdistrict", "company")
