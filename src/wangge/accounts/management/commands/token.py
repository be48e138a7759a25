from django.core.management.base import BaseCommand, CommandError

from wangge.accounts.auth import token_issue
from wangge.accounts.models import User


class Command(BaseCommand):
    help = "为用户签发接口令牌（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="用户名")

    def handle(self, *args, user, **options):
        account = User.objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"用户 {user} 不存在或已停用")
        self.stdout.write(token_issue(user=account))
