"""A deliberation carried through its steps by the services, as an official of its community
would; each helper adds the evidence a step needs and makes the move."""

from datetime import timedelta

from django.utils import timezone

from wangge.matching.deliberation import services
from wangge.matching.models import Deliberation

S = Deliberation.Status
ORDER = [S.SOLICITING, S.PROPOSED, S.CONSULTED, S.RESOLVED, S.PUBLICITY, S.IMPLEMENTING, S.RESULT_DISCLOSED, S.CLOSED]


class Steps:
    def __init__(self, people) -> None:
        self.people = people
        self.official = people.community_official.user
        self.community_code = people.home_grid.community.code

    def opened(self) -> Deliberation:
        return services.deliberation_open(actor=self.official, title="加装电梯议事", matter="3号楼加装电梯的选址和费用分摊", community_code=self.community_code)

    def at(self, status: str) -> Deliberation:
        d = self.opened()
        for target in ORDER[1:ORDER.index(status) + 1]:
            d = self.advance(d, target)
        return d

    def advance(self, d: Deliberation, target: str) -> Deliberation:
        if target == S.PROPOSED:
            services.opinion_add(actor=self.official, deliberation=d, address="3号楼2单元101", summary="同意加装，希望低楼层少分摊", name="王芳")
            return services.deliberation_move(actor=self.official, deliberation=d, to=S.PROPOSED, text="3号楼东侧加装电梯一部，费用按楼层分摊")
        if target == S.CONSULTED:
            services.consultation_add(actor=self.official, deliberation=d, unit="物业服务企业", summary="同意配合施工", minutes="物业负责人出席")
            return services.deliberation_move(actor=self.official, deliberation=d, to=S.CONSULTED)
        if target == S.RESOLVED:
            services.meeting_record(actor=self.official, deliberation=d, kind="representatives", held_on=timezone.localdate(), members=21, present=15, votes_for=12, votes_against=2, votes_abstain=1)
            return Deliberation.objects.get(pk=d.pk)
        if target == S.PUBLICITY:
            return services.deliberation_move(actor=self.official, deliberation=d, to=S.PUBLICITY, days=7)
        if target == S.IMPLEMENTING:
            publicity_over(d)
            return services.deliberation_move(actor=self.official, deliberation=d, to=S.IMPLEMENTING)
        if target == S.RESULT_DISCLOSED:
            return services.deliberation_move(actor=self.official, deliberation=d, to=S.RESULT_DISCLOSED, text="电梯已于11月建成并通过验收")
        return services.deliberation_move(actor=self.official, deliberation=d, to=target)


def publicity_over(d: Deliberation) -> None:
    """The publicity period as if it had run out: the deliberation's end and its disclosure's
    shown period both moved into the past, as time would have moved them."""
    from wangge.portal.models import Disclosure

    d.refresh_from_db()
    ended = timezone.now() - timedelta(minutes=1)
    Deliberation.objects.filter(pk=d.pk).update(publicity_ends_at=ended)
    Disclosure.objects.filter(pk=int(d.disclosure_id)).update(shown_from=ended - timedelta(days=7), shown_until=ended)
