"""The restore drill: back up a database holding the demo district, restore it into an empty
place, and find every row, every encrypted resident, every case photo and the audit chain intact,
sealed by the backup's checkpoint; a damaged, unsealed, forged or foreign-keyed backup is refused
before anything is touched. Run through `wangge` in subprocesses, each installation in its own
directory, the way an operator would."""

import contextlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

WANGGE = Path(sys.executable).parent / "wangge"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
# The installations are the drill's own, whatever DATABASE_URL names.
pytestmark = pytest.mark.own_database

# A resident as stored and as read: the raw column must be ciphertext, the same in both places.
RESIDENT = """
import json
from django.db import connection
from wangge.people.models import Person
person = Person.objects.order_by("pk").first()
with connection.cursor() as cursor:
    cursor.execute("SELECT id_number FROM people_person WHERE id = %s", [person.pk])
    raw = cursor.fetchone()[0]
print(json.dumps([person.pk, raw, person.id_number]))
"""

# A case photo added through the service; then its files as the installation reads them back.
PHOTO_ADD = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wangge.accounts.models import Role, User
from wangge.cases.models import Category
from wangge.cases.photos import case_photo_add
from wangge.cases.services import case_report
from wangge.people.models import Building
building = Building.objects.exclude(grid_code="").order_by("pk").first()
resident = User.objects.create(username="drill_resident", full_name="演练居民", role=Role.RESIDENT)
case, _ = case_report(reporter=resident, category=Category.objects.order_by("pk").first(), description="备份演练", lon=building.lon, lat=building.lat)
out = io.BytesIO()
Image.effect_noise((16, 16), 60).convert("RGB").save(out, "JPEG")
case_photo_add(case=case, actor=resident, upload=SimpleUploadedFile("p.jpg", out.getvalue()))
"""
PHOTOS = """
import hashlib, json
from wangge.cases.models import CasePhoto
print(json.dumps([[p.pk, p.sha256, hashlib.sha256(p.original.open("rb").read()).hexdigest(), hashlib.sha256(p.shown.open("rb").read()).hexdigest()] for p in CasePhoto.objects.order_by("pk")]))
"""


@dataclass(frozen=True)
class Installation:
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(WANGGE), *args], env=self.env, capture_output=True, text=True, timeout=600)
        if check and done.returncode != 0:
            pytest.fail(f"`wangge {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
        return done

    def resident(self) -> tuple[int, str, str]:
        pk, raw, plain = json.loads(self.run("shell", "-c", RESIDENT).stdout.strip().splitlines()[-1])
        return pk, raw, plain

    def photos(self) -> list:
        return json.loads(self.run("shell", "-c", PHOTOS).stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def keys() -> dict[str, str]:
    """One set of keys for source and target, as an operator carries them to the new machine."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "WANGGE_AUDIT_KEY": secrets.token_hex(32),
        "WANGGE_INDEX_KEY": secrets.token_hex(32),
        "WANGGE_FIELD_KEYS": f"1:{secrets.token_hex(16)}",
        "WANGGE_BACKUP_KEY": secrets.token_hex(32),
    }


def installation(var_dir: Path, keys: dict[str, str], database_url: str | None = None) -> Installation:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGGE_", "DATABASE_URL"))}
    env |= keys | {"WANGGE_VAR_DIR": str(var_dir)}
    if database_url:
        env["DATABASE_URL"] = database_url
    return Installation(env)


def drill(source: Installation, target: Installation, backup: Path) -> None:
    source.run("migrate", "--noinput", "-v0")
    source.run("demo")
    source.run("shell", "-c", PHOTO_ADD)
    # The demo's service projects keep a receipt per disbursement: media files too.
    receipts = int(source.run("shell", "-c", "from wangge.projects.models import Disbursement; print(Disbursement.objects.count())").stdout.split()[-1])
    printed = source.run("backup", "--out", str(backup)).stdout
    assert "已备份" in printed and f"媒体文件 {2 + receipts} 个" in printed

    restored = target.run("restore", str(backup)).stdout  # into a place with no database yet
    assert "SM3 摘要校验通过" in restored and "行数核对一致" in restored and "审计链校验通过" in restored

    pk, raw, plain = source.resident()
    assert target.resident() == (pk, raw, plain)
    assert raw.startswith("sm4:") and plain not in raw  # stored encrypted, restored as stored
    assert len(plain) == 18  # and it still decrypts to an ID number

    photos = source.photos()
    assert len(photos) == 1 and photos[0][1] == photos[0][2]  # the original is the file as sent
    assert target.photos() == photos  # the row and both files are back, byte for byte

    # The backup's checkpoint came with it, and the restore sealed its own record since.
    assert "与封存点核对一致" in target.run("audit", "verify").stdout
    sealed = sorted((Path(target.env["WANGGE_VAR_DIR"]) / "audit-checkpoints").glob("checkpoint-*.json"))
    assert sealed and all(path.stat().st_mode & 0o777 == 0o600 for path in sealed)


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory, keys) -> tuple[Path, Installation]:
    root = tmp_path_factory.mktemp("drill")
    source, target = installation(root / "source", keys), installation(root / "target", keys)
    drill(source, target, root / "backup.tar.gz")
    return root / "backup.tar.gz", target


