import json

from django.core.management.base import BaseCommand

from wangge.core.figures import headline
from wangge.geo.scope import Scope


class Command(BaseCommand):
    help = "全区主要数据（由数据库实时计算）"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, json: bool, **options):
        figures = headline(Scope.district())
        if json:
            self.stdout.write(_dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key}: {value}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
