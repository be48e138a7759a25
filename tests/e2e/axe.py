"""Checks any page can be put through in a real browser: axe-core's accessibility rules (the
package from npm, injected by the test, never served by the platform), and the phone's rules
that a page does not scroll sideways nor squeeze its text into a column a character or two
wide (what a table does when told to fit a phone)."""

from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Rules whose verdict comes from the page's HTML and CSS, not from a map library's own markup,
# which we do not write: Leaflet's tiles and panes are excluded from the run.
RUN_AXE = """async () => {
  const result = await axe.run(
    {exclude: [[".leaflet-pane"], [".leaflet-control-container"]]},
    {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""

# The layout viewport's width: on a phone (is_mobile) window.innerWidth grows with a page too
# wide and would hide the very fault.
WIDEST_OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth;
  let worst = null;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 0.5) continue;
    if (getComputedStyle(el).position === "fixed") continue;
    // Inside a container that scrolls on its own (a table's wrap, a map) is no page scroll.
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== "visible" && p.getBoundingClientRect().right <= limit + 0.5) { clipped = true; break; }
    }
    if (clipped) continue;
    if (!worst || box.right > worst.right) {
      const id = el.id ? "#" + el.id : "";
      const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      worst = {right: Math.round(box.right), what: el.tagName.toLowerCase() + id + cls,
               text: (el.textContent || "").trim().slice(0, 60)};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewport: limit, widest: worst};
}"""


# Text squeezed so narrow that it runs down the screen: a box of at least four characters whose
# width holds fewer than two of them and whose text runs to more than three lines.
CRUSHED_TEXT = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join("");
    if (own.length < 4) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || style.writingMode.startsWith("vertical")) continue;
    const box = el.getBoundingClientRect();
    const size = parseFloat(style.fontSize);
    const line = parseFloat(style.lineHeight) || size * 1.2;
    if (box.width > 0 && box.width < 2 * size && box.height > 3 * line) {
      found.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ": " + own.slice(0, 20) + " (" + Math.round(box.width) + " px wide)");
    }
  }
  return found;
}"""


def axe_violations(page: Page) -> list[dict]:
    """Every violation axe-core finds on the page as it stands, with its impact and targets."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE)


def assert_no_serious_axe_violation(page: Page, where: str = "") -> None:
    """No violation of impact serious or critical; on failure, each rule's id, impact and the
    elements it names."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {where or page.url}:\n" + "\n".join(
        f"  [{v['impact']}] {v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in blocking
    )


def assert_no_sideways_scroll(page: Page, where: str = "") -> None:
    """The page is no wider than the window; on failure, the element reaching furthest right."""
    width = page.evaluate(WIDEST_OVERFLOW)
    assert width["scrollWidth"] <= width["viewport"], (
        f"{where or page.url} is {width['scrollWidth']} px wide in a {width['viewport']} px window; "
        f"widest: {width['widest']}"
    )


def assert_no_crushed_text(page: Page, where: str = "") -> None:
    """No text squeezed into a column one or two characters wide."""
    crushed = page.evaluate(CRUSHED_TEXT)
    assert not crushed, f"{where or page.url} squeezes {len(crushed)} texts, e.g.: " + "; ".join(crushed[:5])
