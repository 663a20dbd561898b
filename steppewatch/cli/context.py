"""What every command shares: the settings (read once, at this edge) and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field

import click
from sqlalchemy import Engine

from pipeline.config import Settings, load_settings
from pipeline.store.db import make_engine


@dataclass(kw_only=True)
class AppContext:
    config_path: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _engines: dict[bool, Engine] = field(default_factory=dict, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings

    def engine(self, *, read_only: bool = False) -> Engine:
        if read_only not in self._engines:
            self._engines[read_only] = make_engine(self.settings.effective_database_url,
                                                   read_only=read_only)
        return self._engines[read_only]


pass_app = click.make_pass_decorator(AppContext)
