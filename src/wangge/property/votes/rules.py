"""Civil Code art. 278 (业主共同决定) as pure functions.

A decision counts only when owners holding at least two thirds of the floor area of the
exclusive parts and at least two thirds of the owners take part. An ordinary matter then passes
with the consent of more than half of the participating area and more than half of the
participating owners; raising or using the repair fund, rebuilding or reconstructing buildings
and their facilities, and changing the use of shared parts (or running a business on them) need
at least three quarters of both. Shares are compared as exact fractions, never as rounded
percentages: 2/3 of the area is enough, 0.6666 of it is not.
"""

from dataclasses import dataclass
from fractions import Fraction

SPECIAL_MATTERS = frozenset({"repair_fund", "rebuild", "shared_use"})
PARTICIPATION = Fraction(2, 3)
ORDINARY = Fraction(1, 2)  # more than
SPECIAL = Fraction(3, 4)  # at least


@dataclass(frozen=True)
class Cast:
    """One owner's choice with the floor area it carries."""

    owner: int
    area: Fraction
    choice: str  # "yes", "no" or "abstain"


@dataclass(frozen=True)
class Tally:
    total_area: Fraction
    total_owners: int
    area_taking_part: Fraction
    owners_taking_part: int
    area_for: Fraction
    owners_for: int
    area_quorum_met: bool
    owners_quorum_met: bool
    area_consent_met: bool
    owners_consent_met: bool
    special: bool

    @property
    def counts(self) -> bool:
        return self.area_quorum_met and self.owners_quorum_met

    @property
    def passed(self) -> bool:
        return self.counts and self.area_consent_met and self.owners_consent_met

    @property
    def consent_share(self) -> Fraction:
        return SPECIAL if self.special else ORDINARY


def share(part, whole) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def consented(part, whole, *, special: bool) -> bool:
    if not whole:
        return False
    return share(part, whole) >= SPECIAL if special else share(part, whole) > ORDINARY


def tally(casts: list[Cast], *, total_area: Fraction, total_owners: int, matter: str) -> Tally:
    """The count of a vote: `casts` one per owner per dwelling; an owner is counted once however
    many dwellings they hold (their choices agree: `services.ballot_cast` keeps them so)."""
    special = matter in SPECIAL_MATTERS
    area = sum((c.area for c in casts), Fraction(0))
    owners = {c.owner for c in casts}
    area_for = sum((c.area for c in casts if c.choice == "yes"), Fraction(0))
    owners_for = {c.owner for c in casts if c.choice == "yes"}
    return Tally(
        total_area=Fraction(total_area), total_owners=total_owners, area_taking_part=area, owners_taking_part=len(owners),
        area_for=area_for, owners_for=len(owners_for),
        area_quorum_met=bool(total_area) and share(area, total_area) >= PARTICIPATION,
        owners_quorum_met=bool(total_owners) and share(len(owners), total_owners) >= PARTICIPATION,
        area_consent_met=consented(area_for, area, special=special),
        owners_consent_met=consented(len(owners_for), len(owners), special=special),
        special=special,
    )
