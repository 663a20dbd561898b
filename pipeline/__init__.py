"""steppewatch pipeline: analyse and store (settings, data model, analysis stages, CLI)."""

__version__ = "0.1.0"
