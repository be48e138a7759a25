from django.core.management.base import BaseCommand, CommandError

from wangge.accounts.passwords import password_generate
from wangge.accounts.services import ProductionRefused, admin_ensure


class Command(BaseCommand):
    help = "创建或重置演示管理员，并打印其用户名和新生成的密码（绝无默认密码；生产环境不可用）"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password = password_generate()
        while username.lower() in password.lower():
            password = password_generate()
        try:
            created = admin_ensure(username=username, password=password)
        except ProductionRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(("已创建" if created else "已重置") + f"管理员账号  用户名：{username}  密码：{password}")
