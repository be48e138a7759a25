"""The cross-appointment rule (双向进入、交叉任职), stated once for the report and the headline.

A company's manager or project manager (or an owners' committee member) is cross-appointed in
a community when they hold a part-time post on its committees: a party member on the community
party organisation, anyone else on the residents' committee. The report judges posts one by one
(`post_is_right`); the headline asks the database the same question (`right_committee`)."""

from django.db.models import Case, Value, When

from wangge.people.models import CommitteePost, Person

from .models import CompanyStaff

MANAGING_POSTS = (CompanyStaff.Post.MANAGER, CompanyStaff.Post.PROJECT_MANAGER)
# The committee each kind of person should sit on: non-members on the residents' committee.
_NOT_A_MEMBER, _MEMBER = CommitteePost.Committee.RESIDENTS, CommitteePost.Committee.PARTY


def committee_for(party: str) -> str:
    return _NOT_A_MEMBER if party == Person.Party.NONE else _MEMBER


def post_is_right(party: str, committee: str, part_time: bool) -> bool:
    return part_time and committee == committee_for(party)


def right_committee(party_field: str = "person__party") -> Case:
    """`committee_for` as an expression over the rows' `party_field`."""
    return Case(When(**{party_field: Person.Party.NONE}, then=Value(_NOT_A_MEMBER)), default=Value(_MEMBER))
