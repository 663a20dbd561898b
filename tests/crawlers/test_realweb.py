"""The crawler on real markup: every file of ../shared/realweb/ through the spiders' own
callbacks (tests/crawlers/realweb.py), held to the floors pinned in realweb_baseline.json.

Skips with a message where ../shared is not beside the checkout; in CI it is, and a missing
directory fails.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import IN_CI
from tests.crawlers import realweb

TOLERANCE = 0.001  # the run is deterministic; only float rounding


@pytest.fixture(scope="module")
def report() -> realweb.Report:
    if not realweb.available():
        if IN_CI:
            pytest.fail(f"real material missing at {realweb.REALWEB}", pytrace=False)
        pytest.skip(f"no real material at {realweb.REALWEB} (../shared/realweb beside the "
                    "checkout)")
    return realweb.evaluate()


def test_every_manifest_file_is_checked(report: realweb.Report) -> None:
    files = {e["file"] for e in realweb.manifest()}
    assert {c.file for c in report.checks} == files
    # 19 articles x headline/date/lang/body_start (+ the instant where the page gives one;
    # the empty-body page is judged only as no_text), 6 feeds x 5, 2 sitemaps x 3,
    # 11 Telegram pages x 3.
    assert len(report.checks) >= 150


def test_floors_per_kind(report: realweb.Report) -> None:
    floors = json.loads(realweb.BASELINE.read_text())
    got = report.figures()
    low = {k: (got.get(k, 0.0), v) for k, v in floors.items() if got.get(k, 0.0) < v - TOLERANCE}
    wrong = [f"{c.file} {c.field}: got {c.got!r}, want {c.want!r}" for c in report.wrong]
    assert not low, f"below the floor (got, floor): {low}; wrong: {wrong}"


def test_at_most_one_check_wrong(report: realweb.Report) -> None:
    # The bar. None is wrong at the moment; the empty-body mk.ru page becoming
    # no_text is counted as right (that is its right outcome, see realweb.score_article).
    assert len(report.wrong) <= 1, [f"{c.file} {c.field}" for c in report.wrong]


def test_discards_and_encoding_overrides_are_counted(report: realweb.Report) -> None:
    # The empty-body page is a named discard, and the two KOI8-R feeds served as
    # windows-1251 were re-decoded by their XML declaration and counted.
    assert report.stats["no_text/navigation"] == 1
    assert report.stats["drop/no_text"] == 1
    assert report.stats["encoding/declared_over_header"] == 2
    assert report.stats["date/text"] >= 1            # football.ua: date only in visible text
    assert report.stats["extract/lead_restored"] >= 5
    assert report.stats["extract/title_from_h1"] >= 3


@pytest.mark.parametrize("name", ["mk_2020-09-23.html", "ukrinform_ru.html",
                                  "football_ua_podolski.html"])
def test_lead_is_first_and_not_repeated(name: str) -> None:
    if not realweb.available():
        pytest.skip(f"no real material at {realweb.REALWEB}")
    entry = next(e for e in realweb.manifest() if e["file"].endswith(name))
    item, reason, _ = realweb.run_article(entry, (realweb.REALWEB / entry["file"]).read_bytes())
    assert item is not None, reason
    text = realweb.norm(item.text)
    lead = realweb.norm(entry["expect"]["body_start"])
    assert text.count(lead[:60]) == 1
    assert not text.startswith(realweb.norm(item.title))  # the headline is not repeated
