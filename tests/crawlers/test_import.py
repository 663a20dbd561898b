"""`steppewatch import`: JSON Lines, CSV and Telegram exports through the crawler's ingest
steps, on SQLite and PostgreSQL; bad lines, reruns and an interrupted import."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from crawlers.ingest.archive import ImportOptions, ensure_outlets, import_pieces, read_all
from crawlers.ingest.formats import ArchiveError
from pipeline.store.migrate import upgrade
from pipeline.store.models import Article, Outlet
from steppewatch.cli import main

ROWS = [
    {"url": "https://kaz.example/news/1", "outlet": "kaz-archive", "lang": "ru",
     "published": "2024-11-25T09:10:00+05:00", "title": "Токаев встретил Путина в Астане",
     "text": "Президент Казахстана Касым-Жомарт Токаев встретил президента России Владимира "
             "Путина в аэропорту Астаны. Начался государственный визит."},
    {"url": "https://kaz.example/news/2", "outlet": "kaz-archive", "lang": "kk",
     "published": "2024-11-26T11:00:00+05:00", "title": "Астанада ҰҚШҰ саммиті басталды",
     "text": "Астанада Ұжымдық қауіпсіздік туралы шарт ұйымының саммиті басталды. "
             "Тәуелсіздік сарайына қатысушылар жиналды."},
    {"url": "https://kaz.example/news/3", "outlet": "kaz-archive", "lang": "ru",
     "published": "2024-11-27T15:30:00+05:00", "title": "Минобороны и Анкара",
     "text": "Министерство обороны Казахстана и Турция подписали план военного "
             "сотрудничества на 2025 год, сообщает пресс-служба ведомства."},
    # Another outlet reprints the first story word for word: a copy, counted once.
    {"url": "https://mirror.example/a/77", "outlet": "mirror-archive", "lang": "ru",
     "published": "2024-11-25T10:00:00+05:00", "title": "Токаев встретил Путина в Астане",
     "text": "Президент Казахстана Касым-Жомарт Токаев встретил президента России Владимира "
             "Путина в аэропорту Астаны. Начался государственный визит."},
    # Too short to be an article: dropped with its reason.
    {"url": "https://kaz.example/news/4", "outlet": "kaz-archive", "lang": "ru",
     "published": "2024-11-28T08:00:00+05:00", "title": "Фото", "text": "Фото дня"},
]


def _jsonl(path: Path, rows=ROWS) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def _csv(path: Path, rows=ROWS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["url", "outlet", "published", "lang",
                                                    "title", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def _telegram(path: Path) -> Path:
    data = {"name": "Новости Казахстана", "type": "public_channel", "id": 1234567,
            "messages": [
                {"id": 10, "type": "message", "date": "2024-11-27T10:00:00",
                 "date_unixtime": "1732683600",
                 "text": ["⚡️ ", {"type": "bold", "text": "Саммит ОДКБ"},
                          " открылся в Астане"]},
                {"id": 11, "type": "service", "date": "2024-11-27T10:01:00",
                 "action": "pin_message"},
                {"id": 12, "type": "message", "date": "2024-11-27T10:05:00",
                 "date_unixtime": "1732683900", "text": "", "photo": "photos/1.jpg"},
                {"id": 13, "type": "message", "date": "2024-11-27T12:00:00",
                 "date_unixtime": "1732690800",
                 "text": "Шойгу прибыл в Астану на заседание Совбеза ОДКБ"},
            ]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _load(engine, paths, **opts):
    o = ImportOptions(**opts)
    pieces = read_all(paths, o)
    ensure_outlets(engine, pieces, o)
    return import_pieces(engine, pieces)


def _articles(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(Article.outlet_id, Article.canonical_url, Article.cluster_id,
                                   Article.id, Article.source_kind, Article.date_source,
                                   Article.extra).order_by(Article.id)).all()


@pytest.mark.parametrize("writer", [_jsonl, _csv], ids=["jsonl", "csv"])
def test_archive_files_load_through_the_crawler_steps(engine, tmp_path, writer):
    upgrade(engine)
    path = writer(tmp_path / ("a.jsonl" if writer is _jsonl else "a.csv"))
    summary = _load(engine, [path], outlet_group="kz_independent")
    assert (summary.read, summary.stored, summary.copies) == (5, 3, 1)
    assert summary.dropped == {"empty_text": 1}
    rows = _articles(engine)
    assert len(rows) == 4
    by_url = {r.canonical_url: r for r in rows}
    first, copy = by_url["https://kaz.example/news/1"], by_url["https://mirror.example/a/77"]
    assert copy.cluster_id == first.id == first.cluster_id  # the story counts once
    assert all(r.date_source == "feed" and r.extra["imported"]["file"] == path.name
               for r in rows)
    with engine.connect() as conn:
        outlets = dict(conn.execute(select(Outlet.id, Outlet.endpoints)).all())
    assert outlets == {"kaz-archive": {"imported": {"kind": "archive"}},
                       "mirror-archive": {"imported": {"kind": "archive"}}}
    # A rerun adds nothing.
    again = _load(engine, [path], outlet_group="kz_independent")
    assert (again.stored, again.copies, again.already) == (0, 0, 4)
    assert len(_articles(engine)) == 4


def test_telegram_export(engine, tmp_path):
    upgrade(engine)
    summary = _load(engine, [_telegram(tmp_path / "result.json")], lang="ru")
    assert summary.read == 2 and summary.stored == 2  # service and empty posts skipped
    rows = _articles(engine)
    assert [r.canonical_url for r in rows] == ["https://t.me/c/1234567/10",
                                               "https://t.me/c/1234567/13"]
    assert {r.outlet_id for r in rows} == {"новости-казахстана"}
    assert all(r.source_kind == "telegram" for r in rows)
    with engine.connect() as conn:
        group, name = conn.execute(select(Outlet.group, Outlet.name)).one()
        text = conn.execute(select(Article.text).where(
            Article.canonical_url.endswith("/10"))).scalar_one()
    assert (group, name) == ("telegram", "Новости Казахстана")
    assert text == "⚡️ Саммит ОДКБ открылся в Астане"


@pytest.mark.parametrize("bad,where", [
    ('{"url": "https://x.example/1", "outlet": "x", "published": "yesterday", "text": "t"}',
     "line 3: 'published' is not a date"),
    ('{"url": "https://x.example/1", "outlet": "x", "text": "t"}', "line 3: missing published"),
    ("{not json", "line 3: not JSON"),
])
def test_a_bad_line_is_reported_and_nothing_is_stored(engine, tmp_path, bad, where):
    upgrade(engine)
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS[:2]] + [bad] + [
        json.dumps(ROWS[2], ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ArchiveError, match=where):
        _load(engine, [path], outlet_group="kz_independent")
    assert _articles(engine) == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Outlet)).scalar_one() == 0


def test_an_interrupted_import_leaves_whole_pieces_and_the_rerun_completes(engine, tmp_path):
    upgrade(engine)
    path = _jsonl(tmp_path / "a.jsonl")
    opts = ImportOptions(outlet_group="kz_independent")
    pieces = read_all([path], opts)
    ensure_outlets(engine, pieces, opts)

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # Ctrl-C (or a kill) after the second piece

    with pytest.raises(KeyboardInterrupt):
        import_pieces(engine, pieces, progress=interrupt)
    half = _articles(engine)
    assert len(half) == 2 and all(r.cluster_id is not None for r in half)
    rerun = import_pieces(engine, pieces)
    assert rerun.already == 2 and rerun.stored + rerun.copies == 2
    rows = _articles(engine)
    assert len(rows) == 4 and len({r.canonical_url for r in rows}) == 4
    by_url = {r.canonical_url: r for r in rows}
    assert by_url["https://mirror.example/a/77"].cluster_id == by_url[
        "https://kaz.example/news/1"].id


def test_unknown_outlets_need_a_group(engine, tmp_path):
    upgrade(engine)
    with pytest.raises(ArchiveError, match="give --outlet-group"):
        _load(engine, [_jsonl(tmp_path / "a.jsonl")])


def test_the_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"STEPPEWATCH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    runner = CliRunner()
    good = _jsonl(tmp_path / "a.jsonl")
    result = runner.invoke(main, ["import", str(good), "--outlet-group", "kz_independent"],
                           env=env)
    assert result.exit_code == 0, result.output
    assert "5 read: 3 stored, 1 copies of stored stories, 0 already stored, " \
           "dropped: empty_text 1" in result.output
    again = runner.invoke(main, ["import", str(good)], env=env)
    assert again.exit_code == 0 and "0 stored, 0 copies of stored stories, 4 already" \
        in again.output
    bad = tmp_path / "b.csv"
    bad.write_text("url,outlet,published,text\nhttps://x.example/1,x,2024-11-01,"
                   "one two three four five six seven eight nine ten\n"
                   "https://x.example/2,x,not-a-date,text\n", encoding="utf-8")
    failed = runner.invoke(main, ["import", str(bad), "--outlet-group", "telegram"], env=env)
    assert failed.exit_code == 1
    assert "b.csv line 3: 'published' is not a date" in failed.output
    assert "Traceback" not in failed.output


def test_imported_outlets_show_as_imported_not_as_failing_crawls(engine, tmp_path):
    from pipeline.config import Settings
    from reports.dashboard.sources import load_sources
    from reports.health import source_health
    from reports.series import load_weekly
    from reports.weeks import IsoWeek

    upgrade(engine)
    _load(engine, [_jsonl(tmp_path / "a.jsonl")], outlet_group="kz_independent")
    week = IsoWeek(year=2024, week=48)
    table = load_weekly(engine, profile_version="v", week=week, baseline_weeks=8)
    start, end = week.bounds(Settings().tz)
    issues = {(i.outlet_id, i.issue) for i in source_health(engine, table, week_start=start,
                                                            week_end=end).issues}
    assert issues == {("kaz-archive", "imported"), ("mirror-archive", "imported")}
    assert {s.outlet_id: s.status for s in load_sources(engine)} == {
        "kaz-archive": "imported", "mirror-archive": "imported"}
