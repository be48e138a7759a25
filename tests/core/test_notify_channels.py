"""Notifications beyond the inbox: email through Django's locmem backend, the group robot over
real HTTP to a small server started here, failures retried with back-off and shown on
/ops/outbox to the system administrator, whose "send now" is audited."""

import base64
import hashlib
import hmac
import io
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.core.models import AuditRecord, Notice, OutboxMessage
from wangge.core.notify import WEBHOOK, notify_enqueue
from wangge.core.outbox import outbox_drain


class Robot:
    """A group robot: records what is posted and answers with the status it is told."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.paths: list[str] = []
        self.status = 200
        self.errcode = 0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.posts.append(json.loads(body))
                robot.paths.append(self.path)
                answer = json.dumps({"errcode": robot.errcode, "errmsg": "ok" if not robot.errcode else "sign not match"}).encode()
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=t0k"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(settings):
    robot = Robot()
    settings.WANGGE_NOTIFY_WEBHOOK_URL = robot.url
    settings.WANGGE_NOTIFY_WEBHOOK_SECRET = ""
    yield robot
    robot.stop()


@pytest.fixture(autouse=True)
def _empty_outbox(db):
    """The demo's own messages (objections to its disclosures) are not these tests' business."""
    OutboxMessage.objects.all().delete()


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create(username="sysadmin", full_name="系统管理员", role=Role.SYSTEM_ADMIN)


def _alert(people, **kwargs) -> OutboxMessage:
    return notify_enqueue(
        kind="case.alert", recipients=[people.community_official.user.pk, people.department_handler.user.pk],
        title="事件超时，请社区督办：SJ0001", body="事件 SJ0001 已超过办理时限", link="/cases/1", **kwargs,
    )


def test_it_posts_the_robot_text_message_and_writes_the_inbox_once(people, robot):
    message = _alert(people)
    now = timezone.now()
    assert outbox_drain(now=now) == (2, 0)  # the alert, then the robot's own message
    [post] = robot.posts
    assert post == {"msgtype": "text", "text": {"content": "事件超时，请社区督办：SJ0001\n事件 SJ0001 已超过办理时限\n/cases/1"}}
    assert robot.paths == ["/robot/send?access_token=t0k"]
    assert set(Notice.objects.filter(kind="case.alert").values_list("recipient", flat=True)) == {people.community_official.user.pk, people.department_handler.user.pk}
    message.refresh_from_db()
    assert message.sent_at == now


def test_it_keeps_a_residents_own_message_off_the_group_robot(people, robot):
    notify_enqueue(kind="case.closed", recipients=[people.resident.user.pk], title="您上报的事件已办结", group=False)
    outbox_drain(now=timezone.now())
    assert robot.posts == []
    assert Notice.objects.filter(kind="case.closed", recipient=people.resident.user).count() == 1


def test_it_signs_the_robot_url_as_dingtalk_does_when_a_secret_is_set(people, robot, settings):
    settings.WANGGE_NOTIFY_WEBHOOK_SECRET = "SECabc"
    _alert(people)
    outbox_drain(now=timezone.now())
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(robot.paths[0]).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(), hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["t0k"] and sign == expected
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 60


def test_it_retries_a_failing_robot_with_back_off_without_writing_the_inbox_twice(people, robot, settings):
    settings.WANGGE_OUTBOX_BACKOFF_SECONDS = 60
    robot.status = 500
    _alert(people)
    now = timezone.now()
    assert outbox_drain(now=now) == (1, 1)
    hook = OutboxMessage.objects.get(kind=WEBHOOK)
    assert hook.attempts == 1 and hook.sent_at is None and "500" in hook.last_error
    assert hook.due_at == now + timedelta(seconds=60)

    assert outbox_drain(now=now + timedelta(seconds=30)) == (0, 0)  # still backing off
    assert outbox_drain(now=now + timedelta(seconds=60)) == (0, 1)
    hook.refresh_from_db()
    assert hook.attempts == 2 and hook.due_at == now + timedelta(seconds=180)

    robot.status = 200
    assert outbox_drain(now=now + timedelta(seconds=180)) == (1, 0)
    hook.refresh_from_db()
    assert hook.sent_at and hook.last_error == ""
    assert len(robot.posts) == 3  # two refused, one taken
    assert Notice.objects.filter(kind="case.alert").count() == 2  # one per recipient, never again


def test_it_counts_a_robot_refusal_in_a_200_as_a_failure(people, robot):
    robot.errcode = 310000  # DingTalk's "sign not match", in a 200 answer
    _alert(people)
    assert outbox_drain(now=timezone.now()) == (1, 1)
    assert "310000" in OutboxMessage.objects.get(kind=WEBHOOK).last_error


def test_it_emails_recipients_with_an_address_only(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WANGGE_NOTIFY_EMAIL = True
    settings.WANGGE_SITE_URL = "https://wangge.example.gov.cn"
    official = people.community_official.user
    official.email = "sq@example.gov.cn"
    official.save(update_fields=["email"])
    _alert(people)
    assert outbox_drain(now=timezone.now()) == (2, 0)  # the alert and one email: the handler has no address
    [email] = mail.outbox
    assert email.to == ["sq@example.gov.cn"]
    assert email.subject == "【网格化基层治理平台】事件超时，请社区督办：SJ0001"
    assert "https://wangge.example.gov.cn/cases/1" in email.body


def test_it_sends_no_email_unless_enabled(people, settings):
    settings.WANGGE_NOTIFY_EMAIL = False
    official = people.community_official.user
    official.email = "sq@example.gov.cn"
    official.save(update_fields=["email"])
    _alert(people)
    outbox_drain(now=timezone.now())
    assert mail.outbox == []


def test_it_shows_the_failed_message_to_the_system_administrator_without_its_content(client, people, robot, admin_user):
    robot.status = 500
    _alert(people)
    outbox_drain(now=timezone.now())
    hook = OutboxMessage.objects.get(kind=WEBHOOK)

    client.force_login(admin_user)
    html = client.get("/ops/outbox").content.decode()
    row = html[html.index(f'id="message-{hook.pk}"'):]
    row = row[: row.index("</tr>")]
    assert "群机器人" in row and "失败待重试" in row and "HTTP Error 500" in row
    assert '<td class="attempts num">1</td>' in row
    assert "SJ0001" not in html and "督办" not in html  # the content is not the administrator's to read
    exported = client.get("/ops/outbox", {"export": "xlsx"})
    cells = list(openpyxl.load_workbook(io.BytesIO(exported.content))["数据"].iter_rows(values_only=True))
    assert (hook.pk, "群机器人", "失败待重试", 1) in {line[:4] for line in cells}
    assert "SJ0001" not in str(cells) and "督办" not in str(cells)  # nor in the file

    for persona in ("district_official", "department_handler", "resident"):
        client.force_login(getattr(people, persona).user)
        assert client.get("/ops/outbox").status_code == 403


def test_it_sends_now_when_the_administrator_asks_and_audits_it(client, people, robot, admin_user, settings):
    settings.WANGGE_OUTBOX_MAX_ATTEMPTS = 1
    robot.status = 500
    _alert(people)
    outbox_drain(now=timezone.now())
    hook = OutboxMessage.objects.get(kind=WEBHOOK)
    client.force_login(admin_user)
    assert "已放弃" in client.get("/ops/outbox").content.decode()

    robot.status = 200
    response = client.post("/ops/outbox", {"message": hook.pk}, follow=True)
    assert f"消息 {hook.pk} 已发送" in response.content.decode()
    hook.refresh_from_db()
    assert hook.sent_at is not None and len(robot.posts) == 2
    [row] = AuditRecord.objects.filter(action="core.outbox.retry", object_id=str(hook.pk))
    assert row.user_id == admin_user.pk and row.detail == WEBHOOK

    assert client.post("/ops/outbox", {"message": hook.pk}).status_code == 404  # sent: nothing to retry
    client.force_login(people.district_official.user)
    assert client.post("/ops/outbox", {"message": hook.pk}).status_code == 403
