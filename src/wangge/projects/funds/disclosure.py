"""A project's spending disclosed on the portal (资金使用公开, the `finance` kind), generated from
its budget lines and disbursements, through the floor's publication port. The lifecycle calls
`publish_spending` when a project's results are disclosed."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from wangge.core.publication import Publication, publish
from wangge.geo.scope import scope_of

from ..models import ExpenseType, Project
from .permissions import can_read_funds
from .rules import yuan
from .selectors import project_lines

DAYS = 15


def spending_body(project: Project) -> str:
    """The disclosure's HTML: budget and spending per source, then every payment not reversed."""
    lines = list(project_lines(project))
    paid = project.disbursements.filter(reversed_at__isnull=True).select_related("source").order_by("paid_on", "pk")
    spent = paid.aggregate(total=Sum("amount_fen"))["total"] or 0
    budgeted = sum(line.amount_fen for line in lines)
    types = dict(ExpenseType.choices)
    return format_html(
        "<p>项目“{}”（{}）预算 {}，已支出 {}，结余 {}。</p>"
        "<h3>预算执行</h3><table tabindex='0'><thead><tr><th>资金来源</th><th>预算</th><th>已支出</th><th>结余</th></tr></thead><tbody>{}</tbody></table>"
        "<h3>支出明细</h3><table tabindex='0'><thead><tr><th>日期</th><th>收款方</th><th>用途</th><th>类别</th><th>资金来源</th><th>金额</th></tr></thead><tbody>{}</tbody></table>",
        project.title, project.number, yuan(budgeted), yuan(spent), yuan(budgeted - spent),
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         ((line.source.name, yuan(line.amount_fen), yuan(line.spent_fen), yuan(line.remaining_fen)) for line in lines)),
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         ((d.paid_on.isoformat(), d.payee, d.purpose, types.get(d.expense_type, d.expense_type), d.source.name, yuan(d.amount_fen)) for d in paid)),
    )


def publish_spending(project: Project, actor) -> str:
    """Publish the project's spending on the portal as `actor` (an official of its subtree, or
    the system); the disclosure's id."""
    if actor is not None and not (can_read_funds(actor) and scope_of(actor).covers(project.community_code)):
        raise PermissionDenied("只有项目所在辖区的干部可以公开项目资金使用情况")
    now = timezone.now()
    return publish(
        Publication(
            kind="finance", subject_type="project", subject_id=str(project.pk), title=f"{project.title}资金使用情况公开",
            body=spending_body(project), area_code=project.community_code, shown_from=now, shown_until=now + timedelta(days=DAYS),
        ),
        actor=actor,
    )
