"""The site's icon at /favicon.ico, where browsers ask for it on every site."""

from io import BytesIO

from django.test import Client
from PIL import Image

from tests.test_headers import assert_secured


def test_it_serves_a_cacheable_icon_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/")
    assert "max-age=" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    assert_secured(response)
    icon = Image.open(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert icon.format == "ICO" and (16, 16) in icon.info["sizes"] and (32, 32) in icon.info["sizes"]
    _, (red, green, blue, _) = max(icon.convert("RGBA").getcolors())
    assert red > 150 and green < 80 and blue < 80  # mostly the platform's red
