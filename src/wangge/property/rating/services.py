"""Writes of the star rating: schemes, rounds and their moves, scores and veto findings with
their authors, the residents' survey and the companies' objections.

Every service takes `actor` and checks it (`permissions`); a refusal names no record the actor
may not see. Round moves go through `wangge.core.workflow.workflow_move` only.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.core.audit_writes import audit_as
from wangge.core.publication import Publication, publish
from wangge.core.reasons import reason_checked
from wangge.core.workflow import Move, workflow_move

from ..models.companies import CompanyService
from ..models.compounds import Compound
from ..models.rating import (
    RatingEntry,
    RatingObjection,
    RatingRound,
    RatingScheme,
    SchemeSection,
    SectionScore,
    SurveyVote,
    VetoFinding,
    VetoItem,
)
from ..selectors.records import company_of
from . import results
from .inputs import entries_inputs_compute, entry_case_inputs
from .permissions import may_enter_survey, may_rate, may_run_rounds
from .scoring import Section, minimums_problem, rounded, section_points, stars_for
from .workflow import ROUND

S = RatingRound.Status
PUBLICITY_DAYS = 7
SURVEY_OPEN = (S.OPEN, S.SCORING)


def _organiser(actor) -> None:
    if not may_run_rounds(actor):
        raise PermissionDenied("只有区级干部可以组织星级评定")


@transaction.atomic
def scheme_create(*, name: str, sections: list[dict], star_minimums: list[int], vetoes: list[dict], actor) -> RatingScheme:
    """A scheme with its sections ({name, points, source, bonus}), thresholds and veto items ({name, cap_stars})."""
    _organiser(actor)
    if not sections:
        raise ValidationError({"sections": "方案至少须有一个考评项目"})
    scheme = RatingScheme(name=(name or "").strip(), star_minimums=star_minimums)
    scheme.full_clean()
    scheme.save()
    for order, spec in enumerate(sections, 1):
        section = SchemeSection(scheme=scheme, order=order, **spec)
        try:
            section.full_clean()
        except ValidationError as error:
            raise ValidationError({"sections": f"第 {order} 个考评项目：{'；'.join(error.messages)}"}) from error
        section.save()
    if problem := minimums_problem(star_minimums, sum(s["points"] for s in sections)):
        raise ValidationError({"star_minimums": problem})
    for number, spec in enumerate(vetoes, 1):
        item = VetoItem(scheme=scheme, **spec)
        try:
            item.full_clean()
        except ValidationError as error:
            raise ValidationError({"vetoes": f"第 {number} 个否决事项：{'；'.join(error.messages)}"}) from error
        item.save()
    return scheme


@transaction.atomic
def round_open(*, year: int, scheme: RatingScheme, actor) -> RatingRound:
    """Open a year's round with an entry for every compound, rated as the company serving it on
    the day it opens."""
    _organiser(actor)
    if RatingRound.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度的评定已经发起"})
    rating_round = RatingRound(year=year, scheme=scheme, created_by=actor)
    rating_round.full_clean()
    rating_round.save()
    serving = dict(CompanyService.objects.filter(ended_on__isnull=True).values_list("compound_id", "company_id"))
    RatingEntry.objects.bulk_create(
        [RatingEntry(round=rating_round, compound_id=pk, company_id=serving.get(pk)) for pk in Compound.objects.values_list("pk", flat=True)]
    )
    ROUND.history.objects.create(round=rating_round, from_status="", to_status=S.OPEN, actor=actor, at=timezone.now(), reason="")
    return rating_round


def _totals_compute(rating_round: RatingRound) -> None:
    sections = list(rating_round.scheme.sections.all())
    minimums = rating_round.scheme.star_minimums
    entries = list(rating_round.entries.prefetch_related("scores", "vetoes__item"))
    for entry in entries:
        scored = {s.section_id: s.points for s in entry.scores.all()}
        cases = entry_case_inputs(entry)
        total = sum(
            (section_points(Section(s.points, s.source), scored=scored.get(s.pk), cases=cases, survey=entry.survey_satisfaction) for s in sections),
            Decimal(0),
        )
        entry.total = rounded(total)
        entry.stars = stars_for(entry.total, minimums, [v.item.cap_stars for v in entry.vetoes.all()])
    RatingEntry.objects.bulk_update(entries, ["total", "stars"])


def _published(rating_round: RatingRound, actor, *, final: bool) -> str:
    now = timezone.now()
    title = f"{rating_round.year}年度物业服务星级评定结果" + ("" if final else "公示")
    until = now + timedelta(days=PUBLICITY_DAYS if not final else 365)
    return publish(
        Publication(
            kind="rating", subject_type="rating_round", subject_id=str(rating_round.pk), title=title,
            body=results.disclosure_body(rating_round, final=final), area_code="", shown_from=now, shown_until=until,
        ),
        actor=actor,
    )


def round_move(*, rating_round: RatingRound, to: str, actor, reason: str = "") -> RatingRound:
    """Move a round. Ending scoring computes the inputs from the records; passing review computes
    the totals and stars and puts them in publicity on the portal; publishing needs every
    objection answered and publishes the results."""

    def may(move: Move, stored: RatingRound) -> None:
        _organiser(actor)

    def change(stored: RatingRound, move: Move, now) -> list[str]:
        if move.target == S.REVIEW:
            entries_inputs_compute(stored)
        if move.target == S.PUBLICITY:
            _totals_compute(stored)
            stored.publicity_ends_on = (now + timedelta(days=PUBLICITY_DAYS)).date()
            stored.disclosure_id = _published(stored, actor, final=False)
            return ["publicity_ends_on", "disclosure_id"]
        if move.target == S.PUBLISHED:
            pending = RatingObjection.objects.filter(entry__round=stored, answered_at__isnull=True).count()
            if pending:
                raise ValidationError({"to": f"还有 {pending} 条异议未答复，答复后才能发布"})
            stored.disclosure_id = _published(stored, actor, final=True)
            return ["disclosure_id"]
        return []

    return workflow_move(ROUND, rating_round, actor=actor, to=to, reason=reason, may=may, change=change)


def _scoring_entry(entry: RatingEntry, actor) -> RatingEntry:
    """The entry, locked, when `actor` may rate it and its round is scoring."""
    if not may_rate(actor, entry.compound):
        raise PermissionDenied("无权为该小区评分：市场化物业由区级评定，自管楼院由所在街道评定")
    entry = RatingEntry.objects.select_for_update(of=("self",)).select_related("round", "compound").get(pk=entry.pk)
    if entry.round.status != S.SCORING:
        raise ValidationError({"round": f"评定「{entry.round.get_status_display()}」，不能评分"})
    return entry


@transaction.atomic
def score_record(*, entry: RatingEntry, section: SchemeSection, points, note: str = "", actor) -> SectionScore:
    """Record (or correct) a rater's score of an inspection section; the author is kept."""
    entry = _scoring_entry(entry, actor)
    if section.scheme_id != entry.round.scheme_id:
        raise ValidationError({"section": "该考评项目不属于本次评定的方案"})
    if section.source != SchemeSection.Source.INSPECTION:
        raise ValidationError({"section": f"「{section.name}」由系统根据记录计算，不能人工评分"})
    try:
        points = Decimal(str(points))
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": "得分须为数字"}) from None
    if not points.is_finite() or not 0 <= points <= section.points:
        raise ValidationError({"points": f"「{section.name}」的得分须在 0 至 {section.points} 之间"})
    score = SectionScore.objects.filter(entry=entry, section=section).first() or SectionScore(entry=entry, section=section)
    score.points, score.note, score.author, score.at = rounded(points), reason_checked(note, max_length=300, field="note", noun="说明"), actor, timezone.now()
    score.full_clean(validate_constraints=False)
    audit_as(score, "property.sectionscore.record", user=actor, detail=score.note)
    score.save()
    return score


