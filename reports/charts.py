"""PNG charts of the digest: weekly volume bars and tone lines per partner.

Drawn with matplotlib's Agg canvas on a bare ``Figure`` (no pyplot): no display, no global
state, safe inside an Airflow worker. DejaVu Sans (matplotlib's default) covers Cyrillic and
the Kazakh letters, so labels are shown as written.
"""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from reports.model import ChartData

WIDTH_IN, HEIGHT_IN, DPI = 6.4, 2.6, 100  # 640 px: fits the 640 px column of the e-mail
BAR = "#1f4e79"
BAR_COPIES = "#9dc3e6"
CURRENT = "#c55a11"
LINES = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6"]


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def volume_chart(data: ChartData, *, pieces_label: str, copies_label: str) -> bytes:
    """Stacked bars per week: pieces (once per story) and copies; the digest's week stands out."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
    ax = fig.add_subplot()
    x = list(range(len(data.weeks)))
    colors = [BAR] * (len(x) - 1) + [CURRENT]
    ax.bar(x, data.pieces, color=colors, label=pieces_label)
    ax.bar(x, data.copies, bottom=data.pieces, color=BAR_COPIES, label=copies_label)
    for xi, p in zip(x, data.pieces, strict=True):
        ax.text(xi, p / 2, str(p), ha="center", va="center", fontsize=7, color="white")
    ax.set_xticks(x, data.weeks, fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return _png(fig)


def tone_chart(data: ChartData, *, ylabel: str) -> bytes:
    """Weekly mean polarity per partner, -1 .. 1, gaps where a partner had no pieces."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
    ax = fig.add_subplot()
    x = list(range(len(data.weeks)))
    for i, (label, values) in enumerate(data.tone.items()):
        ys = [math.nan if v is None else v for v in values]
        ax.plot(x, ys, marker="o", markersize=3, linewidth=1.5, color=LINES[i % len(LINES)],
                label=label)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvspan(len(x) - 1.5, len(x) - 0.5, color="#fbe5d6", zorder=0)
    ax.set_ylim(-1, 1)
    ax.set_xticks(x, data.weeks, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    if data.tone:
        ax.legend(fontsize=7, frameon=False, loc="lower left", ncol=min(len(data.tone), 3))
    return _png(fig)
