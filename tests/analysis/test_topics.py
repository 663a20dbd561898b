"""Topics: each seed document's top topics are the ones it anchors; Kazakh text gets topics."""

from __future__ import annotations

import pytest

from pipeline.analysis.matcher import get_matcher
from pipeline.analysis.topics import score_topics
from pipeline.profile import load_profile


def topics_of(text: str) -> list[tuple[str, float]]:
    return score_topics(get_matcher().match(text))


@pytest.mark.parametrize(("seed", "expected_in_top3"), [
    ("000_73ccbaefc3d8cd10", {"uk_cooperation", "multivector"}),
    ("001_5841239d96a7d1be", {"uk_cooperation"}),
    ("002_e343516d1a864b39", {"csto_russia", "uk_cooperation"}),
    ("003_1ad2c15ed4b7b704", {"turkey", "ots_turan"}),
    ("004_0e80e706fab991b5", {"multivector", "csto_russia"}),
])
def test_seed_documents_rank_their_topics_first(seed: str, expected_in_top3: set[str]) -> None:
    path = load_profile().anchor_path(seed)
    top3 = {topic for topic, _ in topics_of(path.read_text(encoding="utf-8"))[:3]}
    assert expected_in_top3 <= top3


def test_every_topic_is_anchored_by_a_seed_where_it_scores() -> None:
    profile = load_profile()
    for topic in profile.topics:
        for anchor in topic.anchors:
            scores = dict(topics_of(profile.anchor_path(anchor).read_text(encoding="utf-8")))
            assert scores.get(topic.id, 0.0) > 0.2, (topic.id, anchor)


@pytest.mark.parametrize(("text", "expected"), [
    ("Қазақстан мен Түркия қорғаныс министрлері Анкарада кездесіп, ұшқышсыз ұшақтарды "
     "бірлесіп шығару туралы келісімге қол қойды.", "turkey"),
    ("Қазақстандық бітімгерлер БҰҰ миссиясы аясында Ливанға аттанды.", "peacekeeping"),
    ("Тоқаев ҰҚШҰ саммитінде ұжымдық қауіпсіздік туралы сөйледі.", "csto_russia"),
    ("Министр обороны Казахстана встретился с коллегой из КНР на совещании ШОС.", "china"),
    ("Казахстанские военные примут участие в учениях «Степной орел» с армией США.", "west_nato"),
])
def test_short_news_gets_its_topic_first(text: str, expected: str) -> None:
    ranked = topics_of(text)
    assert ranked and ranked[0][0] == expected
    assert all(0.0 <= score <= 1.0 for _, score in ranked)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_no_terms_no_topics() -> None:
    assert topics_of("Погода в Алматы будет солнечной.") == []
