"""QR codes for article pages, drawn here as inline SVG: no image host, no external reference."""

import segno

LABEL = "用手机扫码打开本页"


def svg(url: str, *, scale: int = 4) -> str:
    """An inline <svg> element encoding url; each module is scale x scale CSS pixels.

    Dark modules on a white background with the standard four-module quiet zone, so that a
    phone reads it on any page colour. Error correction at least M (segno raises it where the size allows).
    """
    code = segno.make(url, error="m")
    size = code.symbol_size(scale=scale)[0]
    element = code.svg_inline(
        scale=scale, omitsize=True, dark="#000", light="#fff", title=LABEL,
        svgclass="portal-qr", lineclass=None,
    )  # fmt: skip
    # omitsize gives the viewBox; the width and height keep the modules crisp at their scale.
    return element.replace(
        "<svg ", f'<svg width="{size}" height="{size}" role="img" aria-label="{LABEL}" ', 1
    )
