"""Field keys from the environment, key rotation with `wangge pii rotate`, and no ID number or
mobile number anywhere in the database in clear."""

import base64
import hashlib
import hmac
import os
import re
from io import StringIO
from unittest import mock

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wangge.accounts.models import TotpDevice
from wangge.core import keys, pii
from wangge.core.models import AuditRecord
from wangge.geo.scope import Scope
from wangge.people.identity import parse_id_number
from wangge.people.models import Person
from wangge.people.selectors.persons import person_by_id_number
from wangge.people.services.persons import id_digest

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = "ffeeddccbbaa99887766554433221100"
INDEX_B = "b2" * 32
LEGACY_MASTER = "5e" * 32
KEY_VARIABLES = ("WANGGE_FIELD_KEYS", "WANGGE_INDEX_KEY", "WANGGE_FIELD_KEY")


@pytest.fixture
def environ():
    """Sets key variables for one test; afterwards the environment and the keys read are back."""

    def set_keys(**values):
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        keys.clear_caches()

    with mock.patch.dict(os.environ):
        yield set_keys
    keys.clear_caches()


def _stored_key_ids() -> set[str]:
    """Key ids of every non-empty value of every encrypted column, read with raw SQL."""
    found = set()
    with connection.cursor() as cursor:
        for model, fields in pii.encrypted_fields().items():
            for field in fields:
                cursor.execute(f"SELECT {connection.ops.quote_name(field.column)} FROM {connection.ops.quote_name(model._meta.db_table)}")
                found |= {pii.key_id_of(value) for (value,) in cursor.fetchall() if value}
    return found


def _plaintexts() -> dict[int, tuple]:
    return {p.pk: (p.id_number, p.phone, p.ethnicity, p.religion, p.health) for p in Person.objects.all()}


def _legacy_token(value: str) -> str:
    """A value as the pre-SM4 version wrote it: AES-256-GCM under a key derived from the master."""
    key = hmac.digest(bytes.fromhex(LEGACY_MASTER), b"encrypt", hashlib.sha256)
    nonce = os.urandom(12)
    return "v1:" + base64.b64encode(nonce + AESGCM(key).encrypt(nonce, value.encode(), None)).decode()


def _pii(action: str) -> str:
    out = StringIO()
    call_command("pii", action, stdout=out)
    return out.getvalue()


def test_it_reads_versioned_field_keys_and_writes_under_the_first(environ):
    environ(WANGGE_FIELD_KEYS=f"2:{KEY_B}")
    older = pii.encrypt("回族")
    environ(WANGGE_FIELD_KEYS=f" 3:{KEY_A} , 2:{KEY_B} ")
    assert keys.field_keys().current == "3" and keys.field_keys().by_id == {"3": bytes.fromhex(KEY_A), "2": bytes.fromhex(KEY_B)}
    assert older.startswith("sm4:2:") and pii.encrypt("回族").startswith("sm4:3:")
    assert pii.decrypt(older) == "回族"
    environ(WANGGE_FIELD_KEYS=f"3:{KEY_A}")
    with pytest.raises(ValueError, match="密钥 2 不在 WANGGE_FIELD_KEYS"):
        pii.decrypt(older)


def test_a_value_cannot_be_passed_off_under_another_key_id(environ):
    environ(WANGGE_FIELD_KEYS=f"3:{KEY_A},2:{KEY_A}")
    token = pii.encrypt("13812345678")
    with pytest.raises(ValueError):
        pii.decrypt(token.replace("sm4:3:", "sm4:2:"))


@pytest.mark.parametrize(
    ("value", "reason"),
    [(f"3:{KEY_A[:-2]}", "32 位十六进制"), (f"3:{'zz' * 16}", "32 位十六进制"), (f"x-1:{KEY_A}", "编号"), (f"3:{KEY_A},3:{KEY_B}", "重复"), (KEY_A, "编号")],
)
def test_it_refuses_a_malformed_field_key_naming_the_variable(environ, value, reason):
    environ(WANGGE_FIELD_KEYS=value)
    with pytest.raises(ImproperlyConfigured, match=f"WANGGE_FIELD_KEYS.*{reason}"):
        keys.field_keys()


def test_production_refuses_to_run_without_its_keys(environ, settings):
    settings.WANGGE_ENV = "production"
    environ(WANGGE_FIELD_KEYS=None, WANGGE_INDEX_KEY=None)
    with pytest.raises(ImproperlyConfigured, match="WANGGE_FIELD_KEYS"):
        pii.encrypt("13812345678")
    with pytest.raises(ImproperlyConfigured, match="WANGGE_INDEX_KEY"):
        pii.blind_index("id", "410104198001011234")
    assert {"WANGGE_FIELD_KEYS", "WANGGE_INDEX_KEY"} <= {v for e in keys.check_keys(None) for v in KEY_VARIABLES if v in e.msg}


