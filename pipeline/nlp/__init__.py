"""The language tools the analysis stands on (``analyze.py`` calls them after the stages of
``analysis/``): language identification (``lang``), document tone and alarm (``tone``,
``threat``, ``lexicon``), tone toward a target (``target_tone``), entity names and linking
(``names``, ``gazetteer``), and one package per language: ``russian/`` (natasha) and
``kazakh/``. Third-party objects are turned into the dataclasses of ``types`` at this edge."""
