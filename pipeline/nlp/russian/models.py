"""natasha's models, loaded once per process and shared by every stage that needs them
(parsing and NER in ``parser``, syntax and lemmas in ``tone``): each copy of the embedding
and the morphology dictionaries costs tens of megabytes."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def segmenter() -> Any:
    from natasha import Segmenter

    return Segmenter()


@lru_cache(maxsize=1)
def embedding() -> Any:
    from natasha import NewsEmbedding

    return NewsEmbedding()


@lru_cache(maxsize=1)
def morph_tagger() -> Any:
    from natasha import NewsMorphTagger

    return NewsMorphTagger(embedding())


@lru_cache(maxsize=1)
def ner_tagger() -> Any:
    from natasha import NewsNERTagger

    return NewsNERTagger(embedding())


@lru_cache(maxsize=1)
def syntax_parser() -> Any:
    from natasha import NewsSyntaxParser

    return NewsSyntaxParser(embedding())


@lru_cache(maxsize=1)
def morph_vocab() -> Any:
    """natasha's MorphVocab on the Russian dictionaries, found by their package's path: left
    to itself, pymorphy2 looks them up among every installed package's entry points, which
    takes about a second at start-up."""
    import pymorphy2_dicts_ru
    from natasha import MorphVocab
    from natasha.morph.vocab import MorphForm
    from pymorphy2 import MorphAnalyzer

    class Vocab(MorphVocab):
        def __init__(self) -> None:
            MorphAnalyzer.__init__(self, path=pymorphy2_dicts_ru.get_path(),
                                   result_type=MorphForm)

    return Vocab()
