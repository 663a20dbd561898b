"""Reading the YAML files the analysis loads at start (the profile, the tone lexicon).

libyaml's parser is used when PyYAML was built with it: the same safe constructor and
resolver as ``yaml.safe_load``, so the same data, parsed about ten times faster (every
process that analyses parses both files at start).
"""

from __future__ import annotations

from typing import Any

import yaml

_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's parser where available. A document it refuses is
    parsed again by PyYAML's own parser, so that errors read as they always have."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
        return yaml.safe_load(text)
