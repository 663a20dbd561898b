"""Every trained file the analysis loads, in one folder, each recorded in ``MANIFEST.yaml``.

The manifest gives, per file, its size and SHA-256, the command that trains it, the data it
was trained on and that data's licence, and the commit that produced it;
``tests/test_models_manifest.py`` checks the files against it. Retraining a model means
running its command and updating its entry (``python -m pipeline.models --update FILE``
rewrites size and hash). Test-only models live under ``tests/``.
"""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
MANIFEST = MODELS_DIR / "MANIFEST.yaml"


def model_file(name: str) -> Path:
    """The path of a shipped model file (whether or not it exists yet)."""
    return MODELS_DIR / name
