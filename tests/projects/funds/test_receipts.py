"""A receipt is an image or a PDF as its bytes say, whatever its name, within the size limit."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image

from tests.projects.funds import making
from wangge.projects.funds.receipts import BROKEN, REFUSED_TYPE, receipt_checked


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="WEBP")
    return out.getvalue()


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (making.png(), "scan.pdf", "image/png"),  # judged by the bytes, not by the name
    (making.pdf(), "fapiao.jpg", "application/pdf"),
    (_webp(), "receipt", "image/webp"),
])
def test_it_accepts_images_and_pdfs_by_their_bytes(data, name, content_type):
    assert receipt_checked(making.receipt(data, name)) == (data, content_type)


@pytest.mark.parametrize(("data", "reason"), [
    (b"<html><script>alert(1)</script></html>", REFUSED_TYPE),
    (b"GIF89a" + b"\x00" * 20, REFUSED_TYPE),
    (b"PK\x03\x04 a zip that calls itself an invoice", REFUSED_TYPE),
    (making.png()[:40], BROKEN),  # a PNG cut short
    (b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n", BROKEN),  # no end-of-file marker
    (b"", "票据文件是空的"),
])
def test_it_refuses_what_is_not_a_whole_image_or_pdf(data, reason):
    with pytest.raises(ValidationError) as refused:
        receipt_checked(making.receipt(data, "invoice.png"))
    assert refused.value.message_dict["receipt"] == [reason]


def test_it_refuses_a_missing_or_too_big_receipt():
    with pytest.raises(ValidationError) as missing:
        receipt_checked(None)
    assert missing.value.message_dict["receipt"] == ["请选择要上传的票据"]
    data = making.png((300, 300))
    with override_settings(WANGGE_RECEIPT_MAX_BYTES=len(data) - 1), pytest.raises(ValidationError) as big:
        receipt_checked(making.receipt(data))
    assert big.value.message_dict["receipt"][0].startswith("票据超过大小上限")
    with override_settings(WANGGE_RECEIPT_MAX_BYTES=len(data)):
        assert receipt_checked(making.receipt(data))[0] == data


def test_a_refused_receipt_pays_nothing_and_leaves_no_file(people, home, settings):
    line = making.funded(home, 50_000)
    with pytest.raises(ValidationError):
        making.pay(line, 1_000, receipt=making.receipt(b"not a receipt"))
    line.refresh_from_db()
    assert line.spent_fen == 0 and not line.disbursements.exists()
    def stored() -> list[Path]:
        return sorted(p for p in (Path(settings.MEDIA_ROOT) / "receipts").rglob("*") if p.is_file())

    before = stored()
    with pytest.raises(ValidationError):
        making.pay(line, 60_000)  # a whole receipt, refused after it was stored: the file goes again
    assert stored() == before
    making.pay(line, 1_000)
    assert len(stored()) == len(before) + 1
