"""Where a total sits among the score bands: the picture on the result, worked out once.

The bands are drawn as equal segments, so a narrow band ("0 to 3") can still be read, and the
marker sits inside the band the answers are in, as far along it as the total is. A band raised by
its `lift_if` holds the marker at its start: the total alone would not reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .bank import Band, Bank
from .scoring import Result


@dataclass(frozen=True)
class Segment:
    band: Band
    low: int
    high: int  # the band's highest total (the bank's highest for an open band)
    current: bool  # the band the answers are in


@dataclass(frozen=True)
class Scale:
    segments: tuple[Segment, ...]
    total: int
    highest: int  # the highest total the bank can give
    marker: float  # where the marker sits, from 0 (far left) to 1 (far right)


def scale_of(bank: Bank, result: Result) -> Scale | None:
    """The scale for a result whose headline is a score band; None for a rule band (not enough
    to say, taken only as directed, never used): a place on a scale would mislead there."""
    if not result.band.is_score_band or any(b.label is None for b in bank.score_bands):
        return None
    highest = bank.score_range[1]
    segments = tuple(
        Segment(b, b.min, highest if b.max is None else b.max, b.id == result.scored_band.id)
        for b in bank.score_bands
    )
    here = next(i for i, s in enumerate(segments) if s.current)
    segment = segments[here]
    along = (min(max(result.total, segment.low), segment.high) - segment.low + 0.5) / (
        segment.high - segment.low + 1
    )
    if result.lifted:
        along = 0.0
    return Scale(segments, result.total, highest, (here + along) / len(segments))
