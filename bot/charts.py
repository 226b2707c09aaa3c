"""The `/cop stats` chart: a PNG drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

if TYPE_CHECKING:
    from storage.stats import WeekStats

SERIES = (
    ("active", "active people"),
    ("snippets", "snippets"),
    ("kudos", "kudos"),
    ("prompt_replies", "prompt replies"),
)


def stats_chart(weeks: Sequence[WeekStats], *, title: str) -> bytes:
    """A line chart of the weekly figures, as PNG bytes."""
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    try:
        labels = [w.label for w in weeks]
        for field, label in SERIES:
            axes.plot(labels, [getattr(w, field) for w in weeks], marker="o", label=label)
        axes.set_title(title)
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        axes.legend(loc="upper left", fontsize="small")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)
