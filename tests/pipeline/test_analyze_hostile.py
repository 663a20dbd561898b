"""`steppewatch analyze` keeps its contract on any input: one output line per input line (an
error record where needed), the other lines analysed, exit status 1 at the end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"id": "good", "text": "В Алматы прошёл весенний призыв: более пяти тысяч новобранцев "
                              "отправлены в воинские части."}
RELEVANT = ("Министерство обороны Казахстана и Министерство обороны Турции подписали план "
            "военного сотрудничества и производства беспилотников. ")


def _run(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "steppewatch.cli", "analyze", *args],
                          input=data, capture_output=True, cwd=ROOT, timeout=300)


def _good() -> bytes:
    return json.dumps(GOOD, ensure_ascii=False).encode()


def test_every_hostile_line_gets_a_record_and_the_rest_is_analysed():
    hostile = [
        json.dumps({"id": "t", "text": "текст", "title": 42}).encode(),
        json.dumps({"id": "l", "text": "текст", "lang": ["ru"]}).encode(),
        json.dumps({"id": {"x": 1}, "text": "текст"}).encode(),
        b'{"id": "deep", "text": "x", "more": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b"[" * 5000 + b"]" * 5000,
        '{"id": "bad-byte", "text": "Казахстан'.encode() + b"\xff\xfe" + b'"}',
        b'{"id": "sur\\ud800", "text": "text"}',
        b'{"id": "s2", "text": "lone \\udc00 surrogate"}',
        b'{"id": "s3", "text": "ok", "title": "\\ud83d"}',
        b"\xef\xbb\xbf\xc3(",
    ]
    lines = [_good()]
    for h in hostile:
        lines += [h, _good()]
    proc = _run(b"\n".join(lines) + b"\n")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert b"Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)
    for n, rec in enumerate(out, 1):
        if n % 2:
            assert rec["id"] == "good" and "error" not in rec, rec
        else:
            assert rec["line"] == n and rec["error"], rec
    errors = [rec["error"] for rec in out[1::2]]
    assert "'title' must be a string" in errors[0]
    assert "nested too deeply" in errors[3] and "nested too deeply" in errors[4]
    assert "not UTF-8: byte 0xff" in errors[5]
    assert all("lone surrogate" in e for e in errors[6:9])
    assert out[13]["id"] == "sur\ud800"  # echoed, escaped: the output is still UTF-8 JSON
    assert proc.stderr.decode("utf-8").count("line ") >= len(hostile)


def test_a_line_over_the_size_limit_is_an_error_record_not_a_hang(tmp_path):
    big = json.dumps({"id": "big", "text": RELEVANT * 40000}, ensure_ascii=False).encode()
    assert len(big) > 5_000_000
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([_good(), big, _good()]) + b"\n")
    proc = _run(b"", "--input", str(path))
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in out] == ["good", None, "good"]
    assert out[1]["line"] == 2 and "line too long" in out[1]["error"]
    assert f"{len(big) + 1} bytes" in out[1]["error"]


def test_the_limit_is_configurable():
    piece = json.dumps({"id": "p", "text": RELEVANT * 5}, ensure_ascii=False).encode()
    proc = _run(piece + b"\n" + _good() + b"\n", "--max-bytes", "200")
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 1 and "limit is 200" in out[0]["error"]
    assert out[1]["id"] == "good" and "error" not in out[1]
    ok = _run(piece + b"\n", "--max-bytes", str(len(piece) + 1))
    assert ok.returncode == 0 and json.loads(ok.stdout)["relevant"]
