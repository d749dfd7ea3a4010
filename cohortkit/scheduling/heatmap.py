"""The coverage heat map: one cell per candidate (7 weekdays x 96 quarter hours) as SVG.

Darker cells are times more participants can attend every week; chosen times are outlined.
Served as image/svg+xml and shown with <img>, so its attributes never meet the page's CSP.
"""

from collections.abc import Sequence
from xml.sax.saxutils import escape

CELL_WIDTH = 8
CELL_HEIGHT = 22
LEFT = 44
TOP = 22
BOTTOM = 26


def _colour(value: int, top: int) -> str:
    if top <= 0 or value <= 0:
        return "#f3f5f8"
    share = value / top
    # From a pale blue to the accent blue (#0b5cad); legible against dark outlines.
    start, end = (222, 235, 247), (8, 48, 107)
    red, green, blue = (round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
    return f"#{red:02x}{green:02x}{blue:02x}"


def coverage_svg(
    coverage: Sequence[Sequence[int]],
    *,
    chosen: Sequence[tuple[int, int]],
    weekdays: Sequence[str],
    title: str,
    participants: int,
) -> str:
    """The SVG text. `coverage[day][slot]`; `chosen` holds (day, slot) pairs to outline;
    `weekdays` are the (translated) row labels; `title` names the picture."""
    width = LEFT + 96 * CELL_WIDTH + 8
    height = TOP + 7 * CELL_HEIGHT + BOTTOM
    top = max((max(row) for row in coverage), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for hour in range(0, 25, 3):
        x = LEFT + hour * 4 * CELL_WIDTH
        parts.append(f'<text x="{x}" y="{TOP - 7}" text-anchor="middle">{hour:02d}</text>')
    for day, row in enumerate(coverage):
        y = TOP + day * CELL_HEIGHT
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + CELL_HEIGHT - 7}" text-anchor="end">'
            f"{escape(weekdays[day])}</text>"
        )
        for slot, value in enumerate(row):
            x = LEFT + slot * CELL_WIDTH
            label = f"{weekdays[day]} {slot // 4:02d}:{slot % 4 * 15:02d} — {value}/{participants}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL_WIDTH}" height="{CELL_HEIGHT - 2}" '
                f'fill="{_colour(int(value), top)}"><title>{escape(label)}</title></rect>'
            )
    for day, slot in chosen:
        x, y = LEFT + slot * CELL_WIDTH, TOP + day * CELL_HEIGHT
        parts.append(
            f'<rect x="{x - 1}" y="{y - 1}" width="{CELL_WIDTH + 2}" height="{CELL_HEIGHT}" '
            'fill="none" stroke="#d4351c" stroke-width="2.5"/>'
        )
    legend_y = TOP + 7 * CELL_HEIGHT + 16
    parts.append(f'<text x="{LEFT}" y="{legend_y}">{escape(f"0 … {top} / {participants}")}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
