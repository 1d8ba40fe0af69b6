"""Settings are read once from the environment and checked there: a wrong value stops the
command with the variable's name, never a traceback or a failure later inside a request."""
from __future__ import annotations

import subprocess
import sys

import pytest

from waymark.settings import PROJECT_ROOT, Settings, SettingsError, get_settings


def test_the_defaults_serve_one_machine(monkeypatch):
    for name in ("WAYMARK_DATABASE_URL", "WAYMARK_MODEL", "WAYMARK_LOCK_STORE_URL", "WAYMARK_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'waymark.db'}"
    assert settings.model_path == PROJECT_ROOT / "models" / "waymark.tar.gz"
    assert (settings.lock_store_url, settings.workers, settings.rest_require_signed_ids) == ("memory", 1, False)


def test_each_variable_reaches_its_setting(monkeypatch):
    monkeypatch.setenv("WAYMARK_RATE_LIMIT_PER_IP", "7")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token")
    monkeypatch.setenv("WAYMARK_TWILIO_VALIDATE_SIGNATURES", "off")
    monkeypatch.setenv("WAYMARK_PUBLIC_URL", " https://waymark.example.org/ ")
    monkeypatch.setenv("WAYMARK_MODEL", "elsewhere/model.tar.gz")
    settings = get_settings()
    assert settings.requests_per_minute_per_ip == 7
    assert settings.twilio_auth_token == "token"
    assert settings.twilio_validate_signatures is False
    assert settings.public_url == "https://waymark.example.org"
    assert settings.model_path == PROJECT_ROOT / "elsewhere" / "model.tar.gz"


@pytest.mark.parametrize("name, value", [("WAYMARK_WORKERS", "ten"), ("WAYMARK_RETENTION_DAYS", "0"),
                                         ("WAYMARK_TWILIO_VALIDATE_SIGNATURES", "maybe"),
                                         ("WAYMARK_HANDOVER_TIMEOUT_MINUTES", "-5")])
def test_a_wrong_value_is_refused_by_its_variables_name(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        get_settings()


def test_the_command_says_which_setting_is_wrong_without_a_traceback():
    done = subprocess.run([sys.executable, "-m", "waymark.cli", "purge", "--days", "30"], cwd=PROJECT_ROOT,
                          env={"PATH": "/usr/bin:/bin", "WAYMARK_WORKERS": "ten"}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "WAYMARK_WORKERS" in done.stderr and "Traceback" not in done.stderr


def test_settings_do_not_change_once_read_and_a_copy_is_checked_too():
    settings = Settings(database_url="sqlite://")
    with pytest.raises(TypeError):
        settings.workers = 4
    assert settings.with_changes(workers=4).workers == 4 and settings.workers == 1
    with pytest.raises(ValueError):
        settings.with_changes(workers=0)


def test_settings_are_checked_once_for_an_environment_and_again_when_it_changes(monkeypatch):
    monkeypatch.setenv("WAYMARK_RETENTION_DAYS", "12")
    first = get_settings()
    assert get_settings() is first  # not checked again on every turn
    monkeypatch.setenv("WAYMARK_RETENTION_DAYS", "13")
    assert get_settings().retention_days == 13
