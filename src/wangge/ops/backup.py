"""Backup and restore of the database as stored (GB/T 22239-2019 8.1.4.11, level 3: local data
backup and recovery, checked by a restore drill).

A backup is a gzipped tar of the dump, `manifest.json` (format, time, database vendor, rows per
table, SM3 of the dump and of every media file, the audit trail's checkpoint as dumped),
`manifest.seal` (HMAC-SM3 of the manifest with WANGGE_BACKUP_KEY) and the media files (case
photos) under `media/`, which the database rows name. The seal is keyed because whoever can write
a backup could otherwise change its rows (make a resident a superuser) and recompute every
digest; a backup without a seal that opens with this key is refused whole. The dump is
the database's own copy - the SQLite online backup API, or pg_dump's custom format - never a
dump through the ORM, which would decrypt personal fields; keys stay out of the backup, so a
restore needs the same WANGGE_* keys as the installation it came from.

A restore rewinds the audit trail to the backup's moment, behind the checkpoints sealed since:
it moves them aside (`checkpoints.checkpoint_supersede`, kept under `superseded/`) and installs
the backup's checkpoint as the current one; the restore's audit record names the one it moved.

Media files are read after the database snapshot: a photo's files are written before its row,
so every row in the dump finds its files in the backup (a file with no row yet is harmless).
"""

import contextlib
import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wangge.core import crypto
from wangge.core.audit import Verdict, audit_verify, chain_ends
from wangge.core.checkpoints import checkpoint_seal, checkpoint_supersede

# 2 added the media files, 3 the keyed seal and the audit checkpoint. Earlier formats have no
# seal, so nothing tells a genuine one from a forged one: they are refused.
FORMAT = 3
READABLE_FORMATS = {3}
MEDIA = "media"
MANIFEST = "manifest.json"
MANIFEST_SEAL = "manifest.seal"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
DAMAGED = "备份文件已损坏或不是本平台的备份"
UNSEALED = "备份没有用备份密钥封存（缺少 manifest.seal）：旧版本的备份，或被改动后重新封装的备份，不予使用"
FORGED = "备份的封存校验失败：清单被改动过，或备份是用另一个备份密钥（WANGGE_BACKUP_KEY）封存的"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    vendor: str
    dump: str
    dump_bytes: int
    dump_sm3: str
    tables: dict[str, int]
    media: dict[str, str] = field(default_factory=dict)  # path under MEDIA_ROOT: SM3
    audit_checkpoint: dict | None = None  # the chains' ends in the dump, sealed (`checkpoints`)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    mismatched: dict[str, tuple[int, int | None]]  # table: (rows in the manifest, rows restored)
    audit: Verdict
    superseded: str | None = None  # the current checkpoint the restore moved aside

    @property
    def ok(self) -> bool:
        return not self.mismatched and self.audit.ok


def backup_create(*, out: Path) -> Manifest:
    """Write a backup of the default database to `out` (replaced only once it is complete)."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {vendor} 数据库")
    with tempfile.TemporaryDirectory(prefix="wangge-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[vendor]
        tables, ends = _sqlite_dump(dump) if vendor == "sqlite" else _pg_dump(dump)
        media = _media_files()
        now = timezone.now()
        manifest = Manifest(
            format=FORMAT,
            created_at=now.isoformat(timespec="seconds"),
            vendor=vendor,
            dump=dump.name,
            dump_bytes=dump.stat().st_size,
            dump_sm3=crypto.sm3_hex(dump.read_bytes()),
            tables=tables,
            media={name: crypto.sm3_hex(path.read_bytes()) for name, path in media.items()},
            audit_checkpoint=checkpoint_seal(at=now, chains=ends),
        )
        _write_archive(out, manifest, dump, media)
    return manifest


def backup_read(path: Path, *, into: Path) -> tuple[Manifest, Path]:
    """Check a backup and unpack its dump into the directory `into` (its media files into
    `into/media`); refuse a damaged one."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            raw = archive.extractfile(members[MANIFEST]).read()
            if MANIFEST_SEAL not in members:
                raise BackupError(UNSEALED)
            stated = archive.extractfile(members[MANIFEST_SEAL]).read().decode().strip()
            if not crypto.hmac_equal(_seal(raw), stated):
                raise BackupError(FORGED)
            manifest = Manifest(**json.loads(raw))
            dump = into / manifest.dump
            with archive.extractfile(members[manifest.dump]) as source, dump.open("wb") as target:
                shutil.copyfileobj(source, target)
            _read_media(archive, members, manifest, into / MEDIA)
    except BackupError:
        raise
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件 {path}") from None
    except (tarfile.TarError, OSError, EOFError, zlib.error, KeyError, TypeError, ValueError) as problem:
        raise BackupError(f"{DAMAGED}：{problem}") from None
    if manifest.format not in READABLE_FORMATS:
        raise BackupError(f"备份格式 {manifest.format} 不受支持（本版本读取格式 {'、'.join(map(str, sorted(READABLE_FORMATS)))}）")
    if not crypto.hmac_equal(crypto.sm3_hex(dump.read_bytes()), manifest.dump_sm3):
        raise BackupError(f"{DAMAGED}：数据库副本的 SM3 摘要与清单不符")
    return manifest, dump


