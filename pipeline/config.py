"""One settings object for the whole product, read at the edges (CLI, DAG) and passed down.

Sources, later ones winning:
1. built-in defaults (embedded SQLite under ``var/``, no SMTP, weeks in Asia/Almaty);
2. a TOML file: ``steppewatch.toml`` in the working directory, or the path given by
   ``--config`` / ``STEPPEWATCH_CONFIG``;
3. ``STEPPEWATCH_*`` environment variables (``STEPPEWATCH_DATABASE_URL``,
   ``STEPPEWATCH_SMTP__HOST`` ... a double underscore separates a section from its key).

Secrets (the SMTP password, the dashboard token and password) are read from the environment
only; a TOML file that carries one is refused, so that they never land in a repository.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_PREFIX = "STEPPEWATCH_"
DEFAULT_CONFIG_FILE = "steppewatch.toml"
MASK = "********"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """The configuration cannot be used as given; the message says what to fix."""


@dataclass(frozen=True, kw_only=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password: str = field(default="", metadata={"secret": True})
    # Behind a TLS-terminating proxy: the session cookie is ``Secure`` although the proxy
    # talks plain HTTP to us. Or trust ``X-Forwarded-Proto`` from these proxy addresses.
    behind_tls: bool = False
    trusted_proxies: tuple[str, ...] = ()
    sender: str = "steppewatch <steppewatch@localhost>"
    timeout: float = 30.0
    retries: int = 3

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True, kw_only=True)
class CrawlSettings:
    user_agent: str = "steppewatch/0.1 (+https://github.com/steppewatch/steppewatch; news monitor)"
    contact: str = "steppewatch@localhost"
    obey_robots: bool = True
    concurrent_per_domain: int = 2
    download_timeout: float = 30.0
    max_body_bytes: int = 10_000_000
    retries: int = 3


@dataclass(frozen=True, kw_only=True)
class DigestSettings:
    baseline_weeks: int = 8
    language: str = "en"  # interface language of the brief: en | ru
    min_count: int = 5
    fdr: float = 0.1
    # Volume shifts are changes beyond this factor either way (reports.shifts; 1: any change
    # the test can tell, with a band that widens only when collection itself changed).
    min_ratio: float = 1.0


@dataclass(frozen=True, kw_only=True)
class DashboardSettings:
    host: str = "127.0.0.1"
    port: int = 8050
    token: str = field(default="", metadata={"secret": True})
    username: str = ""
    password: str = field(default="", metadata={"secret": True})
    # Behind a TLS-terminating proxy: the session cookie is ``Secure`` although the proxy
    # talks plain HTTP to us. Or trust ``X-Forwarded-Proto`` from these proxy addresses.
    behind_tls: bool = False
    trusted_proxies: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Settings:
    database_url: str = ""
    var_dir: Path = Path("var")
    timezone: str = "Asia/Almaty"
    recipients: tuple[str, ...] = ()
    profile_path: Path = PROJECT_ROOT / "seeds" / "profile.yaml"
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    source: tuple[str, ...] = ()  # where the values came from, for `config show`

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'steppewatch.db'}"

    @property
    def outbox_dir(self) -> Path:
        return self.var_dir / "outbox"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_dict(self, *, mask_secrets: bool = True) -> dict[str, Any]:
        """Plain values for display; secrets and database passwords masked."""
        out = _as_dict(self, mask_secrets)
        out["database_url"] = (
            mask_url(self.effective_database_url) if mask_secrets else self.effective_database_url
        )
        out.pop("source", None)
        return out


def _as_dict(obj: Any, mask: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            out[f.name] = _as_dict(value, mask)
        elif f.metadata.get("secret") and mask:
            out[f.name] = MASK if value else ""
        elif isinstance(value, Path):
            out[f.name] = str(value)
        elif isinstance(value, tuple):
            out[f.name] = list(value)
        else:
            out[f.name] = value
    return out


_SECRET_PARAMS = re.compile(r"((?:^|[?&;\s])(?:password|passwd|pwd|pass|sslpassword|secret|token)=)"
                            r"[^&;#]*", re.IGNORECASE)


def url_has_password(url: str) -> bool:
    return mask_url(url) != url


def mask_url(url: str) -> str:
    """Hide every password of a database URL: ``user:secret@`` becomes ``user:********@``
    and ``?password=secret`` becomes ``?password=********``, whatever the characters."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _SECRET_PARAMS.sub(lambda m: m.group(1) + MASK, url)
    path_start = len(rest)
    for mark in "/?#":
        at = rest.find(mark, rest.rfind("@") + 1 if "@" in rest else 0)
        if at != -1:
            path_start = min(path_start, at)
    netloc, tail = rest[:path_start], rest[path_start:]
    if "@" in netloc:
        creds, _, host = netloc.rpartition("@")
        if ":" in creds:
            netloc = f"{creds.split(':', 1)[0]}:{MASK}@{host}"
    tail = _SECRET_PARAMS.sub(lambda m: m.group(1) + MASK, tail)
    return f"{scheme}://{netloc}{tail}"


