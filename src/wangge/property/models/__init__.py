"""Red Property (红色物业): compounds, companies, owners' committees and company party work."""

from .companies import Backstop, CompanyAccount, CompanyService, CompanyStaff, PropertyCompany
from .compounds import (
    Compound,
    CompoundBuilding,
    Dwelling,
    DwellingOwner,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from .party import CompanyPartyOrganisation, PartyInstructor

__all__ = [
    "Backstop",
    "CompanyAccount",
    "CompanyPartyOrganisation",
    "CompanyService",
    "CompanyStaff",
    "Compound",
    "CompoundBuilding",
    "Dwelling",
    "DwellingOwner",
    "OwnersCommittee",
    "OwnersCommitteeMember",
    "PartyInstructor",
    "PropertyCompany",
]

# The rating, owners' votes and demonstrations are imported from their own modules.
from . import demonstrations, rating, votes  # noqa: E402, F401
