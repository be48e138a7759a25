import secrets
import string

from django.core.management.base import BaseCommand

from wangge.accounts.services import admin_ensure


class Command(BaseCommand):
    help = "创建或重置演示管理员，并打印其用户名和新生成的密码（绝无默认密码）"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        alphabet = string.ascii_letters + string.digits
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        created = admin_ensure(username=username, password=password)
        self.stdout.write(("已创建" if created else "已重置") + f"管理员账号  用户名：{username}  密码：{password}")
