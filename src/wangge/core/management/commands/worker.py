"""`wangge worker`: each round runs the jobs the apps registered (`wangge.core.jobs`): the due
escalation steps, the outbox, forgetting old idempotency keys, re-checking the published portal
pages, forgetting old visits and sealing the audit trail's head, each when it is due.

Run it under systemd (loops every --interval seconds) or from cron with --once. SIGTERM lets the
message in hand finish and stops before the next one. --now fixes the clock (tests, replays).
"""

import logging
import signal
import threading
import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wangge.core.jobs import Job, did_something, jobs

logger = logging.getLogger("wangge.worker")


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
        parts, busy = [], False
        for job in jobs():
            try:
                result = self._run(job, now)
            except Exception:
                # One job's failure (a full disk, a gateway down) must not starve the others;
                # it is tried again next round.
                logger.exception("后台任务 %s 执行失败", job.name)
                continue
            if job.summary is not None:
                parts.append(job.summary(result))
                busy = busy or did_something(result)
        if busy:
            self.stdout.write(f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} {'，'.join(parts)}")

    def _run(self, job: Job, now: datetime):
        if job.stoppable:
            return job.function(now, stopping=lambda: self.stopping)
        return job.function(now)

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
