"""`steppewatch analyze` per shared/CONTRACT.md, through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ARTICLES = [
    {"id": "tr", "title": "Казахстан и Турция договорились о производстве беспилотников Anka",
     "text": "Министр обороны Казахстана Руслан Жаксылыков и руководство TUSAŞ обсудили в "
             "Анкаре совместное производство беспилотников Anka. Касым-Жомарт Токаев ранее "
             "назвал Турцию стратегическим партнёром.",
     "targets": [{"start": 0, "end": 15}]},
    {"id": "kk", "text": "Қазақстан Қорғаныс министрлігі Ұлыбританиямен әскери ынтымақтастық "
                         "жоспарына қол қойды."},
    {"id": "conscript", "text": "В Алматы прошёл весенний призыв: более пяти тысяч новобранцев "
                                "отправлены в воинские части."},
    {"id": "en", "text": "Kazakhstan and Turkey agreed to co-produce Anka drones."},
]


def _run(lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "steppewatch.cli", "analyze", *args],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def output() -> list[dict]:
    proc = _run([json.dumps(a, ensure_ascii=False) for a in ARTICLES])
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_one_line_per_input_in_order(output):
    assert [o["id"] for o in output] == [a["id"] for a in ARTICLES]


def test_fields_and_ranges(output):
    for o in output:
        assert o["lang"] in {"ru", "kk", "other"}
        assert isinstance(o["relevant"], bool) and 0 <= o["relevance"] <= 1
        assert o["tone"]["label"] in {"negative", "neutral", "positive"}
        assert -1 <= o["tone"]["polarity"] <= 1 and 0 <= o["tone"]["alarm"] <= 1
        assert set(o["evidence"]) == {"terms", "sentences"}
        for p in o["partners"]:
            assert -1 <= p["tone"] <= 1 and p["mentions"] >= 1
        text = next(a for a in ARTICLES if a["id"] == o["id"])["text"]
        for e in o["entities"]:
            assert e["type"] in {"PER", "LOC", "ORG"}
            assert text[e["start"]:e["end"]] == e["text"]


def test_decisions(output):
    by_id = {o["id"]: o for o in output}
    assert by_id["tr"]["relevant"] and by_id["kk"]["relevant"]
    assert not by_id["conscript"]["relevant"]
    assert by_id["en"]["lang"] == "other" and not by_id["en"]["relevant"]
    assert by_id["kk"]["lang"] == "kk"
    assert [p["id"] for p in by_id["tr"]["partners"]] == ["TUR"]
    assert by_id["tr"]["topics"][0]["id"] == "turkey"
    assert {e["canonical"] for e in by_id["tr"]["entities"]} >= {"tokayev", "TUR", "KAZ"}
    assert len(by_id["tr"]["target_tones"]) == 1


def test_bad_lines_get_error_records_and_exit_1():
    good = json.dumps(ARTICLES[2], ensure_ascii=False)
    proc = _run([good, "not json", json.dumps({"id": "x"}), good])
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4
    assert out[1] == {"id": None, "line": 2, "error": out[1]["error"]}
    assert "not JSON" in out[1]["error"] and out[2]["id"] == "x" and "error" in out[2]
    assert "line 2" in proc.stderr and "line 3" in proc.stderr
    assert out[3]["id"] == "conscript" and "error" not in out[3]


def test_usage_errors_exit_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "steppewatch.cli", "analyze", "--input",
                           str(tmp_path / "missing.jsonl")], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "cannot read" in proc.stderr
