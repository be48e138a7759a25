"""The Organic Law of Urban Residents' Committees (城市居民委员会组织法) on a meeting's vote, as a
pure function: a residents' meeting (or representatives' meeting) may resolve only when MORE than
half of its members are present, and a resolution needs MORE than half of those present in
favour. Half exactly is not more than half, on either count."""

from enum import StrEnum


class Outcome(StrEnum):
    NO_QUORUM = "no_quorum"
    NOT_ADOPTED = "not_adopted"
    ADOPTED = "adopted"


def has_quorum(members: int, present: int) -> bool:
    return 2 * present > members


def quorum(members: int, present: int, in_favour: int) -> Outcome:
    """The outcome of a sitting: `members` entitled, `present` attending, `in_favour` voting for."""
    if not has_quorum(members, present):
        return Outcome.NO_QUORUM
    return Outcome.ADOPTED if 2 * in_favour > present else Outcome.NOT_ADOPTED


def no_quorum_refusal(members: int, present: int) -> str:
    return f"未达法定人数（应到 {members} 人，实到 {present} 人，须过半数），不能形成决议"


def not_adopted_note(present: int, in_favour: int) -> str:
    return f"赞成 {in_favour} 人，未超过实到 {present} 人的半数，提议未获通过"
