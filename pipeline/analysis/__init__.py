"""The stages that decide what an article is about, run by ``analyze.py`` before any heavy
model: profile term matching (``matcher``), the relevance decision (``relevance``) and topics
(``topics``). Only what they keep reaches the entity tagger of ``nlp/``.
"""