@transaction.atomic
def veto_find(*, entry: RatingEntry, item: VetoItem, note: str, actor) -> VetoFinding:
    entry = _scoring_entry(entry, actor)
    if item.scheme_id != entry.round.scheme_id:
        raise ValidationError({"item": "该否决事项不属于本次评定的方案"})
    note = reason_checked(note, max_length=300, min_length=1, field="note", noun="事实")
    if VetoFinding.objects.filter(entry=entry, item=item).exists():
        raise ValidationError({"item": f"「{item.name}」已经认定"})
    finding = VetoFinding(entry=entry, item=item, note=note, author=actor, at=timezone.now())
    audit_as(finding, "property.vetofinding.find", user=actor, detail=note)
    finding.save()
    return finding


def _survey_entry(rating_round: RatingRound, household) -> RatingEntry:
    entry = RatingEntry.objects.filter(round=rating_round, compound__holdings__building_id=household.building_id).first()
    if entry is None:
        raise ValidationError({"household": "该户不在本次参评的小区内"})
    return entry


@transaction.atomic
def survey_vote(*, rating_round: RatingRound, household, satisfaction: int, actor) -> SurveyVote:
    """A household's answer: from a signed-in resident whose registry household it is (on the
    portal), or from the grid worker of its grid (on a visit). One per household per round, a
    rule the database keeps."""
    person = getattr(actor, "person", None) if actor is not None and actor.is_authenticated else None
    if person is not None and person.household_id == household.pk:
        channel = SurveyVote.Channel.PORTAL
    elif may_enter_survey(actor, household):
        channel = SurveyVote.Channel.VISIT
    else:
        raise PermissionDenied("只能由本户登记的居民本人或所在网格的网格员填报")
    rating_round = RatingRound.objects.select_for_update().get(pk=rating_round.pk)
    if rating_round.status not in SURVEY_OPEN:
        raise ValidationError({"round": "本次满意度调查已经结束"})
    if not isinstance(satisfaction, int) or isinstance(satisfaction, bool) or not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": "满意度须为 1 至 5 的整数"})
    vote = SurveyVote(round=rating_round, entry=_survey_entry(rating_round, household), household=household, satisfaction=satisfaction,
                      channel=channel, recorded_by=actor)
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        raise ValidationError({"household": "该户已参加本次满意度调查，每户只能投一票"}) from None
    return vote


