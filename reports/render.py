"""Render a digest to an e-mail subject, HTML (inline CSS, tables) and plain text, plus the
PNG charts the HTML references by Content-ID.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports import charts, fmt, i18n
from reports.i18n import strings
from reports.model import DigestData

TEMPLATES = Path(__file__).resolve().parent / "templates"
FULL_ENTRIES = 6  # entries shown in full; the rest as one line each in a compact table


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
    def num(value: float | int | None, digits: int = 0) -> str:
        return fmt.num(value, digits, language)

    def signed(value: float | None, digits: int = 2) -> str:
        return fmt.signed(value, digits, language)

    def plural(n: int, noun: str) -> str:
        return i18n.plural(language, n, noun, fmt.num(n, 0, language))

    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html.j2"]), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=num, signed=signed, pct=fmt.pct, pval=fmt.pval, plural=plural)
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
    subject = s["subject"].format(
        week=data.week, shifts=i18n.plural(data.language, len(data.entries), "shift"),
        pieces=i18n.plural(data.language, data.total.pieces, "piece",
                           fmt.num(data.total.pieces, 0, data.language)))
    ctx = {"d": data, "s": s, "cids": cids, "subject": subject,
           "has_tone_chart": bool(data.charts.tone),
           "full": data.entries[:FULL_ENTRIES], "compact": data.entries[FULL_ENTRIES:]}
    return Rendered(week=data.week, subject=subject,
                    html=env.get_template("digest.html.j2").render(ctx),
                    text=env.get_template("digest.txt.j2").render(ctx), images=images)
