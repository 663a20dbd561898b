"""The first view: without `from`/`to` the page opens on the weeks that hold relevant pieces
(not on today when the data is older, nor on the crawl day of undated articles); an empty
range says so in words and links to the data; "new" entities are not claimed when there is
no earlier data to compare with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pipeline.profile import load_profile
from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from reports.dashboard import create_app
from reports.dashboard.params import DEFAULT_WEEKS
from tests.dashboard.builders import LAST, PV, WEEKS, Story, settings, stories, write_store


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('first') / 'd.db'}"
    writer = make_engine(url)
    upgrade(writer)
    # An undated article crawled today: counted on today's date under "undated", it must
    # not pull the default view to today.
    today = datetime.now(UTC)
    write_store(writer, [*stories(), Story(outlet="ria", lang="ru", published_at=today,
                                           title="crawled today, no date", topic="turkey",
                                           tone=0.0, date_source="crawl")])
    writer.dispose()
    ro = make_engine(url, read_only=True)
    app = create_app(ro, settings(), load_profile(), profile_version=PV, inline_flags=True)
    yield app.test_client()
    ro.dispose()


def test_no_range_opens_on_the_newest_data(client):
    resp = client.get("/api/trend?by=all")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["filters"]["end"] == str(LAST.sunday)
    first = LAST.monday - timedelta(weeks=DEFAULT_WEEKS - 1)
    assert body["filters"]["start"] == str(first)
    pieces = body["data"]["lines"][0]["pieces"]
    assert len(pieces) == DEFAULT_WEEKS and sum(pieces) > 0 and pieces[-1] > 0


def test_the_page_without_parameters_shows_data_not_an_empty_note(client):
    html = client.get("/").get_data(as_text=True)
    assert 'id="empty-range"' not in html
    assert 'id="trend-chart"' in html and 'id="tone-chart"' in html


def test_an_empty_range_says_so_and_links_to_the_data(client):
    html = client.get("/?from=2020-01-06&to=2020-03-01").get_data(as_text=True)
    note = re.search(r'<p class="note empty" id="empty-range">(.*?)</p>', html, re.S).group(1)
    assert note.startswith("No relevant pieces between 2020-01-06 and 2020-03-01; the newest "
                           f"is from {LAST.sunday}, the oldest from {WEEKS[0].monday}.")  # the builders' last story: a Sunday
    link = re.search(r'id="empty-link" href="\?([^"]+)"', note).group(1)
    assert f"to={LAST.sunday}" in link
    # No chart is drawn on an empty range (an empty plotly chart shows a year-2000 axis).
    assert 'id="trend-chart"' not in html and 'id="tone-chart"' not in html
    followed = client.get("/?" + link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'id="empty-range"' not in followed and 'id="trend-chart"' in followed


def test_an_empty_range_after_the_data_names_the_newest(client):
    html = client.get("/?from=2026-01-05&to=2026-02-01").get_data(as_text=True)
    assert ("No relevant pieces between 2026-01-05 and 2026-02-01; the newest is from "
            f"{LAST.sunday},") in html


def test_a_range_before_the_data_names_the_oldest(client):
    html = client.get("/?from=2024-01-01&to=2024-02-04").get_data(as_text=True)
    assert f"the newest is from {LAST.sunday}, the oldest from {WEEKS[0].monday}." in html


def test_new_entities_need_earlier_data(client):
    at_start = client.get(f"/?from={WEEKS[0].monday}&to={LAST.sunday}").get_data(as_text=True)
    table = re.search(r'<table id="new-entities".*?</table>', at_start, re.S).group(0)
    assert "no earlier data to compare with" in table
    assert "ORG" not in table  # the top list is not repeated as "new"
    later = client.get(f"/?from={LAST.monday}&to={LAST.sunday}").get_data(as_text=True)
    table = re.search(r'<table id="new-entities".*?</table>', later, re.S).group(0)
    assert "no earlier data" not in table and "Aselsan" in table
    # The baseline (5 weeks) is wholly covered by data: no "data from ... only" caveat.
    assert "only)" not in table
    partial = client.get(f"/?from={WEEKS[2].monday}&to={LAST.sunday}").get_data(as_text=True)
    table = re.search(r'<table id="new-entities".*?</table>', partial, re.S).group(0)
    assert f"(data from {WEEKS[0].monday} only)" in table
