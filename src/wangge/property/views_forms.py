"""The property office's forms: register and correct a company, assign a company to a compound.
Officials only (403 otherwise); every company, compound and subdistrict is looked up through the
caller's scope (404 otherwise); the services check and write, their errors go beside the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from wangge.people.services.persons import id_digest

from .forms import CompanyForm, CompanyRegisterForm, ServiceStartForm, errors_to_form
from .permissions import can_keep_property
from .selectors import records
from .services import companies as company_services


def _keeper(user) -> None:
    if not can_keep_property(user):
        raise PermissionDenied(company_services.REFUSED)


@login_required
def company_new(request):
    _keeper(request.user)
    form = CompanyRegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            company = company_services.company_register(
                actor=request.user, name=d["name"], credit_code=d["credit_code"], subdistrict=d["subdistrict"], state_owned=d["state_owned"], phone=d["phone"],
            )
        except ValidationError as invalid:
            errors_to_form(form, invalid)
        else:
            messages.success(request, f"已登记{company.name}")
            return redirect("property-company", company_id=company.pk)
    return render(request, "property/form.html", {"form": form, "title": "登记物业服务企业", "back": reverse("property-companies")})


@login_required
def company_edit(request, company_id: int):
    _keeper(request.user)
    company = records.company_get(request.user, company_id)
    initial = {"name": company.name, "credit_code": company.credit_code, "state_owned": company.state_owned, "phone": company.phone}
    form = CompanyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            company_services.company_update(actor=request.user, company=company, name=d["name"], credit_code=d["credit_code"], state_owned=d["state_owned"], phone=d["phone"])
        except ValidationError as invalid:
            errors_to_form(form, invalid)
        else:
            messages.success(request, "已保存企业信息")
            return redirect("property-company", company_id=company.pk)
    return render(request, "property/form.html", {"form": form, "title": f"修改企业信息：{company.name}", "back": reverse("property-company", args=[company.pk])})


@login_required
def service_start(request, compound_id: int):
    _keeper(request.user)
    compound = records.compound_get(request.user, compound_id)
    form = ServiceStartForm(request.POST or None, user=request.user, compound=compound)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        company = d["company"]
        manager = None
        if d["manager_id_number"].strip():
            # Only the chosen company's own staff are looked up: nothing else is confirmed.
            staff = company.staff.filter(person__id_digest=id_digest(d["manager_id_number"])).select_related("person").first()
            if staff is None:
                form.add_error("manager_id_number", f"该身份证号不是{company.name}登记的员工")
            else:
                manager = staff.person
        if form.is_valid():
            try:
                company_services.company_service_start(actor=request.user, company=company, compound=compound, started_on=d["started_on"], project_manager=manager)
            except ValidationError as invalid:
                errors_to_form(form, invalid)
            else:
                messages.success(request, f"{company.name}开始服务{compound.name}")
                return redirect("property-compound", compound_id=compound.pk)
    return render(request, "property/form.html", {"form": form, "title": f"指定物业服务企业：{compound.name}", "back": reverse("property-compound", args=[compound.pk])})
