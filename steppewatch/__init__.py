"""steppewatch, the application: the command line, the task functions the Airflow DAGs call,
backfill and the demo. The only package that imports the collecting (``crawlers``), the
reporting (``reports``) and the base (``pipeline``) layers together; see the layers contract
in ``pyproject.toml`` (``[tool.importlinter]``)."""

from pipeline import __version__

__all__ = ["__version__"]
