"""`wangge pii status` and `wangge pii rotate`: which field keys the encrypted values are under,
and moving every value to the current key (and every blind index to the current index key).

Every encrypted column is found through the app registry, so a model added later is rotated
without touching this command. Each batch is re-read under lock and written in its own
transaction: a stored value names its key, so a rotation that stops half-way leaves readable
data, and running it again finishes the job (and then changes nothing).
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, models, router, transaction
from django.db.models.functions import Cast

from wangge.core import crypto, pii
from wangge.core.audit import audit_record

BATCH = 500


def _index_of(model) -> pii.BlindIndex | None:
    return pii.BLIND_INDEXES.get(model._meta.label)


def _raw(field: models.Field) -> Cast:
    # Cast to a plain text column: the stored ciphertext, not the field's decrypted value.
    return Cast(field.name, output_field=models.TextField())


def _rows(model, fields, index, after=None, lock=False) -> list[dict]:
    rows = model._base_manager.order_by("pk")
    if lock:
        rows = rows.select_for_update()
    if after is not None:
        rows = rows.filter(pk__gt=after)
    columns = {f"raw_{f.name}": _raw(f) for f in fields}
    extra = [index.digest] if index else []
    return list(rows.values("pk", *extra, **columns)[:BATCH])


def _open(model, pk, name: str, token: str) -> str:
    try:
        return pii.decrypt(token)
    except ValueError as reason:
        raise CommandError(f"{model._meta.label} #{pk} 的 {name} 无法解密：{reason}") from None


def _rotate_row(model, fields, index, row: dict, counts: Counter) -> dict | None:
    """The row's plaintexts (and digest) to write back, or None when it is current already."""
    stale = [f for f in fields if row[f"raw_{f.name}"] and not pii.is_current(row[f"raw_{f.name}"])]
    plain = {f.name: _open(model, row["pk"], f.name, row[f"raw_{f.name}"]) for f in stale}
    digest = stored = row[index.digest] if index else None
    if index and row[f"raw_{index.source}"]:
        source = plain.get(index.source) or _open(model, row["pk"], index.source, row[f"raw_{index.source}"])
        digest = index.compute(source)
        counts["digests"] += digest != stored
    if not stale and digest == stored:
        return None
    counts["values"] += len(stale)
    for field in fields:
        token = row[f"raw_{field.name}"]
        plain.setdefault(field.name, _open(model, row["pk"], field.name, token) if token else token)
    return plain | ({index.digest: digest} if index else {})


def _write(model, fields, index, rows: list[tuple[object, dict]]) -> None:
    # One statement for the batch: the ORM's per-row update() costs ten times the encryption.
    # Values pass through each field's get_db_prep_save, so EncryptedField seals them under
    # the current key. No signals: re-encrypting changes no record, so one audit row in all.
    db = router.db_for_write(model)
    connection, quote = connections[db], connections[db].ops.quote_name
    targets = [*fields, model._meta.get_field(index.digest)] if index else list(fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in targets)} WHERE {quote(model._meta.pk.column)} = %s"
    params = [[f.get_db_prep_save(values[f.name], connection) for f in targets] + [pk] for pk, values in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _rotate_model(model, fields) -> Counter:
    index, counts, after = _index_of(model), Counter(values=0, digests=0), None
    while True:
        with transaction.atomic(using=router.db_for_write(model)):
            batch = _rows(model, fields, index, after=after, lock=True)
            changed = [(row["pk"], values) for row in batch if (values := _rotate_row(model, fields, index, row, counts))]
            if changed:
                _write(model, fields, index, changed)
        if len(batch) < BATCH:
            return counts
        after = batch[-1]["pk"]


def _status_model(model, fields) -> tuple[dict[str, Counter], Counter]:
    """Values by key id for each field, and (for a blind index) how many digests are stale."""
    index, by_field, digests, after = _index_of(model), {f.name: Counter() for f in fields}, Counter(), None
    while batch := _rows(model, fields, index, after=after):
        for row in batch:
            for field in fields:
                if row[f"raw_{field.name}"]:
                    by_field[field.name][pii.key_id_of(row[f"raw_{field.name}"])] += 1
            if index and row[f"raw_{index.source}"]:
                try:
                    digest = index.compute(pii.decrypt(row[f"raw_{index.source}"]))
                    digests["current" if digest == row[index.digest] else "stale"] += 1
                except ValueError:
                    digests["unreadable"] += 1
        after = batch[-1]["pk"]
    return by_field, digests


def _counts_text(counts: Counter) -> str:
    return "，".join(f"{key} {n}" for key, n in sorted(counts.items())) or "无"


class Command(BaseCommand):
    help = "个人信息加密：status 查看各密钥下的密文数量；rotate 将全部密文改用当前密钥并重算盲索引"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="各加密字段在每个密钥下的数量，及需重算的盲索引")
        sub.add_parser("rotate", help="以当前密钥重新加密全部字段并重算盲索引（可重复执行）")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _status(self, **options):
        keys = crypto.field_keys()
        legacy = "已配置" if crypto.legacy_field_key() else "未配置"
        self.stdout.write(f"当前密钥：sm4:{keys.current}；可读密钥：{'，'.join(f'sm4:{k}' for k in keys.by_id)}；旧版（v1）密钥：{legacy}")
        totals = Counter()
        for model, fields in pii.encrypted_fields().items():
            by_field, digests = _status_model(model, fields)
            for name, counts in by_field.items():
                totals += counts
                self.stdout.write(f"{model._meta.label}.{name}：{_counts_text(counts)}")
            if digests:
                self.stdout.write(f"{model._meta.label} 盲索引：当前 {digests['current']}，需重算 {digests['stale']}，无法读取 {digests['unreadable']}")
        self.stdout.write(f"合计：{_counts_text(totals)}")

    def _rotate(self, **options):
        current = crypto.field_keys().current
        totals = Counter()
        for model, fields in pii.encrypted_fields().items():
            counts = _rotate_model(model, fields)
            totals += counts
            self.stdout.write(f"{model._meta.label}：重新加密 {counts['values']} 个值，重算盲索引 {counts['digests']} 条")
        summary = f"合计：重新加密 {totals['values']} 个值（当前密钥 sm4:{current}），重算盲索引 {totals['digests']} 条"
        audit_record(action="pii.rotated", object_type="command", detail=summary)
        self.stdout.write(summary)