def backup_restore(*, path: Path, replace: bool = False) -> RestoreReport:
    """Restore a backup into the default database, then check its rows and the audit chain.

    Nothing is touched until the whole file has been checked. A database that already holds
    tables is overwritten only with `replace`.
    """
    with tempfile.TemporaryDirectory(prefix="wangge-restore-") as tmp:
        manifest, dump = backup_read(path, into=Path(tmp))
        if manifest.vendor != connection.vendor:
            raise BackupError(f"备份来自 {manifest.vendor} 数据库，不能恢复到当前的 {connection.vendor} 数据库")
        existing = connection.introspection.table_names()
        if existing and not replace:
            raise BackupError(f"目标数据库不是空的（已有 {len(existing)} 张表）；确要用备份覆盖，请加 --replace")
        if manifest.vendor == "sqlite":
            _sqlite_load(dump)
        else:
            _pg_load(dump, replace=replace)
        _restore_media(Path(tmp) / MEDIA, manifest)
    superseded = checkpoint_supersede(manifest.audit_checkpoint)
    counts = _row_counts(connection, manifest.tables)
    mismatched = {t: (n, counts.get(t)) for t, n in manifest.tables.items() if counts.get(t) != n}
    return RestoreReport(manifest, mismatched, audit_verify(), superseded)


def _seal(raw: bytes) -> str:
    return crypto.hmac_sm3(crypto.backup_key(), raw)


def _write_archive(out: Path, manifest: Manifest, dump: Path, media: dict[str, Path]) -> None:
    raw = json.dumps(asdict(manifest), ensure_ascii=False, indent=1, sort_keys=True).encode()
    partial = out.with_name(out.name + ".partial")
    # The dump holds ciphertext and password hashes: readable by the owner only.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as archive:
        for name, data in ((MANIFEST, raw), (MANIFEST_SEAL, _seal(raw).encode())):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        archive.add(dump, arcname=dump.name)
        for name, path in media.items():
            archive.add(path, arcname=f"{MEDIA}/{name}")
    partial.replace(out)


# Media: the files under MEDIA_ROOT, by their path relative to it (the name a FileField stores).


def _media_files() -> dict[str, Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


def _safe_media_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise BackupError(f"{DAMAGED}：媒体文件路径无效：{name}")
    return path


def _read_media(archive: tarfile.TarFile, members: dict, manifest: Manifest, into: Path) -> None:
    """Unpack every media file the manifest names, each checked against its SM3."""
    for name, digest in manifest.media.items():
        target = into / _safe_media_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(members[f"{MEDIA}/{name}"]) as source, target.open("wb") as file:
            shutil.copyfileobj(source, file)
        if not crypto.hmac_equal(crypto.sm3_hex(target.read_bytes()), digest):
            raise BackupError(f"{DAMAGED}：媒体文件 {name} 的 SM3 摘要与清单不符")


def _restore_media(unpacked: Path, manifest: Manifest) -> None:
    root = Path(settings.MEDIA_ROOT)
    for name in manifest.media:
        relative = _safe_media_name(name)
        for folder in [root, *(root / parent for parent in reversed(relative.parents[:-1]))]:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # photos of residents: owner only
        target = root / relative
        shutil.copyfile(unpacked / name, target)
        target.chmod(0o600)


def _row_counts(db, tables=None) -> dict[str, int]:
    with db.cursor() as cursor:
        names = tables if tables is not None else db.introspection.table_names(cursor)
        present = set(db.introspection.table_names(cursor))
        counts = {}
        for name in sorted(names):
            if name in present:
                cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(name)}")  # names from introspection
                counts[name] = cursor.fetchone()[0]
        return counts


# SQLite: the online backup API copies a consistent snapshot page by page while others write.


def _sqlite_dump(dump: Path) -> tuple[dict[str, int], dict]:
    """Rows per table and the audit chains' ends, both read from the copy itself."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(dump)) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = [r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
        return counts, chain_ends(target.cursor())


def _sqlite_load(dump: Path) -> None:
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(dump)) as source:
        source.backup(connection.connection)
    database = Path(connection.settings_dict["NAME"])
    if database.is_file():  # ciphertext and password hashes: readable by the owner only
        database.chmod(0o600)


# PostgreSQL: the rows are counted in the very snapshot pg_dump then dumps.


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if installed:
        return installed[-1]
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具（如 apt-get install postgresql-client），或把其所在目录加入 PATH")


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    given = {"PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"), "PGUSER": db.get("USER"), "PGPASSWORD": db.get("PASSWORD")}
    return dict(os.environ) | {k: str(v) for k, v in given.items() if v}


def _pg_run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败（{done.returncode}）：{done.stderr.strip()}")


def _pg_dump(dump: Path) -> tuple[dict[str, int], dict]:
    pg_dump = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables, ends = _row_counts(connection), chain_ends(cursor)
        _pg_run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 f"--file={dump}", f"--dbname={connection.settings_dict['NAME']}"])
    return tables, ends


def _pg_load(dump: Path, *, replace: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    connection.close()  # nothing of ours holds a lock while the restore runs
    clean = ["--clean", "--if-exists"] if replace else []
    _pg_run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *clean,
             f"--dbname={connection.settings_dict['NAME']}", str(dump)])
