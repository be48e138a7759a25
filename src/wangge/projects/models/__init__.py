"""Community service projects under the filing regime (社区服务项目备案制): the district's
categories, the projects with their recorded workflow, and (in their own modules) the votes
and the funds."""

from .catalogue import Category
from .projects import Origin, Project, ProjectStep, Status

__all__ = ["Category", "Origin", "Project", "ProjectStep", "Status"]
