"""The cases' pages: reporting (phone and portal) and the back office's queues and case page."""

from django.urls import path  # noqa: F401  (the pages add their paths here)

from .views import case_page, queues, report

urlpatterns: list = [
    path("report", report.report, name="case-report"),
    path("report/sw.js", report.report_service_worker, name="case-report-sw"),
    path("my-reports", report.my_reports, name="my-reports"),
    path("cases/dispatch", queues.dispatch_queue, name="case-dispatch"),
    path("cases/department", queues.department_queue, name="case-department"),
    path("cases/grid", queues.grid_cases, name="case-grid"),
    path("cases/<int:case_id>", case_page.case_page, name="case-page"),
]
