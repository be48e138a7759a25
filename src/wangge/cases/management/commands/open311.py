from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wangge.cases.services import open311_client_issue, open311_client_revoke


class Command(BaseCommand):
    help = "Open311 GeoReport v2：签发客户端 API 密钥（只显示一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        key = sub.add_parser("key", help="为新客户端签发 API 密钥")
        key.add_argument("--name", required=True, help="客户端名称")
        revoke = sub.add_parser("revoke", help="吊销客户端的 API 密钥（其已上报的事件保留）")
        revoke.add_argument("--name", required=True, help="客户端名称")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _key(self, name, **_):
        _, key = _refusing(open311_client_issue, name=name)
        self.stdout.write(key)

    def _revoke(self, name, **_):
        client = _refusing(open311_client_revoke, name=name)
        self.stdout.write(f"已吊销客户端「{client.name}」的 API 密钥。")


def _refusing(service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise CommandError("；".join(m for ms in error.message_dict.values() for m in ms)) from None
