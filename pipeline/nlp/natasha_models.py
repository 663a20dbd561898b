"""natasha's models, loaded once per process and shared by every stage that needs them
(parsing and NER in ``russian``, syntax and lemmas in ``tone``): each copy of the embedding
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
    from natasha import MorphVocab

    return MorphVocab()
