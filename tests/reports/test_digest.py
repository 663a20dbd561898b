"""build_digest on SQLite and PostgreSQL against the scenario of builders.scenario()."""

from __future__ import annotations

import pytest
from sqlalchemy import and_, func, or_, select

from pipeline.config import DigestSettings, Settings
from pipeline.store.models import Analysis, Article
from reports.digest import build_digest
from reports.labels import Labels
from reports.render import render
from tests.reports.builders import PV, WEEK, scenario, write, write_outlets


@pytest.fixture
def world(engine):
    write_outlets(engine)
    stories, runs = scenario()
    write(engine, stories, runs)
    return engine


def _direct_pieces(engine, **where) -> int:
    """Relevant dated first copies of WEEK counted straight from articles (the ground truth)."""
    start, end = WEEK.bounds(Settings().tz)
    q = (select(func.count()).select_from(Article)
         .join(Analysis, and_(Analysis.article_id == Article.id, Analysis.profile_version == PV))
         .where(Analysis.relevant.is_(True), Article.date_source != "crawl",
                Article.published_at >= start, Article.published_at < end,
                or_(Article.cluster_id.is_(None), Article.cluster_id == Article.id)))
    for col, value in where.items():
        q = q.where(getattr(Article, col) == value)
    with engine.connect() as conn:
        return conn.execute(q).scalar_one()


def test_numbers_match_the_articles(world):
    data = build_digest(world, Settings(), WEEK, profile_version=PV)
    assert data.total.pieces == _direct_pieces(world) == 52
    assert data.total.copies == 30  # every Turkey story copied once by Tsargrad
    assert data.total.baseline_mean == pytest.approx(30.0)
    langs = {r.key: r.pieces for r in data.volume["lang"]}
    assert langs == {"ru": _direct_pieces(world, lang="ru"), "kk": _direct_pieces(world, lang="kk")}
    assert sum(r.pieces for r in data.volume["outlet"]) == data.total.pieces
    assert sum(r.pieces for r in data.volume["group"]) == data.total.pieces
    partners = {r.key: (r.pieces, r.baseline_mean) for r in data.volume["partner"]}
    assert partners["TUR"] == (30, 10.0) and partners["GBR"] == (8, 8.0)
    side = {r.key: r for r in data.languages}
    assert side[""].pieces == {"kk": langs["kk"], "ru": langs["ru"]}


def test_injected_shifts_are_flagged_with_their_drivers(world):
    data = build_digest(world, Settings(), WEEK, profile_version=PV)
    flagged = {(s.metric, s.kind, s.key, s.direction) for s in data.shifts}
    assert ("volume", "partner", "TUR", "up") in flagged
    assert ("volume", "topic", "turkey", "up") in flagged
    assert ("tone", "partner", "RUS", "down") in flagged
    # The same Russia stories frame events as threats: alarm is tested on its own.
    assert ("alarm", "partner", "RUS", "up") in flagged
    assert not any(key == "GBR" for _, _, key, _ in flagged)
    assert all(s.q_value <= data.fdr for s in data.shifts)
    # Every flagged shift is read in exactly one entry.
    facets = [(f.metric, f.kind, f.key, f.direction) for e in data.entries for f in e.facets]
    assert sorted(facets) == sorted(flagged)
    # Two events and the line on all coverage: the partner Türkiye and the topic Turkey rose
    # over the same stories (one entry); Russia's tone and alarm, as partner and as topic,
    # rest on the same stories (one entry).
    assert [e.kind for e in data.entries] == ["event", "event", "all"]
    rise, russia, overall = data.entries
    assert {(f.metric, f.kind, f.key) for f in rise.facets} >= {
        ("volume", "topic", "turkey"), ("volume", "partner", "TUR")}
    assert {(f.metric, f.key) for f in russia.facets} == {
        ("tone", "RUS"), ("tone", "csto_russia"), ("alarm", "RUS"), ("alarm", "csto_russia")}
    assert {f.kind for f in overall.facets} == {"all"}
    # Raw: three times the baseline. Adjusted for collection: the same, as the outlets that
    # carry Turkey collected as before (Orda fell silent but never covered it; Tsargrad is new
    # this week and, having no baseline, is shown but not tested).
    partner = next(f for f in rise.facets if f.kind == "partner")
    assert partner.raw_estimate == pytest.approx(3.0) and rise.lead.ci_low > 1
    assert partner.estimate == pytest.approx(3.0, rel=0.03)
    # Each story once, with its copy folded in; the quote is the deciding sentence.
    assert rise.stories and all(a.copies == 1 and a.carried_by == ["Царьград"]
                                for a in rise.stories)
    assert len({a.story for a in rise.stories}) == len(rise.stories)
    assert rise.stories[0].sentence.startswith("Предложение-доказательство TUR")
    assert rise.story_count == 30 and rise.unlisted == 30 - len(rise.stories)
    assert rise.outlets[0].outlet == "Царьград"  # the outlet that grew most
    assert russia.lead.ci_high < 0 and russia.lead.model == "welch"
    assert [a.tone for a in russia.stories] == sorted(a.tone for a in russia.stories)
    # The summary opens with one sentence per entry, each naming what moved.
    assert data.summary == [1, 2, 3]
    assert rise.sentence.startswith("turkey / TUR: coverage rose ×3.0 (30 stories against "
                                    "10.0 a week); led by «TUR 2025-W24")
    assert "tone turned more negative" in russia.sentence
    assert "threat framing rose" in russia.sentence
    assert overall.sentence.startswith("All relevant coverage: coverage rose ×1.8")
    assert "42 of its 52 stories are in the entries above" in overall.sentence


