"""The model folder and its manifest agree: every shipped model is recorded with its size,
hash, training command, data, licence and commit, and nothing test-only ships."""

from __future__ import annotations

import shutil

import pytest

from pipeline import models
from pipeline.models import __main__ as manifest


def test_every_model_file_matches_its_manifest_entry():
    assert manifest.problems() == []


def test_a_changed_or_unrecorded_file_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    shutil.copytree(models.MODELS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest, "MODELS_DIR", folder)
    monkeypatch.setattr(manifest, "MANIFEST", folder / "MANIFEST.yaml")
    with open(folder / "threat_ngrams.json.gz", "ab") as f:
        f.write(b"\0")
    (folder / "stray.bin").write_bytes(b"x")
    found = manifest.problems()
    assert any(p.startswith("threat_ngrams.json.gz: size") for p in found)
    assert any(p.startswith("threat_ngrams.json.gz: sha256") for p in found)
    assert "stray.bin: in the folder, not in the manifest" in found
    assert manifest.main([]) == 1
    # --update records the retrained file; the stray file still needs an entry.
    assert manifest.main(["--update", "threat_ngrams.json.gz"]) == 1
    assert manifest.problems() == ["stray.bin: in the folder, not in the manifest"]
    with pytest.raises(SystemExit, match="no entry"):
        manifest.update("stray.bin")


def test_no_test_only_model_ships():
    names = {p.name for p in models.MODELS_DIR.iterdir()}
    assert not any("fold" in n for n in names)
