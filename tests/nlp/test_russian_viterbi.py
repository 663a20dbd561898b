"""``russian.parser._viterbi`` stands in for slovnet's ``CRF.decode`` on one unpadded sequence: it must
give the same path, ties and float32 rounding included."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nlp.russian import parser as russian


def _slovnet_path(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    from slovnet.exec.model import CRF, Weight

    crf = CRF(Weight(transitions.shape, transitions.dtype, transitions))
    batch = emissions[None]
    mask = np.ones(batch.shape[:2], dtype=bool)
    return [int(t) for t in crf.decode(batch, mask)[0]]


@pytest.mark.parametrize("seed", range(20))
def test_same_path_as_slovnet(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tags = 8
    length = int(rng.integers(1, 60))
    if seed % 2:  # small integers: many exact ties, where the first maximum must win
        emissions = rng.integers(-2, 3, (length, tags)).astype(np.float32)
        transitions = rng.integers(-2, 3, (tags, tags)).astype(np.float32)
    else:
        emissions = rng.normal(0, 3, (length, tags)).astype(np.float32)
        transitions = rng.normal(0, 1, (tags, tags)).astype(np.float32)
    assert russian._viterbi(emissions, transitions) == _slovnet_path(emissions, transitions)


def test_tags_as_natasha_gives_them() -> None:
    from razdel import tokenize

    from pipeline.nlp.russian import models as natasha_models

    text = ("Министр обороны Казахстана Руслан Жаксылыков встретился в Анкаре с министром "
            "национальной обороны Турции. Стороны обсудили военное сотрудничество.")
    infer = natasha_models.ner_tagger().infer
    words = [t.text for t in tokenize(text)]
    expected, previous = [], "O"
    for tag in next(infer.decoder(infer.process(infer.encoder([words])))):
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        expected.append(tag)
        previous = tag
    tags = russian._entity_tags(words)
    assert tags == expected
    assert "B-PER" in tags and "B-LOC" in tags