def test_development_generates_missing_keys_once_into_var(environ, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    environ(WANGGE_FIELD_KEYS=None, WANGGE_INDEX_KEY=None, WANGGE_FIELD_KEY=None)
    token = pii.encrypt("13812345678")
    digest = pii.blind_index("id", "x")
    assert re.fullmatch(r"1:[0-9a-f]{32}", (tmp_path / "wangge_field_keys").read_text())
    assert re.fullmatch(r"[0-9a-f]{64}", (tmp_path / "wangge_index_key").read_text())
    assert (tmp_path / "wangge_field_keys").stat().st_mode & 0o777 == 0o600
    assert keys.legacy_field_key() is None and not (tmp_path / "field_key").exists()
    keys.clear_caches()
    assert pii.decrypt(token) == "13812345678" and pii.blind_index("id", "x") == digest


def test_rotation_moves_every_value_and_the_blind_index_to_the_new_keys(environ, people):
    # Key A is the one the demo district was written under (from the environment or var/).
    key_a = keys.field_keys()
    environ(WANGGE_FIELD_KEY=LEGACY_MASTER)
    person = Person.objects.order_by("pk").first()
    # A phone written by the version before SM4, and an encrypted field of another model.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET phone = %s WHERE id = %s", [_legacy_token("13900001111"), person.pk])
    TotpDevice.objects.create(user=people.grid_worker.user, secret="JBSWY3DPEHPK3PXP")
    assert _stored_key_ids() == {f"sm4:{key_a.current}", "v1"}
    before = _plaintexts()
    assert before[person.pk][1] == "13900001111"

    readable = ",".join(f"{key_id}:{key.hex()}" for key_id, key in key_a.by_id.items())
    environ(WANGGE_FIELD_KEYS=f"B:{KEY_B},{readable}", WANGGE_INDEX_KEY=INDEX_B)
    assert person_by_id_number(Scope.district(), id_digest(person.id_number)) is None  # the index is under the old key still
    report = _pii("rotate")
    assert f"people.Person：重新加密 {sum(len([v for v in values if v]) for values in before.values())} 个值" in report
    assert "accounts.TotpDevice：重新加密 1 个值" in report
    assert f"重算盲索引 {len(before)} 条" in report
    assert AuditRecord.objects.get(action="pii.rotated").detail in report

    environ(WANGGE_FIELD_KEYS=f"B:{KEY_B}", WANGGE_FIELD_KEY=None)  # key A and the pre-SM4 key retired
    assert _stored_key_ids() == {"sm4:B"}
    assert _plaintexts() == before
    assert TotpDevice.objects.get(user=people.grid_worker.user).secret == "JBSWY3DPEHPK3PXP"
    for pk, (number, *_) in list(before.items())[:: len(before) // 50]:
        assert person_by_id_number(Scope.district(), id_digest(number)).pk == pk


def test_rotation_is_idempotent_and_status_counts_values_by_key(environ, db):
    key_a = keys.field_keys()
    people_count = Person.objects.count()
    readable = ",".join(f"{key_id}:{key.hex()}" for key_id, key in key_a.by_id.items())
    environ(WANGGE_FIELD_KEYS=f"B:{KEY_B},{readable}", WANGGE_INDEX_KEY=INDEX_B)
    status = _pii("status")
    assert f"当前密钥：sm4:B；可读密钥：sm4:B，sm4:{key_a.current}" in status
    assert f"people.Person.id_number：sm4:{key_a.current} {people_count}\n" in status
    assert f"people.Person 盲索引：当前 0，需重算 {people_count}，无法读取 0" in status

    _pii("rotate")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_digest FROM people_person ORDER BY id")
        stored = cursor.fetchall()
    assert "重新加密 0 个值（当前密钥 sm4:B），重算盲索引 0 条" in _pii("rotate")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_digest FROM people_person ORDER BY id")
        assert cursor.fetchall() == stored
    status = _pii("status")
    assert f"people.Person.id_number：sm4:B {people_count}\n" in status
    assert f"people.Person 盲索引：当前 {people_count}，需重算 0，无法读取 0" in status


def test_rotation_stops_with_a_clear_error_on_a_value_it_cannot_read(environ, db):
    environ(WANGGE_FIELD_KEYS=f"B:{KEY_B}", WANGGE_INDEX_KEY=INDEX_B)
    with pytest.raises(CommandError, match=r"people.Person #\d+ 的 id_number 无法解密"):
        _pii("rotate")


ID_NUMBER = re.compile(r"(?<![\d.])\d{17}[\dXx](?![\d])")
MOBILE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?![\d])")
# Keyed digests, MACs and token hashes are long hex runs; by chance one may hold 11 digits in a row.
HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")


def _plain_numbers(text: str) -> list[str]:
    text = HEX_RUN.sub("#", text)
    found = MOBILE.findall(text)
    for candidate in ID_NUMBER.findall(text):
        try:  # an 18-digit code with a valid check digit and birth date is an ID number
            found.append(parse_id_number(candidate).number)
        except ValueError:
            pass
    return found


def test_the_scanner_finds_numbers_in_text_but_not_coordinates_codes_or_digests():
    assert _plain_numbers('{"phone": "13812345678", "id": "410104198001011232"}') == ["13812345678", "410104198001011232"]
    assert _plain_numbers("身份证号410104199005054322，电话13912345678") == ["13912345678", "410104199005054322"]
    assert _plain_numbers("[113.65432109876543210, 34.74613812345678901]") == []
    assert _plain_numbers("410104001001001001 410104001001 " + "0a" + "13812345678" * 3 + "fe" * 10) == []


def test_no_id_number_or_mobile_number_is_stored_in_clear_anywhere(db):
    assert Person.objects.exclude(phone="").exists()  # the demo has people with phones to hide
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                hits += [(table, column, number) for column, value in zip(columns, row, strict=True) if isinstance(value, str) for number in _plain_numbers(value)]
    assert hits == []
