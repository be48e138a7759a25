"""Text messages to a registered mobile. `WANGGE_SMS_BACKEND` names the class that sends them;
the file backend keeps each message as a file, as Django's file e-mail backend does, for
development and for deployments that have no gateway yet. A gateway (运营商短信平台, 政务短信)
is one more class with the same `send(phone, text)`."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class FileBackend:
    """One file per message in `WANGGE_SMS_DIR`: the directory 0700 and the files 0600, since a
    message may carry a one-time password."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or settings.WANGGE_SMS_DIR)

    def send(self, *, phone: str, text: str) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        path = self.directory / f"{timezone.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.txt"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(f"To: {phone}\n\n{text}\n")
        return path


def sms_send(*, phone: str, text: str) -> None:
    import_string(settings.WANGGE_SMS_BACKEND)().send(phone=phone, text=text)
