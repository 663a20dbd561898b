"""Check the model files against MANIFEST.yaml, or record a retrained file's size and hash.

    python -m pipeline.models                 # check every file; exit 1 on any mismatch
    python -m pipeline.models --update FILE   # write FILE's size and sha256 into the manifest
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys

import yaml

from pipeline.models import MANIFEST, MODELS_DIR

FIELDS = ("what", "command", "data", "licence", "commit", "size", "sha256")


def sha256(name: str) -> str:
    digest = hashlib.sha256()
    with open(MODELS_DIR / name, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problems() -> list[str]:
    """Every way the folder and its manifest disagree (empty: they agree)."""
    entries = yaml.safe_load(MANIFEST.read_text(encoding="utf-8")) or {}
    files = {p.name for p in MODELS_DIR.iterdir()
             if p.is_file() and p.suffix not in (".py", ".yaml", ".pyc")}
    out = [f"{name}: in the folder, not in the manifest" for name in sorted(files - set(entries))]
    out += [f"{name}: in the manifest, no such file" for name in sorted(set(entries) - files)]
    for name in sorted(files & set(entries)):
        entry = entries[name] or {}
        out += [f"{name}: no {field}" for field in FIELDS if not entry.get(field)]
        size = (MODELS_DIR / name).stat().st_size
        if entry.get("size") != size:
            out.append(f"{name}: size {size}, manifest says {entry.get('size')}")
        if entry.get("sha256") and entry["sha256"] != sha256(name):
            out.append(f"{name}: sha256 differs from the manifest (retrained? run --update)")
    return out


def update(name: str) -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    block = re.search(rf"^{re.escape(name)}:\n((?:[ \t]+.*\n)*)", text, re.MULTILINE)
    if block is None:
        raise SystemExit(f"{name}: no entry in {MANIFEST.name}; add what/command/data first")
    body = re.sub(r"^  (size|sha256):.*\n", "", block.group(1), flags=re.MULTILINE)
    body += f"  size: {(MODELS_DIR / name).stat().st_size}\n  sha256: {sha256(name)}\n"
    MANIFEST.write_text(text[:block.start(1)] + body + text[block.end(1):], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.models", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--update", metavar="FILE", nargs="+", help="record these files' size and hash")
    args = ap.parse_args(argv)
    for name in args.update or ():
        update(name)
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"{MANIFEST.name}: every model file matches")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
