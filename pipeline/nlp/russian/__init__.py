"""Russian language tools on natasha: sentences, lemmatised tokens and named entities
(``parser``), natasha's models loaded once per process (``models``), and a learned corrector
of natasha's NER trained on factRuEval-2016 (``corrector``, trained by ``train``)."""

from pipeline.nlp.russian.parser import fix_lemma, parse, sentences

__all__ = ["fix_lemma", "parse", "sentences"]
