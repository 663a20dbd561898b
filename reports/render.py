"""Render a digest to an e-mail subject, HTML (inline CSS, tables) and plain text, plus the
PNG charts the HTML references by Content-ID.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports import charts
from reports.i18n import strings
from reports.model import DigestData

TEMPLATES = Path(__file__).resolve().parent / "templates"
DASH = "–"


@dataclass(frozen=True, kw_only=True)
class Rendered:
    week: str
    subject: str
    html: str  # images as src="cid:..."
    text: str
    images: dict[str, bytes]  # Content-ID (without <>) -> PNG

    def standalone_html(self) -> str:
        """The HTML with the images inlined as data: URIs, for a file or a browser."""
        html = self.html
        for cid, png in self.images.items():
            uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            html = html.replace(f'src="cid:{cid}"', f'src="{uri}"')
        return html


def _env(language: str) -> Environment:
    sep = " " if language == "ru" else ","

    def num(value: float | int | None, digits: int = 0) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return DASH
        return f"{value:,.{digits}f}".replace(",", sep)

    def signed(value: float | None, digits: int = 2) -> str:
        if value is None or not math.isfinite(value):
            return DASH
        return f"{value:+.{digits}f}".replace("-", "−")

    def pct(value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return DASH
        return f"{value * 100:+.0f}%".replace("-", "−")

    def pval(value: float) -> str:
        return "< 0.001" if value < 0.001 else f"= {value:.3f}"

    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html.j2"]), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=num, signed=signed, pct=pct, pval=pval)
    return env


def render(data: DigestData) -> Rendered:
    """Subject, HTML and text of ``data`` in ``data.language``, with the chart PNGs."""
    s = strings(data.language)
    cids = {"volume": f"volume.{data.week}@steppewatch", "tone": f"tone.{data.week}@steppewatch"}
    images = {
        cids["volume"]: charts.volume_chart(data.charts, pieces_label=s["pieces"],
                                            copies_label=s["copies_legend"]),
        cids["tone"]: charts.tone_chart(data.charts, ylabel=s["polarity"]),
    }
    env = _env(data.language)
    subject = s["subject"].format(week=data.week, shifts=len(data.shifts),
                                  pieces=data.total.pieces)
    ctx = {"d": data, "s": s, "cids": cids, "subject": subject,
           "has_tone_chart": bool(data.charts.tone)}
    return Rendered(week=data.week, subject=subject,
                    html=env.get_template("digest.html.j2").render(ctx),
                    text=env.get_template("digest.txt.j2").render(ctx), images=images)
