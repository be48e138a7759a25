"""Objections to a project in notice (异议): lodged by anyone on the portal while the notice is
shown, answered by an official over the project's community. They are the portal's objections
to the project's notice (one mechanism, one page for residents); the project's filing waits
for every answer (`services.projects`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.portal.models import Objection
from wangge.portal.objections import objection_answer, objection_submit

from ..models import Project, Status
from ..permissions import covers


@transaction.atomic
def project_objection_lodge(*, project: Project, text: str, name: str = "", phone: str = "", user=None) -> Objection:
    project = Project.objects.select_related("notice").get(pk=project.pk)
    if project.status != Status.NOTICE or project.notice is None or project.notice_ends_at is None or timezone.now() >= project.notice_ends_at:
        raise ValidationError({"text": "该项目不在公示期内，不能提出异议"})
    return objection_submit(disclosure=project.notice, text=text, name=name, phone=phone, user=user)


@transaction.atomic
def project_objection_answer(*, project: Project, objection: Objection, actor, answer: str) -> Objection:
    if actor is None or not covers(actor, project.community_code):
        raise PermissionDenied("没有权限答复该异议")
    objection = Objection.objects.select_for_update().select_related("disclosure").get(pk=objection.pk)
    return objection_answer(objection=objection, actor=actor, answer=answer)
