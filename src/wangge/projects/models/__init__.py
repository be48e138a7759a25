"""Community service projects under the filing regime (社区服务项目备案制): the district's
categories, the projects with their recorded workflow, and (in their own modules) the votes
and the funds."""

from .catalogue import Category
from .projects import Origin, Project, ProjectLink, ProjectStep, Status
from .votes import Ballot, BallotChoice, RoundEntry, Voter, VoteRound, VoteRoundStep

__all__ = [
    "Ballot", "BallotChoice", "Category", "Origin", "Project", "ProjectLink", "ProjectStep", "RoundEntry", "Status", "VoteRound", "VoteRoundStep", "Voter",
]