# --- loading -------------------------------------------------------------------------------


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings from defaults, the TOML file and the environment."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    sources: list[str] = ["defaults"]

    path = config_path or env.get(f"{ENV_PREFIX}CONFIG")
    if path:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
    elif Path(DEFAULT_CONFIG_FILE).is_file():
        path = Path(DEFAULT_CONFIG_FILE)
    if path:
        try:
            file_values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        _refuse_secrets(file_values, Settings, str(path))
        if url_has_password(str(file_values.get("database_url") or "")):
            raise ConfigError(
                f"{path}: 'database_url' carries a password, a secret read only from the "
                f"environment (set {ENV_PREFIX}DATABASE_URL, or use a .pgpass file); remove "
                "it from the file")
        _merge(values, file_values)
        sources.append(str(path))

    env_values = _from_env(env)
    if env_values:
        _merge(values, env_values)
        sources.append("environment")
    if overrides:
        _merge(values, dict(overrides))
    values["source"] = tuple(sources)
    settings = _build(Settings, values, "")
    _validate(settings)
    return settings


def _merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    for key, value in new.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, Mapping):
            into[key] = dict(value)
        else:
            into[key] = value


def _refuse_secrets(values: Mapping[str, Any], cls: type, where: str) -> None:
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name not in values:
            continue
        if f.metadata.get("secret") and values[f.name]:
            env_name = ENV_PREFIX + where_env(where, f.name)
            raise ConfigError(
                f"{where}: '{f.name}' is a secret and is read only from the environment "
                f"(set {env_name}); remove it from the file"
            )
        sub = hints[f.name]
        if isinstance(sub, type) and dataclasses.is_dataclass(sub) \
                and isinstance(values[f.name], Mapping):
            _refuse_secrets(values[f.name], sub, f"{where}[{f.name}]")


def where_env(where: str, name: str) -> str:
    section = where.rsplit("[", 1)[-1].rstrip("]") if "[" in where else ""
    return f"{section.upper()}__{name.upper()}" if section else name.upper()


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sections = {f.name for f in dataclasses.fields(Settings) if dataclasses.is_dataclass(f.default_factory)}
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX) or key == f"{ENV_PREFIX}CONFIG":
            continue
        name = key[len(ENV_PREFIX):].lower()
        if "__" in name:
            section, sub = name.split("__", 1)
            if section not in sections:
                raise ConfigError(f"{key}: unknown settings section '{section}'")
            out.setdefault(section, {})[sub] = value
        else:
            out[name] = value
    return out


def _build(cls: type, values: Mapping[str, Any], where: str) -> Any:
    hints = get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(where + u for u in unknown)}")
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        kwargs[name] = _coerce(hints[name], value, where + name)
    return cls(**kwargs)


def _coerce(hint: Any, value: Any, name: str) -> Any:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{name}: expected a table of settings")
        return _build(hint, value, name + ".")
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(f"not a boolean: {value!r}")
        if hint is int:
            return int(value)
        if hint is float:
            return float(value)
        if hint is Path:
            return Path(str(value))
        if hint == tuple[str, ...]:
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(i).strip() for i in items if str(i).strip())
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {exc}") from exc


def _validate(s: Settings) -> None:
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"timezone: unknown time zone '{s.timezone}'") from exc
    if s.smtp.security not in {"starttls", "ssl", "none"}:
        raise ConfigError("smtp.security: must be one of starttls, ssl, none")
    if s.digest.language not in {"en", "ru"}:
        raise ConfigError("digest.language: must be 'en' or 'ru'")
    if s.digest.baseline_weeks < 2:
        raise ConfigError("digest.baseline_weeks: at least 2 weeks are needed for a baseline")
    if not 1.0 <= s.digest.min_ratio <= 4.0:
        raise ConfigError("digest.min_ratio: a factor from 1 (any change) to 4")
    if not 0.0 < s.digest.fdr < 1.0:
        raise ConfigError("digest.fdr: a rate between 0 and 1")
    for name, port in (("smtp.port", s.smtp.port), ("dashboard.port", s.dashboard.port)):
        if not 0 <= port <= 65535:
            raise ConfigError(f"{name}: {port} is not a port (0 .. 65535)")
    for addr in s.recipients:
        if "@" not in addr:
            raise ConfigError(f"recipients: '{addr}' is not an e-mail address")