def test_it_restores_a_sqlite_backup_into_an_empty_place(sqlite_backup):
    backup, target = sqlite_backup
    assert "备份文件完好" in target.run("restore", "--check", str(backup)).stdout


def test_it_refuses_to_overwrite_a_database_unless_told(sqlite_backup):
    backup, target = sqlite_backup
    refused = target.run("restore", str(backup), check=False)
    assert refused.returncode != 0 and "--replace" in refused.stderr
    assert "行数核对一致" in target.run("restore", "--replace", str(backup)).stdout


def test_it_refuses_a_flipped_byte_before_touching_anything(sqlite_backup, tmp_path, keys):
    backup, _ = sqlite_backup
    damaged = bytearray(backup.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    (tmp_path / "damaged.tar.gz").write_bytes(bytes(damaged))
    target = installation(tmp_path / "target", keys)

    refused = target.run("restore", str(tmp_path / "damaged.tar.gz"), check=False)
    assert refused.returncode != 0
    assert "未恢复：备份文件已损坏" in refused.stderr
    assert not (tmp_path / "target" / "wangge.sqlite3").exists()


def test_it_refuses_a_media_file_that_does_not_match_the_manifest(sqlite_backup, tmp_path, keys):
    backup, _ = sqlite_backup
    swapped = tmp_path / "swapped.tar.gz"
    with tarfile.open(backup, "r:gz") as source, tarfile.open(swapped, "w:gz") as target:
        media = [m for m in source.getmembers() if m.name.startswith("media/")]
        assert media  # the demo's case photos and disbursement receipts
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == media[0].name:
                data = data[:-1] + bytes([data[-1] ^ 0x01])
            target.addfile(member, io.BytesIO(data))
    refused = installation(tmp_path / "target", keys).run("restore", str(swapped), check=False)
    assert refused.returncode != 0 and "媒体文件" in refused.stderr and "SM3" in refused.stderr
    assert not (tmp_path / "target" / "wangge.sqlite3").exists()


def test_it_refuses_a_truncated_backup(sqlite_backup, tmp_path, keys):
    backup, _ = sqlite_backup
    (tmp_path / "short.tar.gz").write_bytes(backup.read_bytes()[:4096])
    refused = installation(tmp_path / "target", keys).run("restore", str(tmp_path / "short.tar.gz"), check=False)
    assert refused.returncode != 0 and "备份文件已损坏" in refused.stderr


def test_it_reports_an_audit_chain_that_does_not_verify(sqlite_backup, tmp_path, keys):
    backup, _ = sqlite_backup
    # Restored with another audit key, the chain cannot be verified: said, and the exit code fails.
    target = installation(tmp_path / "target", keys | {"WANGGE_AUDIT_KEY": secrets.token_hex(32)})
    done = target.run("restore", str(backup), check=False)
    assert done.returncode != 0 and "审计链校验未通过" in done.stderr


def _pg_available() -> bool:
    if not (shutil.which("pg_dump") or list(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))):
        return False
    return shutil.which("psql") is not None and subprocess.run(["psql", PG_SERVER + "/postgres", "-qAtc", "SELECT 1"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _pg_available(), reason="no PostgreSQL server and pg_dump here")
def test_it_restores_a_postgresql_backup_into_an_empty_database(tmp_path, keys):
    names = [f"wangge_drill_{uuid.uuid4().hex[:8]}_{side}" for side in ("source", "target")]
    for name in names:
        subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    try:
        source = installation(tmp_path / "source", keys, f"{PG_SERVER}/{names[0]}")
        target = installation(tmp_path / "target", keys, f"{PG_SERVER}/{names[1]}")
        drill(source, target, tmp_path / "backup.tar.gz")
        forged = _forge(tmp_path / "backup.tar.gz", tmp_path / "forged.tar.gz", _flip_a_byte)
        _assert_refused(target, forged, "封存校验失败")
        stranger = installation(tmp_path / "stranger", keys | {"WANGGE_BACKUP_KEY": secrets.token_hex(32)}, f"{PG_SERVER}/{names[1]}")
        _assert_refused(stranger, tmp_path / "backup.tar.gz", "WANGGE_BACKUP_KEY")
    finally:
        for name in names:
            subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], capture_output=True)


