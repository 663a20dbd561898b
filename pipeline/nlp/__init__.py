"""Language tools used by the analysis stage: language id, Russian (natasha) and Kazakh NLP,
tone models. Third-party objects are turned into the dataclasses of ``types`` at this edge."""
