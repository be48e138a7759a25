"""Writes to deliberations (一征三议两公开). Each step is refused without its evidence: no
opinions, no proposal; no consultation, no meeting; no quorum, no resolution; no end of
publicity (or an objection still unanswered), no implementing. Every move goes through
`workflow_move`, so each is kept with who, when and why."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from wangge.core.publication import Publication, publish, unanswered_objections
from wangge.core.receipts import save_numbered
from wangge.core.workflow import Move, workflow_move
from wangge.geo.models import Division
from wangge.geo.scope import scope_of

from ..models_deliberation import Consultation, Deliberation, Meeting, Opinion
from . import rules
from .permissions import require_deliberation_keeper, require_in_scope, require_proposer
from .workflow import DELIBERATION

S = Deliberation.Status
PUBLICITY_DAYS = 7
MAX_PUBLICITY_DAYS = 30
MAX_TEXT = 5000
RESULT_SHOWN_DAYS = 30


def _text(value: str, field: str, label: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 字"})
    return value


def _at_status(deliberation: Deliberation, status: str, refusal: str) -> Deliberation:
    """The stored row, locked, refused unless it stands at `status` (a stale page is judged on what is stored)."""
    stored = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if stored.status != status:
        raise ValidationError({"status": f"{refusal}（当前环节：{stored.get_status_display()}）"})
    return stored


@transaction.atomic
def deliberation_open(*, actor, title: str, matter: str, community_code: str) -> Deliberation:
    """Open a community matter for deliberation; it starts by soliciting opinions."""
    if actor is not None:
        require_deliberation_keeper(actor)
    community = Division.objects.filter(kind=Division.Kind.COMMUNITY, code=community_code or "").first()
    # A community out of scope reads as one that does not exist.
    if community is None or (actor is not None and not actor.is_superuser and not scope_of(actor).covers(community.code)):
        raise ValidationError({"community_code": "请选择所辖社区"})
    deliberation = Deliberation(
        title=_text(title, "title", "议题", max_length=100), matter=_text(matter, "matter", "事项说明"), community_code=community.code, created_by=actor,
    )
    deliberation = save_numbered(deliberation, prefix="YS")
    DELIBERATION.history.objects.create(deliberation=deliberation, from_status="", to_status=S.SOLICITING, actor=actor, at=timezone.now(), reason="发起议事")
    return deliberation


@transaction.atomic
def opinion_add(*, actor, deliberation: Deliberation, address: str, summary: str, name: str = "", at: datetime | None = None) -> Opinion:
    """One household's opinion (入户征求意见), only while opinions are being solicited."""
    require_in_scope(actor, deliberation.community_code)
    stored = _at_status(deliberation, S.SOLICITING, "征集意见环节已结束，不能再登记意见")
    opinion = Opinion(
        deliberation=stored, address=_text(address, "address", "户址", max_length=200), summary=_text(summary, "summary", "意见摘要"),
        name=_text(name, "name", "姓名", required=False, max_length=50), gathered_by=actor, at=at or timezone.now(),
    )
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def consultation_add(*, actor, deliberation: Deliberation, unit: str, summary: str, minutes: str = "", at: datetime | None = None) -> Consultation:
    """The committees' consultation of one unit concerned (商议), after the proposal."""
    require_in_scope(actor, deliberation.community_code)
    stored = _at_status(deliberation, S.PROPOSED, "须在提议之后、完成商议之前登记商议记录")
    consultation = Consultation(
        deliberation=stored, unit=_text(unit, "unit", "参与单位", max_length=100), summary=_text(summary, "summary", "商议要点"),
        minutes=_text(minutes, "minutes", "会议纪要", required=False), recorded_by=actor, at=at or timezone.now(),
    )
    consultation.full_clean()
    consultation.save()
    return consultation


def _count(value, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: f"{label}应为不小于 0 的整数"})
    return value


def _votes_checked(members, present, votes_for, votes_against, votes_abstain) -> tuple[int, int, int, int, int]:
    members = _count(members, "members", "应到人数")
    if members < 1:
        raise ValidationError({"members": "应到人数至少为 1 人"})
    present = _count(present, "present", "实到人数")
    if present > members:
        raise ValidationError({"present": f"实到人数（{present}）不能多于应到人数（{members}）"})
    votes = (_count(votes_for, "votes_for", "赞成票"), _count(votes_against, "votes_against", "反对票"), _count(votes_abstain, "votes_abstain", "弃权票"))
    if sum(votes) > present:
        raise ValidationError({"votes_for": f"赞成、反对、弃权合计（{sum(votes)}）不能多于实到人数（{present}）"})
    return members, present, *votes