def _sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _forge(backup: Path, out: Path, tamper, *, drop_seal: bool = False) -> Path:
    """What someone who can write backups would do: change the dump, then recompute every
    digest that needs no key (the dump's SM3 in the manifest, the manifest's SM3)."""
    with tarfile.open(backup, "r:gz") as source:
        files = {m.name: source.extractfile(m).read() for m in source.getmembers() if m.isfile()}
    manifest = json.loads(files["manifest.json"])
    dump = tamper(files[manifest["dump"]], out.with_suffix(".dump"))
    files[manifest["dump"]] = dump
    manifest |= {"dump_sm3": _sm3(dump), "dump_bytes": len(dump)}
    files["manifest.json"] = json.dumps(manifest).encode()
    files["manifest.sm3"] = _sm3(files["manifest.json"]).encode()
    if drop_seal:
        del files["manifest.seal"]
    with tarfile.open(out, "w:gz") as target:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return out


def _make_superuser(dump: bytes, scratch: Path) -> bytes:
    scratch.write_bytes(dump)
    with contextlib.closing(sqlite3.connect(scratch)) as db:
        assert db.execute("UPDATE accounts_user SET is_superuser = 1, is_staff = 1 WHERE username = 'drill_resident'").rowcount == 1
        db.commit()
    return scratch.read_bytes()


def _flip_a_byte(dump: bytes, scratch: Path) -> bytes:
    return dump[:-100] + bytes([dump[-100] ^ 0x01]) + dump[-99:]


def _assert_refused(target: Installation, backup: Path, reason: str) -> None:
    for args in (["--check"], []):
        refused = target.run("restore", *args, str(backup), check=False)
        assert refused.returncode != 0 and "未恢复" in refused.stderr and reason in refused.stderr, refused.stderr


@pytest.mark.parametrize(("drop_seal", "reason"), [(False, "封存校验失败"), (True, "没有用备份密钥封存")])
def test_it_refuses_a_backup_that_makes_a_resident_a_superuser_and_is_resealed_without_the_key(sqlite_backup, tmp_path, keys, drop_seal, reason):
    backup, _ = sqlite_backup
    forged = _forge(backup, tmp_path / "forged.tar.gz", _make_superuser, drop_seal=drop_seal)
    target = installation(tmp_path / "target", keys)
    _assert_refused(target, forged, reason)
    assert not (tmp_path / "target" / "wangge.sqlite3").exists()


def test_it_refuses_a_backup_sealed_with_another_backup_key(sqlite_backup, tmp_path, keys):
    backup, _ = sqlite_backup
    target = installation(tmp_path / "target", keys | {"WANGGE_BACKUP_KEY": secrets.token_hex(32)})
    _assert_refused(target, backup, "WANGGE_BACKUP_KEY")
    assert not (tmp_path / "target" / "wangge.sqlite3").exists()


def test_it_rewinds_the_audit_trail_to_the_backup_and_sets_the_later_checkpoints_aside(sqlite_backup):
    backup, target = sqlite_backup
    target.run("audit", "verify")  # a row more than the backup holds, then sealed
    target.run("audit", "checkpoint")
    var = Path(target.env["WANGGE_VAR_DIR"])
    ahead = sorted((var / "audit-checkpoints").glob("checkpoint-*.json"))[-1].name

    restored = target.run("restore", "--replace", str(backup)).stdout
    assert f"原封存点 {ahead} 已移至 superseded/" in restored
    assert (var / "audit-checkpoints" / "superseded" / ahead).exists()
    assert "与封存点核对一致" in target.run("audit", "verify").stdout
    record = target.run("shell", "-c", RESTORE_RECORD).stdout.strip().splitlines()[-1]
    assert json.loads(record) == {"checkpoint": ahead}
    assert (var / "wangge.sqlite3").stat().st_mode & 0o777 == 0o600


RESTORE_RECORD = """
import json
from wangge.core.models import AuditRecord
print(json.dumps(AuditRecord.objects.filter(action="ops.restore").order_by("-id").first().before))
"""


def test_production_refuses_to_start_without_a_backup_key(tmp_path, keys):
    env = installation(tmp_path, {k: v for k, v in keys.items() if k != "WANGGE_BACKUP_KEY"}).env
    done = Installation(env | {"WANGGE_ENV": "production", "ALLOWED_HOSTS": "wangge.example.gov.cn"}).run("check", check=False)
    assert done.returncode != 0 and "WANGGE_BACKUP_KEY" in done.stderr
    assert not (tmp_path / "wangge_backup_key").exists()
