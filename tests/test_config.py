from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import MASK, ConfigError, load_settings, mask_url


def test_defaults_are_embedded_sqlite_and_almaty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    assert s.effective_database_url == "sqlite:///var/steppewatch.db"
    assert s.timezone == "Asia/Almaty" and s.tz.key == "Asia/Almaty"
    assert not s.smtp.configured and s.recipients == ()
    assert s.outbox_dir == Path("var/outbox")


def test_file_then_environment(tmp_path):
    cfg = tmp_path / "steppewatch.toml"
    cfg.write_text('timezone = "Europe/Moscow"\nrecipients = ["a@x.kz"]\n'
                   '[smtp]\nhost = "mail.x.kz"\nport = 465\nsecurity = "ssl"\n'
                   '[digest]\nbaseline_weeks = 12\n', encoding="utf-8")
    env = {"STEPPEWATCH_DATABASE_URL": "postgresql+psycopg://sw:hunter2@db/sw",
           "STEPPEWATCH_SMTP__PORT": "2525", "STEPPEWATCH_SMTP__PASSWORD": "s3cret",
           "STEPPEWATCH_RECIPIENTS": "a@x.kz, b@y.ru"}
    s = load_settings(cfg, env=env)
    assert s.timezone == "Europe/Moscow"
    assert (s.smtp.host, s.smtp.port, s.smtp.security) == ("mail.x.kz", 2525, "ssl")
    assert s.smtp.password == "s3cret"
    assert s.recipients == ("a@x.kz", "b@y.ru")
    assert s.digest.baseline_weeks == 12
    shown = s.to_dict()
    assert shown["smtp"]["password"] == MASK
    assert "hunter2" not in str(shown) and "s3cret" not in str(shown)
    assert s.source == ("defaults", str(cfg), "environment")


def test_secrets_in_the_file_are_refused(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[smtp]\npassword = "oops"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="STEPPEWATCH_SMTP__PASSWORD"):
        load_settings(cfg, env={})


@pytest.mark.parametrize("env,message", [
    ({"STEPPEWATCH_TIMEZONE": "Mars/Olympus"}, "unknown time zone"),
    ({"STEPPEWATCH_SMTP__PORT": "many"}, "smtp.port"),
    ({"STEPPEWATCH_SMTP__SECURITY": "tls1"}, "starttls, ssl, none"),
    ({"STEPPEWATCH_COLOUR": "blue"}, "unknown setting colour"),
    ({"STEPPEWATCH_MAIL__HOST": "x"}, "unknown settings section"),
    ({"STEPPEWATCH_RECIPIENTS": "not-an-address"}, "not an e-mail"),
    ({"STEPPEWATCH_CRAWL__OBEY_ROBOTS": "perhaps"}, "not a boolean"),
    ({"STEPPEWATCH_DIGEST__MIN_RATIO": "0.8"}, "digest.min_ratio"),
    ({"STEPPEWATCH_DIGEST__FDR": "1.5"}, "digest.fdr"),
])
def test_bad_values_get_a_clear_error(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env=env)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("timezone = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad, env={})


def test_mask_url():
    assert mask_url("postgresql+psycopg://u:p@h:5/d") == f"postgresql+psycopg://u:{MASK}@h:5/d"
    assert mask_url("sqlite:///var/x.db") == "sqlite:///var/x.db"
