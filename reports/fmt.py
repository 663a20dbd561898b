"""Numbers as the brief writes them (one place, for the templates and the summary)."""

from __future__ import annotations

import math

DASH = "–"


def num(value: float | int | None, digits: int = 0, language: str = "en") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    return f"{value:,.{digits}f}".replace(",", " " if language == "ru" else ",")


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
