from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wangge.accounts.models.users import OFFICERS
from wangge.accounts.services import account_reset_offline, officer_create

LABELS = {"id_number": "身份证号", "person_id_number": "身份证号", "name": "姓名", "username": "用户名", "role": "角色"}


class Command(BaseCommand):
    help = "设立三员（系统管理员、安全管理员、安全审计员）：每人一个账号，以身份证号关联人员；在服务器上重置账号"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="设立一名三员，打印一次性初始密码")
        create.add_argument("--role", required=True, choices=[r.value for r in OFFICERS])
        create.add_argument("--username", required=True)
        create.add_argument("--person-id-number", required=True, dest="person_id_number", help="担任者的身份证号")
        create.add_argument("--name", default="", help="担任者姓名：尚未登记为人员时据此登记")
        create.add_argument("--replace", action="store_true", help="停用该角色的原账号，由新账号接任")
        reset = actions.add_parser("reset", help="在服务器上重置账号的密码（加 --totp 同时重置动态口令），打印一次性密码")
        reset.add_argument("--username", required=True)
        reset.add_argument("--totp", action="store_true", help="同时删除已绑定的动态口令")

    def handle(self, *args, action, **options):
        try:
            if action == "create":
                self._create(**options)
            else:
                self._reset(**options)
        except ValidationError as error:
            raise CommandError("；".join(f"{LABELS.get(field, field)}：{'；'.join(m)}" for field, m in error.message_dict.items())) from None

    def _create(self, *, role, username, person_id_number, name, replace, **options):
        user, password = officer_create(role=role, username=username, person_id_number=person_id_number, person_name=name, replace=replace)
        self.stdout.write(f"已设立{user.get_role_display()}  用户名：{user.username}  一次性密码：{password}")
        self.stdout.write("首次登录须绑定动态口令并修改密码。")

    def _reset(self, *, username, totp, **options):
        user, password = account_reset_offline(username=username, totp_too=totp)
        what = "密码和动态口令" if totp else "密码"
        self.stdout.write(f"已重置 {user.username} 的{what}  一次性密码：{password}")
        self.stdout.write("请当面交给本人；登录后须修改密码" + ("并重新绑定动态口令。" if totp else "。"))
