"""Community service projects under the filing regime (社区服务项目备案制): the district's
categories, the projects with their recorded workflow, and (in their own modules) the votes
and the funds."""

from .catalogue import Category
from .funds import Allocation, BudgetLine, Disbursement, ExpenseRule, ExpenseType, FundSource
from .projects import Origin, Project, ProjectLink, ProjectStep, Status
from .votes import Ballot, BallotChoice, RoundEntry, Voter, VoteRound, VoteRoundStep

__all__ = [
    "Allocation", "Ballot", "BallotChoice", "BudgetLine", "Category", "Disbursement", "ExpenseRule", "ExpenseType", "FundSource",
    "Origin", "Project", "ProjectLink", "ProjectStep", "RoundEntry", "Status", "VoteRound", "VoteRoundStep", "Voter",
]
