"""steppewatch's base layer: settings, the store, the analysis of one article and the NLP under
it, and processing stored articles into analyses and daily aggregates. It imports none of the
layers built on it (``crawlers``, ``reports``, the ``steppewatch`` application)."""

__version__ = "0.1.0"
