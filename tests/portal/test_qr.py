"""The article QR code: a self-contained inline SVG whose drawing is segno's matrix."""

import re
import xml.etree.ElementTree as ET

import segno

from wangge.portal.qr import svg

URL = "https://wangge.example.gov.cn/portal/news/2024/0815-grid-visits/"
QUIET_ZONE = 4


def _dark_modules(element: ET.Element, scale: int) -> set[tuple[int, int]]:
    """Read the dark modules back from segno's path language (M, m, h; lines at y + 0.5)."""
    group = element.find("g")
    assert group.get("transform") == f"scale({scale})"
    (path,) = [p for p in group.findall("path") if p.get("stroke")]
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([MmHhVvZz])([^MmHhVvZz]*)", path.get("d")):
        values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            run = int(values[0])
            start = int(x) if run > 0 else int(x) + run
            dark.update((start + k, int(y - 0.5)) for k in range(abs(run)))
            x += run
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def test_it_returns_an_inline_svg_element_that_is_well_formed_xml():
    text = svg(URL)
    assert text.startswith("<svg ") and text.endswith("</svg>")
    assert "<?xml" not in text
    element = ET.fromstring(text)
    assert element.tag == "svg"
    assert element.get("role") == "img" and element.get("aria-label")


def test_it_draws_exactly_segnos_matrix_for_the_url():
    scale = 4
    element = ET.fromstring(svg(URL, scale=scale))
    matrix = segno.make(URL, error="m").matrix
    modules = len(matrix) + 2 * QUIET_ZONE

    assert element.get("viewBox") == f"0 0 {modules * scale} {modules * scale}"
    assert element.get("width") == element.get("height") == str(modules * scale)
    expected = {
        (col + QUIET_ZONE, row + QUIET_ZONE)
        for row, line in enumerate(matrix)
        for col, bit in enumerate(line)
        if bit
    }
    assert _dark_modules(element, scale) == expected


def test_it_scales_the_modules():
    small, large = ET.fromstring(svg(URL, scale=2)), ET.fromstring(svg(URL, scale=6))
    assert int(large.get("width")) == 3 * int(small.get("width"))
    assert _dark_modules(small, 2) == _dark_modules(large, 6)


def test_it_refers_to_nothing_outside_itself():
    text = svg(URL)
    for element in ET.fromstring(text).iter():
        for name, value in element.attrib.items():
            assert "href" not in name and "src" not in name
            assert "url(" not in value and "//" not in value
    assert "<image" not in text and "<use" not in text and "<style" not in text


def test_it_gives_different_codes_for_different_urls():
    other = URL.replace("0815", "0816")
    assert svg(URL) != svg(other)
    scale = 4
    assert _dark_modules(ET.fromstring(svg(URL)), scale) != _dark_modules(
        ET.fromstring(svg(other)), scale
    )
