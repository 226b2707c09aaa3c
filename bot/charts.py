"""The `/cop stats` chart: a PNG drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

if TYPE_CHECKING:
    from storage.stats import WeekStats

SERIES = (
    ("active", "active people"),
    ("snippets", "snippets"),
    ("kudos", "kudos"),
    ("prompt_replies", "prompt replies"),
)


def stats_chart(weeks: Sequence[WeekStats], *, title: str) -> bytes:
    """The weekly figures as grouped bars, as PNG bytes: bars side by side, so two series
    with the same values never hide each other as lines would."""
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    try:
        width = 0.8 / len(SERIES)
        places = range(len(weeks))
        for index, (field, label) in enumerate(SERIES):
            offset = (index - (len(SERIES) - 1) / 2) * width
            heights = [getattr(w, field) for w in weeks]
            axes.bar([x + offset for x in places], heights, width, label=label)
        axes.set_xticks(list(places), [w.label for w in weeks])
        axes.set_title(title)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # people and posts are whole
        axes.grid(axis="y", alpha=0.3)
        axes.legend(loc="upper left", fontsize="small")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)
