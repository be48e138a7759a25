"""People and organisations on the grid, one module per concept."""

from .buildings import Building, Household
from .committees import CommitteePost
from .party import PartyMembership, PartyOrganisation
from .persons import CareCategory, Person
from .signup import SignupCode
from .social import SocialActivity, SocialMembership, SocialOrganisation
from .staff import Duty, GridPost

__all__ = [
    "Building",
    "CareCategory",
    "CommitteePost",
    "Duty",
    "GridPost",
    "Household",
    "PartyMembership",
    "PartyOrganisation",
    "Person",
    "SignupCode",
    "SocialActivity",
    "SocialMembership",
    "SocialOrganisation",
]
