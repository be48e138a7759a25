"""Checkpoints of the audit trail: where each chain ended (its last sequence number and MAC) at a
moment, sealed with HMAC-SM3 and kept in files outside the database.

The chain finds a row altered, inserted or deleted in its middle, but rows removed from its end
leave a shorter chain that still verifies. Whoever can delete rows (the database's superuser, or
anyone holding the SQLite file) cannot reach these files and cannot seal new ones without the
audit key, so `audit_verify` finds a trail that ends before a checkpoint. The worker writes one
every WANGGE_AUDIT_CHECKPOINT_MINUTES (`audit.audit_checkpoint`), every backup carries one, and a
restore installs the backup's in place of the current ones (`checkpoint_supersede`).

This module knows files and seals only; what a checkpoint says about the rows is `audit`'s.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from . import crypto

FORMAT = 1
HISTORY = 12  # the latest and the eleven before it: an hour at the default interval
NAME = "checkpoint-%Y%m%dT%H%M%SZ.json"
SUPERSEDED = "superseded"  # checkpoints a restore rewound past, kept for the record


class CheckpointInvalid(Exception):
    """A checkpoint that cannot be trusted: unreadable, forged, or sealed with another key."""


@dataclass(frozen=True)
class Checkpoint:
    name: str
    at: str
    chains: dict[int, tuple[int, str]]  # chain: (last seq, its mac)


def _key_id(key: bytes) -> str:
    """Names the key without revealing it, so that a checkpoint from another installation is told
    apart from a forged one."""
    return crypto.hmac_sm3(key, b"key id")[:16]


def _signed(document: dict) -> bytes:
    fields = {k: document[k] for k in ("format", "at", "key", "chains")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_seal(*, at: datetime, chains: dict[int, tuple[int, str]]) -> dict:
    """The sealed document of a checkpoint: what a file holds and a backup's manifest carries."""
    key = crypto.audit_checkpoint_key()
    document = {
        "format": FORMAT,
        "at": at.isoformat(timespec="seconds"),
        "key": _key_id(key),
        "chains": {str(chain): [seq, mac] for chain, (seq, mac) in sorted(chains.items())},
    }
    return document | {"seal": crypto.hmac_sm3(key, _signed(document))}


def checkpoint_open(document, *, name: str) -> Checkpoint:
    """The checkpoint `document` seals, or CheckpointInvalid saying why it cannot be trusted."""
    key = crypto.audit_checkpoint_key()
    try:
        if document["format"] != FORMAT:
            raise CheckpointInvalid(f"封存点 {name} 的格式 {document['format']} 不受支持")
        if not crypto.hmac_equal(str(document["key"]), _key_id(key)):
            raise CheckpointInvalid(f"封存点 {name} 不是用本机的审计密钥封存的：来自另一套安装，或 WANGGE_AUDIT_KEY 已更换")
        if not crypto.hmac_equal(str(document["seal"]), crypto.hmac_sm3(key, _signed(document))):
            raise CheckpointInvalid(f"封存点 {name} 的封印校验失败：封存点被改动或伪造")
        chains = {int(chain): (int(seq), str(mac)) for chain, (seq, mac) in document["chains"].items()}
        return Checkpoint(name, str(document["at"]), chains)
    except (KeyError, TypeError, ValueError, AttributeError) as problem:
        raise CheckpointInvalid(f"封存点 {name} 无法读取：{type(problem).__name__} {problem}") from None


def _directory(*parts: str) -> Path:
    # Owner only: a checkpoint names no person, but nobody else should be able to swap one in.
    path = Path(settings.WANGGE_AUDIT_CHECKPOINT_DIR, *parts)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def checkpoint_files(*parts: str) -> list[Path]:
    """The current checkpoints' files (or those under `parts`), oldest first."""
    path = Path(settings.WANGGE_AUDIT_CHECKPOINT_DIR, *parts)
    return sorted(path.glob("checkpoint-*.json")) if path.is_dir() else []


def checkpoint_read(path: Path) -> Checkpoint:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as problem:
        raise CheckpointInvalid(f"封存点 {path.name} 无法读取：{problem}") from None
    return checkpoint_open(document, name=path.name)


def checkpoint_last_at() -> datetime | None:
    """When the newest current checkpoint was taken (from its file's name, which says it in UTC)."""
    files = checkpoint_files()
    return datetime.strptime(files[-1].name, NAME).replace(tzinfo=UTC) if files else None


def checkpoint_latest() -> Checkpoint | None:
    files = checkpoint_files()
    return checkpoint_read(files[-1]) if files else None


def checkpoint_store(document: dict, *parts: str) -> Path:
    """Write `document` as the newest checkpoint, whole or not at all (a temporary file renamed
    into place), and drop all but the last HISTORY."""
    directory = _directory(*parts)
    at = datetime.fromisoformat(document["at"])
    path = directory / at.astimezone(UTC).strftime(NAME)
    partial = directory / f".{path.name}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(json.dumps(document, indent=1, sort_keys=True).encode())
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)
    for old in checkpoint_files(*parts)[:-HISTORY]:
        old.unlink(missing_ok=True)
    return path


def checkpoint_supersede(document: dict | None) -> str | None:
    """Move the current checkpoints aside (under `superseded/`) and make `document` (a restored
    backup's checkpoint, if it has one) the current one. Returns the name of the latest one moved."""
    moved = None
    for path in checkpoint_files():
        moved = path.name
        path.replace(_directory(SUPERSEDED) / path.name)
    for old in checkpoint_files(SUPERSEDED)[:-HISTORY]:
        old.unlink(missing_ok=True)
    if document is not None:
        checkpoint_store(document)
    return moved
