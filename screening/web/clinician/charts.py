"""The statistics' bar charts as SVG, drawn on the server from `core.stats.Chart`.

Only numbers and the chart's own id go into the drawing (never a label or anything typed), so it
is built as text here, once per chart, rather than tag by tag in the template: a year of stacked
bars is a few hundred shapes. Eight fills, four greys and four black patterns, tell the parts
of a bar apart in print and in forced colours (static/style.css)."""

from __future__ import annotations

import re

from markupsafe import Markup

from ...core.stats import Chart

LEFT, WIDE = 40, 600  # the plot's left edge; the room for bars in a page's column, unscaled
FILLS = 8
ID = re.compile(r"[a-z][a-z0-9-]*")
PATTERNS = (  # fills 4 to 7: the page's ground with black lines or dots
    '<pattern id="{id}-fill-4" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect class="chart__ground" width="6" height="6"></rect>'
    '<line class="chart__ink" x1="0" y1="0" x2="0" y2="6" stroke-width="3"></line></pattern>',
    '<pattern id="{id}-fill-5" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect class="chart__ground" width="5" height="5"></rect>'
    '<circle class="chart__dot" cx="2.5" cy="2.5" r="1.3"></circle></pattern>',
    '<pattern id="{id}-fill-6" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect class="chart__ground" width="6" height="6"></rect>'
    '<line class="chart__ink" x1="0" y1="1.5" x2="6" y2="1.5" stroke-width="2"></line></pattern>',
    '<pattern id="{id}-fill-7" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect class="chart__ground" width="6" height="6"></rect>'
    '<line class="chart__ink" x1="0" y1="0" x2="0" y2="6" stroke-width="1.5"></line>'
    '<line class="chart__ink" x1="0" y1="0" x2="6" y2="0" stroke-width="1.5"></line></pattern>',
)


def fill(chart_id: str, index: int) -> Markup:
    """The attributes that fill the `index`th part of a bar (and its swatch in the key)."""
    n = index % FILLS
    pattern = f' fill="url(#{chart_id}-fill-{n})"' if n > 3 else ""
    return Markup(f'class="chart__bar chart__bar--{n}"{pattern}')


def bars_svg(chart_id: str, chart: Chart) -> Markup:
    """The whole drawing: axes, the top and zero ticks, each bar's parts bottom first, and a
    star under a bar with a part under 5 (not drawn)."""
    if not ID.fullmatch(chart_id):
        raise ValueError(f"a chart's id is a plain name, not {chart_id!r}")
    step = min(24, max(8, WIDE // max(len(chart.bars), 1)))  # a year of weeks fits, unshrunk
    thick = step * 3 // 4  # a bar's width
    width, height = LEFT + len(chart.bars) * step, chart.height
    fills = [fill(chart_id, i) for i in range(FILLS)]
    parts = [
        f'<svg class="chart__picture" viewBox="0 0 {width} {height + 20}" width="{width}" '
        f'height="{height + 20}" aria-hidden="true" focusable="false">',
        "<defs>", *(p.format(id=chart_id) for p in PATTERNS), "</defs>",
        f'<line class="chart__axis" x1="36" y1="0" x2="36" y2="{height}"></line>',
        f'<line class="chart__axis" x1="36" y1="{height}" x2="{width}" y2="{height}"></line>',
        f'<text class="chart__tick" x="32" y="10" text-anchor="end">{chart.top:d}</text>',
        f'<text class="chart__tick" x="32" y="{height}" text-anchor="end">0</text>',
    ]  # fmt: skip
    for i, bar in enumerate(chart.bars):
        x = LEFT + i * step
        parts += [
            f'<rect {fills[j % FILLS]} x="{x}" y="{s.y:g}" width="{thick}" height="{s.height:g}">'
            "</rect>"
            for j, s in enumerate(bar.segments)
            if s.height
        ]
        if bar.small:
            parts.append(
                f'<text class="chart__small" x="{x + thick / 2:g}" y="{height + 14:g}" '
                'text-anchor="middle">*</text>'
            )
    parts.append("</svg>")
    return Markup("\n".join(parts))
