"""Community service projects under the filing regime (社区服务项目备案制): the district's
categories, the projects with their recorded workflow, and (in their own modules) the votes
and the funds."""

from .catalogue import Category
from .funds import Allocation, BudgetLine, Disbursement, ExpenseRule, ExpenseType, FundSource
from .projects import Origin, Project, ProjectStep, Status

__all__ = ["Allocation", "BudgetLine", "Category", "Disbursement", "ExpenseRule", "ExpenseType", "FundSource", "Origin", "Project", "ProjectStep", "Status"]
