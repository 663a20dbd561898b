"""Numbers as the brief writes them (one place, for the templates and the summary)."""

from __future__ import annotations

import math

DASH = "–"


def num(value: float | int | None, digits: int = 0, language: str = "en") -> str:
    """Digit groups and decimal mark as the language writes them: 1,234.5 or 1 234,5."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    text = f"{value:,.{digits}f}"
    if language == "ru":
        return text.replace(",", " ").replace(".", ",")
    return text


def signed(value: float | None, digits: int = 2, language: str = "en") -> str:
    if value is None or not math.isfinite(value):
        return DASH
    text = f"{value:+.{digits}f}".replace("-", "−")
    return text.replace(".", ",") if language == "ru" else text


def pct(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return DASH
    return f"{value * 100:+.0f}%".replace("-", "−")


def pval(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"
