from django.apps import AppConfig
from django.db.backends.signals import connection_created

from .files import sqlite_files_private


def _new_sqlite_file_private(sender, connection, **kwargs) -> None:
    # A database file SQLite has just created has the process's umask; it is narrowed when its
    # first connection opens, before anything is written to it.
    if connection.vendor == "sqlite":
        sqlite_files_private(connection.settings_dict["NAME"])


class OpsConfig(AppConfig):
    name = "wangge.ops"
    verbose_name = "运维"

    def ready(self) -> None:
        from . import menu

        menu.register()
        connection_created.connect(_new_sqlite_file_private, dispatch_uid="ops.sqlite_files_private")
