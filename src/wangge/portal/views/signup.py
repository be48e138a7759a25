"""Residents signing up (居民注册): with their registered name, ID number and mobile, or with
the one-time code a grid worker handed them. The rule is people's (`services.signup`); these
pages only carry the form to it and sign the new resident in."""

from django.contrib.auth import login, password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from wangge.accounts.middleware import session_start
from wangge.core.audit import client_address
from wangge.people.services.signup import (
    CODE_LENGTH,
    SignupRefused,
    signup_by_code,
    signup_by_details,
)

from .common import crumbs, errors_of, public_context

DETAILS = ("name", "id_number", "mobile")
SECRET = ("password", "password_again")


def _page(request, template: str, *, fields: tuple[str, ...], claim, title: str, **claim_extra):
    # Passwords are never sent back into the form; the rest is, so a typo costs one field.
    values, errors, status = {name: "" for name in fields}, {}, 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in fields}
        try:
            user = claim(**values, **{name: request.POST.get(name, "") for name in SECRET}, address=client_address(request), **claim_extra)
        except ValidationError as error:
            errors, status = errors_of(error), 400
        except SignupRefused as refusal:
            errors, status = {"form": refusal.message}, 429 if refusal.limited else 400
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            session_start(request)
            return redirect("portal-signup-done")
    context = public_context(
        "services", values=values, errors=errors, code_length=CODE_LENGTH,
        password_help="；".join(password_validation.password_validators_help_texts()),
        crumbs=crumbs(("便民服务", "/services"), (title, None)),
    )
    return render(request, template, context, status=status)


@sensitive_post_parameters(*DETAILS, *SECRET)
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    return _page(request, "portal/signup.html", fields=DETAILS, claim=signup_by_details, title="居民注册")


@sensitive_post_parameters("code", *DETAILS, *SECRET)
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup_code(request):
    return _page(request, "portal/signup_code.html", fields=("code", "name", "id_number"), claim=signup_by_code, title="用注册码注册", actor=request.user)


@require_safe
@never_cache
@login_required
def signup_done(request):
    context = public_context("services", username=request.user.username, full_name=request.user.full_name, crumbs=crumbs(("便民服务", "/services"), ("注册成功", None)))
    return render(request, "portal/signup_done.html", context)