@transaction.atomic
def objection_submit(*, entry: RatingEntry, text: str, actor) -> RatingObjection:
    """A company objects to its own result during publicity."""
    company = company_of(actor)
    if company is None or entry.company_id != company.pk:
        raise PermissionDenied("只能对本企业的评定结果提出异议")
    entry = RatingEntry.objects.select_related("round").get(pk=entry.pk)
    if entry.round.status != S.PUBLICITY:
        raise ValidationError({"text": "不在公示期内，不能提出异议"})
    text = reason_checked(text, max_length=1000, min_length=1, field="text", noun="异议内容")
    objection = RatingObjection(entry=entry, text=text, submitted_by=actor)
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_answer(*, objection: RatingObjection, answer: str, actor) -> RatingObjection:
    """The rater answers; the answer is kept with who gave it and when."""
    objection = RatingObjection.objects.select_for_update(of=("self",)).select_related("entry__compound", "entry__round").get(pk=objection.pk)
    if not may_rate(actor, objection.entry.compound):
        raise PermissionDenied("无权答复该异议")
    if objection.answered:
        raise ValidationError({"answer": "该异议已经答复"})
    if objection.entry.round.status != S.PUBLICITY:
        raise ValidationError({"answer": "评定不在公示期内"})
    objection.answer = reason_checked(answer, max_length=1000, min_length=1, field="answer", noun="答复")
    objection.answered_by, objection.answered_at = actor, timezone.now()
    audit_as(objection, "property.ratingobjection.answer", user=actor, detail=objection.answer)
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    return objection
