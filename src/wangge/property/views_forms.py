"""The property office's forms: register and correct a company, assign a company to a compound
and end its service, name a subdistrict's backstop, add a company's staff, send and recall its
instructors, and let a company's account sign in for it. Officials only (403 otherwise); every company,
compound and subdistrict is looked up through the caller's scope (404 otherwise); the services
check and write, their errors go beside the fields."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from wangge.accounts.models import Role, User
from wangge.people.services.persons import id_digest

from .forms import (
    BackstopForm,
    CompanyAccountForm,
    CompanyForm,
    CompanyRegisterForm,
    InstructorEndForm,
    InstructorForm,
    ServiceEndForm,
    ServiceStartForm,
    StaffForm,
    errors_to_form,
)
from .permissions import require_property_keeper
from .selectors import records
from .services import companies as company_services
from .services import party as party_services


def _posted(request):
    # An empty POST (every field optional and left blank) is still a submission.
    return request.POST if request.method == "POST" else None


def _kept_company(request, company_id: int):
    """A company of the caller's scope (403 to those who may not keep it, 404 out of scope) and its page."""
    require_property_keeper(request.user)
    company = records.company_get(request.user, company_id)
    return company, reverse("property-company", args=[company.pk])


def _kept_compound(request, compound_id: int):
    require_property_keeper(request.user)
    compound = records.compound_get(request.user, compound_id)
    return compound, reverse("property-compound", args=[compound.pk])


def _form_page(request, form: forms.Form, *, title: str, back: str, save: Callable[[dict], tuple[str, str]]):
    """The form, and on a valid POST `save(cleaned_data)` → (what was done, where to go); a
    service's `ValidationError` is shown beside its fields and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            done, to = save(form.cleaned_data)
        except ValidationError as invalid:
            errors_to_form(form, invalid)
        else:
            messages.success(request, done)
            return redirect(to)
    return render(request, "property/form.html", {"form": form, "title": title, "back": back})


@login_required
def company_new(request):
    require_property_keeper(request.user)

    def save(d):
        company = company_services.company_register(
            actor=request.user, name=d["name"], credit_code=d["credit_code"], subdistrict=d["subdistrict"], state_owned=d["state_owned"], phone=d["phone"],
        )
        return f"已登记{company.name}", reverse("property-company", args=[company.pk])

    form = CompanyRegisterForm(_posted(request), user=request.user)
    return _form_page(request, form, title="登记物业服务企业", back=reverse("property-companies"), save=save)


@login_required
def company_edit(request, company_id: int):
    company, back = _kept_company(request, company_id)

    def save(d):
        company_services.company_update(actor=request.user, company=company, name=d["name"], credit_code=d["credit_code"], state_owned=d["state_owned"], phone=d["phone"])
        return "已保存企业信息", back

    initial = {"name": company.name, "credit_code": company.credit_code, "state_owned": company.state_owned, "phone": company.phone}
    return _form_page(request, CompanyForm(_posted(request), initial=initial), title=f"修改企业信息：{company.name}", back=back, save=save)


@login_required
def service_start(request, compound_id: int):
    compound, back = _kept_compound(request, compound_id)

    def save(d):
        company, manager = d["company"], None
        if d["manager_id_number"].strip():
            # Only the chosen company's own staff are looked up: nothing else is confirmed.
            staff = company.staff.filter(person__id_digest=id_digest(d["manager_id_number"])).select_related("person").first()
            if staff is None:
                raise ValidationError({"manager_id_number": f"该身份证号不是{company.name}登记的员工"})
            manager = staff.person
        company_services.company_service_start(actor=request.user, company=company, compound=compound, started_on=d["started_on"], project_manager=manager)
        return f"{company.name}开始服务{compound.name}", back

    form = ServiceStartForm(_posted(request), user=request.user)
    return _form_page(request, form, title=f"指定物业服务企业：{compound.name}", back=back, save=save)


@login_required
def service_end(request, compound_id: int):
    compound, back = _kept_compound(request, compound_id)

    def save(d):
        ended = company_services.company_service_end(actor=request.user, compound=compound, ended_on=d["ended_on"])
        return f"{ended.company.name}已终止服务{compound.name}", back

    return _form_page(request, ServiceEndForm(_posted(request)), title=f"终止物业服务：{compound.name}", back=back, save=save)


@login_required
def backstop(request):
    require_property_keeper(request.user)

    def save(d):
        company_services.backstop_name(actor=request.user, subdistrict=d["subdistrict"], company=d["company"])
        return f"{d['company'].name}承担{d['subdistrict'].name}的托底服务", f"{reverse('property-platform')}?subdistrict={d['subdistrict'].code}"

    form = BackstopForm(_posted(request), user=request.user)
    return _form_page(request, form, title="指定托底物业企业", back=reverse("property-platform"), save=save)


@login_required
def staff_add(request, company_id: int):
    company, back = _kept_company(request, company_id)

    def save(d):
        staff = company_services.company_staff_save(actor=request.user, company=company, person=records.registered_person(request.user, d["id_number"]), post=d["post"])
        return f"{staff.person.name}已登记为{company.name}的{staff.get_post_display()}", back

    return _form_page(request, StaffForm(_posted(request)), title=f"登记企业员工：{company.name}", back=back, save=save)


@login_required
def instructor_send(request, company_id: int):
    company, back = _kept_company(request, company_id)

    def save(d):
        instructor = party_services.party_instructor_send(
            actor=request.user, company=company, person=records.registered_person(request.user, d["id_number"]), sent_by=d["sent_by"], started_on=d["started_on"],
        )
        return f"{instructor.person.name}已选派为{company.name}的党建指导员", back

    form = InstructorForm(_posted(request), user=request.user)
    return _form_page(request, form, title=f"选派党建指导员：{company.name}", back=back, save=save)


@login_required
def instructor_end(request, company_id: int, instructor_id: int):
    company, back = _kept_company(request, company_id)
    instructor = get_object_or_404(company.party_instructors.filter(ended_on__isnull=True).select_related("person"), pk=instructor_id)

    def save(d):
        party_services.party_instructor_end(actor=request.user, instructor=instructor, ended_on=d["ended_on"])
        return f"{instructor.person.name}在{company.name}的党建指导员选派已结束", back

    return _form_page(request, InstructorEndForm(_posted(request)), title=f"结束选派：{instructor.person.name}（{company.name}）", back=back, save=save)


@login_required
def account_grant(request, company_id: int):
    company, back = _kept_company(request, company_id)

    def save(d):
        # Only accounts opened for property companies are looked up; any other answers alike.
        user = User.objects.filter(username=d["username"].strip(), role=Role.PROPERTY_COMPANY, is_active=True).first()
        if user is None:
            raise ValidationError({"username": "没有该用户名的物业服务企业账号"})
        company_services.company_account_grant(actor=request.user, company=company, user=user)
        return f"账号「{user.username}」可以登录{company.name}", back

    return _form_page(request, CompanyAccountForm(_posted(request)), title=f"授权企业账号：{company.name}", back=back, save=save)
