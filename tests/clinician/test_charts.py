"""The statistics' SVG bar charts: each shown number drawn to scale, nothing small drawn."""

from __future__ import annotations

import datetime
import re

import pytest

from screening.core import stats
from screening.web.clinician import charts

MONDAY = datetime.date(2026, 11, 30)


def grid():
    counts = [
        stats.Count(MONDAY, "completed", "self", band, "", "en", n)
        for band, n in (("fewer_signs", 40), ("some_signs", 20), ("many_signs", 3))
    ]
    counts.append(
        stats.Count(
            MONDAY + datetime.timedelta(7), "completed", "self", "crisis_first", "", "en", 10
        )
    )
    return stats.table(
        counts, columns=["fewer_signs", "some_signs", "many_signs", "not_enough", "crisis_first"]
    )


def test_each_shown_number_is_a_bar_part_to_scale_and_a_small_one_is_starred():
    chart = stats.chart(grid(), height=100)
    svg = str(charts.bars_svg("bands", chart))
    rects = re.findall(
        r'<rect class="chart__bar chart__bar--(\d)"[^>]* x="(\d+)" y="([\d.]+)" '
        r'width="18" height="([\d.]+)">',
        svg,
    )
    assert chart.top == 60  # 40 + 20 shown; 3 is not
    assert [(n, x) for n, x, _, _ in rects] == [("0", "40"), ("1", "40"), ("4", "64")]
    heights = [float(h) for *_, h in rects]
    assert heights == pytest.approx([66.67, 33.33, 16.67], abs=0.01)
    assert svg.count('class="chart__small"') == 2  # both weeks have a part under 5
    assert 'fill="url(#bands-fill-4)"' in svg and '<pattern id="bands-fill-4"' in svg
    assert 'aria-hidden="true"' in svg  # the table beside it is what screen readers read


def test_a_chart_id_is_a_plain_name():
    with pytest.raises(ValueError):
        charts.bars_svg('x" onload="alert(1)', stats.chart(grid()))