def test_evidence_is_the_deciding_sentence_not_the_headline():
    from reports.evidence import sentence_for

    title = "Российские аналитики предупреждают об опасном разрыве Казахстана с ОДКБ"
    calm = "Стороны договорились провести совместную тренировку дежурных сил ПВО в сентябре."
    alarm = ("Военные блогеры предупреждают об угрозе дестабилизации и призывают готовиться "
             "к худшему сценарию.")
    sentences = [title + ".", calm, alarm]
    assert sentence_for(title, sentences, "ru") == calm  # volume: the first after the title
    assert sentence_for(title, sentences, "ru", metric="alarm") == alarm
    assert sentence_for(title, [title], "ru") == ""  # only the headline: no quote repeats it
    assert sentence_for(title, [], "ru") == ""


def test_stories_fold_by_cluster_and_by_headline():
    from reports.brief import fold
    from reports.model import ArticleRef

    def ref(story, outlet, title, carried=()):
        return ArticleRef(title=title, url="u", outlet=outlet, lang="ru", published="p",
                          sentence="", tone=0.0, copies=len(carried), carried_by=list(carried),
                          story=story)

    folded = fold([ref(1, "A", "Заголовок", ["B"]), ref(2, "C", "Другое"),
                   ref(1, "A", "Заголовок", ["B"]), ref(3, "D", "заголовок!")])
    assert [(r.outlet, r.carried_by) for r in folded] == [("A", ["B", "D"]), ("C", [])]


def test_whats_new_and_source_health(world):
    data = build_digest(world, Settings(), WEEK, profile_version=PV)
    new = {(n.kind, n.key) for n in data.new}
    assert {("partner", "CHN"), ("entity", "org:cetc"), ("term", "wing loong")} <= new
    assert not any(key in {"org:tur", "военное сотрудничество"} for _, key in new)
    issues = {(h.outlet, h.issue) for h in data.health}
    assert {("Vlast.kz", "failed"), ("Telegram KZ", "not_crawled"), ("Orda.kz", "silent"),
            ("РИА Новости", "stale"), ("Eurasianet", "undated"), ("Царьград", "garbled")} <= issues
    assert ("Казинформ", "stale") not in issues
    failed = next(h for h in data.health if h.issue == "failed")
    assert "HTTP 503" in failed.detail
    assert data.outcomes == {"saved": 40, "duplicate": 3}


def test_undated_articles_never_enter_the_trends(world):
    data = build_digest(world, Settings(), WEEK, profile_version=PV)
    # The crawl-dated Eurasianet article mentions Turkey: it must not count anywhere.
    assert "en" not in {r.key for r in data.volume["lang"]}
    assert next(r for r in data.volume["partner"] if r.key == "TUR").pieces == 30


def test_render_in_russian_with_labels(world):
    settings = Settings(digest=DigestSettings(language="ru"))
    labels = Labels(language="ru", partners={"TUR": "Турция", "RUS": "Россия"},
                    topics={"turkey": "Турция и турецкое оружие"})
    data = build_digest(world, settings, WEEK, profile_version=PV, labels=labels)
    out = render(data)
    assert out.subject.startswith("steppewatch: недельная сводка 2025-W24")
    assert out.subject == "steppewatch: недельная сводка 2025-W24: 3 сдвига, 52 материала"
    assert "52 релевантных материала за неделю (ещё 30 перепечаток)" in out.text
    assert ("[1] Турция и турецкое оружие / Турция: освещение выросло в 3,0 раза (30 сюжетов "
            "при 10,0 в неделю); главный сюжет: «TUR 2025-W24") in out.text
    assert "* [1] Турция и турецкое оружие / Турция: освещение выросло" in out.text
    assert "- Партнёр Турция: освещение выросло: отношение частот 3,0" in out.text
    assert "также в 1 издание: Царьград" in out.text
    # Orda fell silent and Tsargrad appeared: the brief says collection itself changed.
    assert "Сбор изменился на этой неделе" in out.text and "молчат: 1 издание (" in out.text
    assert "[2] Россия / csto_russia: тон стал негативнее (+0," in out.text
    assert "Қазақстан және Түркия" in out.text  # Kazakh titles as written
    assert "Сдвиги, прошедшие проверку" in out.html and "Неделя за минуту" in out.html
    # Russian numbers: a decimal comma, a space between digit groups; English unchanged.
    assert "при 30,0 в неделю в базовом периоде" in out.text


def test_empty_database_gives_an_empty_digest(engine):
    data = build_digest(engine, Settings(), WEEK, profile_version=PV)
    assert data.total.pieces == 0 and not data.shifts and not data.new
    out = render(data)
    assert "No shift passed the tests this week." in out.text


def test_six_entries_in_full_the_rest_in_a_compact_table(world):
    import dataclasses

    data = build_digest(world, Settings(), WEEK, profile_version=PV)
    event = data.entries[0]
    many = [dataclasses.replace(event, number=i + 1, title=f"Event {i + 1}: coverage rose")
            for i in range(8)]
    out = render(dataclasses.replace(data, entries=many, summary=[1, 2, 3, 4]))
    assert out.html.count('class="shift"') == 6
    compact = out.html.split('id="compact"')[1].split("</table>")[0]
    assert "[7] Event 7: coverage rose" in compact and "[8] Event 8" in compact
    assert "[6] Event 6" not in compact
    text_compact = out.text.split("== Further shifts ==")[1].split("==")[0]
    assert [line.split(":")[0] for line in text_compact.strip().splitlines()] == [
        "[7] Event 7", "[8] Event 8"]
    assert out.text.count("\n* [") == 6
    assert "And 4 more below." in out.text and "And 4 more below." in out.html
