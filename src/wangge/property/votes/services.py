"""Owners' votes (业主共同决定): opening one, recording ballots, closing it; counted by `rules`."""

from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from ..models.compounds import Compound, Dwelling, DwellingOwner
from ..models.votes import Ballot, OwnersVote
from . import rules
from .permissions import may_run_votes


def _may(actor, compound: Compound) -> None:
    if not may_run_votes(actor, compound):
        raise PermissionDenied("无权组织该小区的业主共同决定")


@transaction.atomic
def owners_vote_open(*, compound: Compound, title: str, matter: str, actor) -> OwnersVote:
    _may(actor, compound)
    vote = OwnersVote(compound=compound, title=(title or "").strip(), matter=matter, created_by=actor)
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def ballot_cast(*, vote: OwnersVote, dwelling: Dwelling, owner, choice: str, actor) -> Ballot:
    """An owner's ballot for a dwelling they own in the vote's compound; one per owner per
    dwelling (a constraint). An owner of several dwellings gives one choice in a vote: they are
    counted once among the owners (`rules.tally`)."""
    vote = OwnersVote.objects.select_for_update().select_related("compound__community").get(pk=vote.pk)
    _may(actor, vote.compound)
    if vote.status != OwnersVote.Status.OPEN:
        raise ValidationError({"vote": "表决已经结束"})
    if dwelling.compound_id != vote.compound_id:
        raise ValidationError({"dwelling": "该房屋不在本小区"})
    if not DwellingOwner.objects.filter(dwelling=dwelling, person=owner).exists():
        raise ValidationError({"owner": "该人员不是这套房屋登记的业主"})
    if choice not in Ballot.Choice.values:
        raise ValidationError({"choice": "意见须为同意、反对或弃权"})
    if vote.ballots.filter(owner=owner).exclude(choice=choice).exists():
        raise ValidationError({"choice": "同一业主在同一事项中的意见须一致"})
    ballot = Ballot(vote=vote, dwelling=dwelling, owner=owner, choice=choice, recorded_by=actor)
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError:
        raise ValidationError({"owner": "该业主已就这套房屋投票"}) from None
    return ballot


@transaction.atomic
def owners_vote_close(*, vote: OwnersVote, actor) -> OwnersVote:
    vote = OwnersVote.objects.select_for_update().select_related("compound__community").get(pk=vote.pk)
    _may(actor, vote.compound)
    if vote.status != OwnersVote.Status.OPEN:
        raise ValidationError({"vote": "表决已经结束"})
    vote.status, vote.closed_at = OwnersVote.Status.CLOSED, timezone.now()
    vote.save(update_fields=["status", "closed_at"])
    return vote


def owners_vote_tally(vote: OwnersVote) -> rules.Tally:
    """The count from the records: the compound's floor area and owners, each ballot carrying
    its dwelling's area shared among the dwelling's owners."""
    dwellings = Dwelling.objects.filter(compound_id=vote.compound_id)
    total_area = Fraction(str(dwellings.aggregate(a=Sum("area"))["a"] or 0))
    total_owners = DwellingOwner.objects.filter(dwelling__compound_id=vote.compound_id).values("person_id").distinct().count()
    owners_per_dwelling = dict(dwellings.annotate(n=Count("ownerships")).values_list("pk", "n"))
    casts = [
        rules.Cast(owner=owner, area=Fraction(str(area)) / max(owners_per_dwelling.get(dwelling, 1), 1), choice=choice)
        for owner, dwelling, area, choice in vote.ballots.values_list("owner_id", "dwelling_id", "dwelling__area", "choice")
    ]
    return rules.tally(casts, total_area=total_area, total_owners=total_owners, matter=vote.matter)