@transaction.atomic
def meeting_record(
    *, actor, deliberation: Deliberation, kind: str, held_on: date, members: int, present: int, votes_for: int = 0, votes_against: int = 0,
    votes_abstain: int = 0, minutes: str = "", attendance: str = "", resolution: str = "",
) -> Meeting:
    """Record one sitting on the consulted proposal. With quorum and a majority the deliberation is
    resolved (its resolution the proposal, unless the sitting amended its words); with quorum and
    no majority it is not adopted; without quorum the sitting is kept and nothing moves, so the
    matter must be put to a new sitting."""
    require_in_scope(actor, deliberation.community_code)
    stored = _at_status(deliberation, S.CONSULTED, "须先完成商议，才能提交居民会议表决")
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": "请选择会议类型：居民会议或居民代表会议"})
    if not isinstance(held_on, date) or held_on > timezone.localdate():
        raise ValidationError({"held_on": "请填写已召开的会议日期"})
    members, present, votes_for, votes_against, votes_abstain = _votes_checked(members, present, votes_for, votes_against, votes_abstain)
    outcome = rules.quorum(members, present, votes_for)
    meeting = Meeting(
        deliberation=stored, kind=kind, held_on=held_on, members=members, present=present, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, minutes=_text(minutes, "minutes", "会议记录", required=False), attendance=_text(attendance, "attendance", "签到名单", required=False),
        outcome=outcome.value, recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    resolution = _text(resolution, "resolution", "决议内容", required=False) or stored.proposal
    sitting = f"{meeting.get_kind_display()}（{held_on:%Y-%m-%d}）：应到 {members} 人，实到 {present} 人，赞成 {votes_for}、反对 {votes_against}、弃权 {votes_abstain}"
    if outcome == rules.Outcome.ADOPTED:
        def resolved(obj, move, now):
            obj.resolution = resolution
            return ["resolution"]

        workflow_move(DELIBERATION, stored, to=S.RESOLVED, actor=actor, may=_by_meeting, change=resolved, reason=sitting)
    elif outcome == rules.Outcome.NOT_ADOPTED:
        workflow_move(DELIBERATION, stored, to=S.NOT_ADOPTED, actor=actor, may=_by_meeting, reason=f"{sitting}；{rules.not_adopted_note(present, votes_for)}")
    return meeting


def _by_meeting(move: Move, obj: Deliberation) -> None:
    return None  # the sitting's vote decided it; who may record a sitting was checked before


def _published(deliberation: Deliberation, *, kind: str, title: str, body: str, days: int, actor, now: datetime) -> str:
    return publish(
        Publication(
            kind=kind, subject_type="deliberation", subject_id=str(deliberation.pk), title=title, body=body, area_code=deliberation.community_code,
            shown_from=now, shown_until=now + timedelta(days=days),
        ),
        actor=actor,
    )


def resolution_body(deliberation: Deliberation) -> str:
    """The resolution's disclosure, generated from the deliberation's records."""
    meeting = deliberation.meetings.filter(outcome=Meeting.Outcome.ADOPTED).order_by("-held_on", "-pk").first()
    units = format_html_join("、", "{}", ((c.unit,) for c in deliberation.consultations.all()))
    return format_html(
        "<h2>议题</h2><p>{}</p><p>{}</p><h2>决议</h2><p>{}</p>"
        "<h2>议事过程</h2><ul><li>征集意见：入户征集 {} 户</li><li>商议：{}</li>"
        "<li>表决：{} {}，应到 {} 人，实到 {} 人，赞成 {} 人，反对 {} 人，弃权 {} 人</li></ul>"
        "<p>公示期内如有异议，可在本页提出。</p>",
        deliberation.title, deliberation.matter, deliberation.resolution, deliberation.opinions.count(), units or "—",
        meeting.get_kind_display(), f"{meeting.held_on:%Y年%m月%d日}", meeting.members, meeting.present, meeting.votes_for, meeting.votes_against,
        meeting.votes_abstain,
    )


def _days_checked(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_PUBLICITY_DAYS:
        raise ValidationError({"days": f"公示期应为 1 至 {MAX_PUBLICITY_DAYS} 天"})
    return days


def _evidence(actor, text: str, days: int):
    """What each move needs before it is made, and what it changes."""

    def change(obj: Deliberation, move: Move, now: datetime) -> list[str]:
        if move.target == S.PROPOSED:
            if not obj.opinions.exists():
                raise ValidationError({"to": "须先征集意见：至少登记一户居民的意见才能提议"})
            obj.proposal = _text(text, "text", "提议内容")
            return ["proposal"]
        if move.target == S.CONSULTED and not obj.consultations.exists():
            raise ValidationError({"to": "须先商议：至少登记一次与相关单位的商议记录"})
        if move.target == S.PUBLICITY:
            obj.publicity_ends_at = now + timedelta(days=_days_checked(days))
            obj.disclosure_id = _published(obj, kind="deliberation", title=f"{obj.title}决议公示", body=resolution_body(obj), days=days, actor=actor, now=now)
            return ["publicity_ends_at", "disclosure_id"]
        if move.target == S.IMPLEMENTING:
            if now < obj.publicity_ends_at:
                raise ValidationError({"to": f"公示期未满，不能开始实施（公示至 {timezone.localtime(obj.publicity_ends_at):%Y-%m-%d %H:%M}）"})
            if unanswered_objections(obj.disclosure_id):
                raise ValidationError({"to": "尚有未答复的异议，不能开始实施"})
        if move.target == S.RESULT_DISCLOSED:
            obj.result = _text(text, "text", "实施结果")
            body = format_html("<h2>议题</h2><p>{}</p><h2>决议</h2><p>{}</p><h2>实施结果</h2><p>{}</p>", obj.title, obj.resolution, obj.result)
            obj.result_disclosure_id = _published(obj, kind="result", title=f"{obj.title}实施结果公开", body=body, days=RESULT_SHOWN_DAYS, actor=actor, now=now)
            return ["result", "result_disclosure_id"]
        return []

    return change


def deliberation_move(*, actor, deliberation: Deliberation, to: str, reason: str = "", text: str = "", days: int = PUBLICITY_DAYS) -> Deliberation:
    """Move a deliberation one step on, with the step's evidence; `text` is the proposal or the
    result, `days` the resolution's publicity. A resolution is reached only by a sitting's vote
    (`meeting_record`), never by naming it."""

    def may(move: Move, obj: Deliberation) -> None:
        if move.actor == "meeting":
            raise ValidationError({"to": "决议须由居民会议或居民代表会议表决形成，请登记会议"})
        if move.actor == "community":
            require_proposer(actor, obj.community_code)
        else:
            require_in_scope(actor, obj.community_code)

    require_in_scope(actor, deliberation.community_code)
    return workflow_move(DELIBERATION, deliberation, to=to, actor=actor, may=may, change=_evidence(actor, text, days), reason=reason)
