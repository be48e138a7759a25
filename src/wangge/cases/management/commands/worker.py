"""`wangge worker`: each round takes the due escalation steps, drains the outbox, and re-checks
the published portal pages and seals the audit trail's head when those are due.

Run it under systemd (loops every --interval seconds) or from cron with --once. SIGTERM lets the
message in hand finish and stops before the next one. --now fixes the clock (tests, replays).
"""

import signal
import threading
import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wangge.accounts.audit import audit_checkpoint_if_due
from wangge.cases.escalation import escalate
from wangge.cases.idempotency import idempotency_purge
from wangge.cases.outbox import outbox_drain
from wangge.portal.verify import verify_if_due
from wangge.portal.visits import article_views_purge


class Command(BaseCommand):
    help = "发送待发消息并执行到期的事件升级（吹哨报到）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只执行一轮后退出")
        parser.add_argument("--interval", type=float, default=2.0, help="两轮之间的间隔（秒）")
        parser.add_argument("--now", help="以此时间为当前时间（ISO 8601，模拟时钟）")

    def handle(self, *args, once: bool, interval: float, now: str | datetime | None, **options):
        clock = _clock(now)
        self.stopping = False
        previous = self._trap_sigterm()
        try:
            while not self.stopping:
                self.round(clock())
                if once:
                    break
                self._sleep(interval)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def round(self, now: datetime) -> None:
        steps = escalate(now=now)
        sent, failed = outbox_drain(now=now, stopping=lambda: self.stopping)
        idempotency_purge(now=now)  # keys are kept WANGGE_IDEMPOTENCY_DAYS, then forgotten
        verify_if_due(now=now)  # published pages re-checked against their sealed digests
        article_views_purge(today=timezone.localdate(now))
        audit_checkpoint_if_due(now=now)  # the chains' ends sealed outside the database
        if steps or sent or failed:
            self.stdout.write(f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} 升级 {len(steps)} 项，发送 {sent} 条，失败 {failed} 条")

    def _trap_sigterm(self):
        if threading.current_thread() is not threading.main_thread():
            return None

        def stop(signum, frame):
            self.stopping = True

        return signal.signal(signal.SIGTERM, stop)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def _clock(now: str | datetime | None):
    if now is None:
        return timezone.now
    if isinstance(now, str):
        parsed = parse_datetime(now)
        if parsed is None:
            raise CommandError(f"--now 不是有效的时间：{now}")
        now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return lambda: now
