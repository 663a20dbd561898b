"""Kazakh language tools: word tokens with offsets, a conservative stemmer, and a NER
(PER/LOC/ORG) trained on KazNERD (IS2AI, CC BY 4.0)."""

from pipeline.nlp.kazakh.ner import KazakhNER, tag
from pipeline.nlp.kazakh.stemmer import stem
from pipeline.nlp.kazakh.tokenizer import split_sentences, tokenize

__all__ = ["KazakhNER", "split_sentences", "stem", "tag", "tokenize"]
