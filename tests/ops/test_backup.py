"""The restore drill: back up a database holding the demo district, restore it into an empty
place, and find every row, every encrypted resident, every case photo and the audit chain intact; a damaged
backup is refused before anything is touched. Run through `wangge` in subprocesses, each
installation in its own directory, the way an operator would."""

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

WANGGE = Path(sys.executable).parent / "wangge"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

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
    printed = source.run("backup", "--out", str(backup)).stdout
    assert "已备份" in printed and "媒体文件 2 个" in printed

    restored = target.run("restore", str(backup)).stdout  # into a place with no database yet
    assert "SM3 摘要校验通过" in restored and "行数核对一致" in restored and "审计链校验通过" in restored

    pk, raw, plain = source.resident()
    assert target.resident() == (pk, raw, plain)
    assert raw.startswith("sm4:") and plain not in raw  # stored encrypted, restored as stored
    assert len(plain) == 18  # and it still decrypts to an ID number

    photos = source.photos()
    assert len(photos) == 1 and photos[0][1] == photos[0][2]  # the original is the file as sent
    assert target.photos() == photos  # the row and both files are back, byte for byte


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
        assert len(media) == 2
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
    finally:
        for name in names:
            subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], capture_output=True)
