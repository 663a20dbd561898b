"""The seed profile loads, validates, versions its content and feeds the gazetteer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.profile import DEFAULT_PATH, ProfileError, load_profile, parse_profile

REQUIRED_TOPICS = {"uk_cooperation", "turkey", "csto_russia", "ots_turan", "china", "west_nato",
                   "multivector", "defence_industry", "peacekeeping", "other_partners"}

MINIMAL = """
topics:
  - id: t1
    names: {ru: Тема, kk: Тақырып, en: Topic}
    anchors: []
    terms: {ru: [ОДКБ], kk: [ҰҚШҰ]}
entities:
  - {id: KAZ, type: LOC, home: true, aliases: {ru: [Казахстан], kk: [Қазақстан]}}
partners:
  - {id: RUS, type: LOC, names: {ru: Россия, kk: Ресей, en: Russia}, aliases: {ru: [Россия], kk: [Ресей]}}
framing:
  alarm: {ru: [угроз*], kk: [қауіп*]}
  cooperative: {ru: [сотрудничеств*], kk: [ынтымақтастық*]}
defence_terms: {ru: [военн*], kk: [әскер*]}
international_defence_terms: {ru: [миротворц*], kk: [бітімгер*]}
relation_terms: {ru: [визит*], kk: [сапар*]}
domestic_military_terms: {ru: [призывн*], kk: [шақыру науқан*]}
foreign_war_terms: {ru: [СВО], kk: [майдан*]}
foreign_terms: {ru: [зарубежн*], kk: [шетел*]}
"""


def test_seed_profile_loads_with_the_required_content() -> None:
    profile = load_profile()
    assert {t.id for t in profile.topics} >= REQUIRED_TOPICS
    assert len(profile.entities) >= 60
    assert {"RUS", "GBR", "TUR", "CHN", "USA", "CSTO", "NATO", "OTS", "EU", "SCO"} <= {
        p.id for p in profile.partners}
    assert re.fullmatch(r"[0-9a-f]{12}", profile.version)
    for topic in profile.topics:
        assert topic.terms.ru and topic.terms.kk, topic.id
        for anchor in topic.anchors:
            assert profile.anchor_path(anchor).is_file()


def test_loading_is_cached() -> None:
    assert load_profile() is load_profile(DEFAULT_PATH)


def test_gazetteer_entries_hold_surface_forms_only() -> None:
    entries = {e.id: e for e in load_profile().gazetteer_entries()}
    assert {"Казахстан", "Қазақстан", "РК"} <= set(entries["KAZ"].aliases)
    assert {"ОДКБ", "ҰҚШҰ", "CSTO"} <= set(entries["CSTO"].aliases)
    assert {"Токаев", "Тоқаев"} <= set(entries["tokayev"].aliases)
    assert entries["tokayev"].type == "PER"
    assert all("*" not in a and "(" not in a for e in entries.values() for a in e.aliases)


def test_version_follows_content_not_layout() -> None:
    base = parse_profile(MINIMAL).version
    assert parse_profile("# a comment\n" + MINIMAL.replace("{ru: [ОДКБ]", "{ru:  [ ОДКБ ]")
                         ).version == base
    assert parse_profile(MINIMAL.replace("[угроз*]", "[угроз*, опасн*]")).version != base


@pytest.mark.parametrize(("change", "message"), [
    (("    anchors: []", "    anchors: []\n    colour: red"), "unknown key(s) ['colour']"),
    (("{id: RUS, type: LOC", "{id: KAZ, type: LOC"), "duplicate id 'KAZ'"),
    (("aliases: {ru: [Россия], kk: [Ресей]}", "aliases: {ru: [], kk: [Ресей]}"), "empty list"),
    (("{id: KAZ, type: LOC, home: true,", "{id: KAZ, type: LOC, partner: XXX,"),
     "unknown partner 'XXX'"),
    (("defence_terms: {ru: [военн*]", "defence_terms: {ru: [во*енн]"), "bad pattern"),
    (("defence_terms: {ru: [военн*]", "defence_terms: {ru: [во*]"), "stem too short"),
    (("type: LOC, home", "type: CITY, home"), "type must be one of"),
    (("foreign_terms: {ru: [зарубежн*], kk: [шетел*]}", ""), "missing key(s) ['foreign_terms']"),
])
def test_broken_profile_is_refused_with_a_clear_message(change: tuple[str, str],
                                                        message: str) -> None:
    broken = MINIMAL.replace(*change)
    assert broken != MINIMAL
    with pytest.raises(ProfileError, match=re.escape(message)):
        parse_profile(broken)


def test_missing_anchor_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(MINIMAL.replace("anchors: []", "anchors: [nope]"), encoding="utf-8")
    with pytest.raises(ProfileError, match=re.escape("anchor 'nope' has no file nope.txt")):
        load_profile(path)
