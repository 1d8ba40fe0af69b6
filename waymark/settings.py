"""Settings read from the environment, in one place, with defaults for a single machine.

One pydantic `BaseSettings` (pydantic 1.10, as Rasa 3.6 pins it): each field is read from its
`WAYMARK_...` variable (or `TWILIO_...`), checked and converted once, so a wrong value ("ten"
for a number, "maybe" for a switch) stops the program at start-up with the variable's name
instead of failing later inside a request.
"""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseSettings, Field, ValidationError, validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'waymark.db'}"
    # The conversation history (Rasa's tracker store). SQLite by default, Postgres at scale.
    tracker_store_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'conversations.db'}"
    # Per-conversation locks: "memory" for one instance, redis://host:port/db for several.
    lock_store_url: str = "memory"
    # A relative path is read from the project folder.
    model_path: Path = Field(Path("models/waymark.tar.gz"), env="WAYMARK_MODEL")
    # Empty means: run the custom actions inside the app process (fastest, one process).
    action_server_url: str = ""
    # Short messages without digits ("hi", "thanks") understood once and remembered, in
    # memory only (understanding/repeats.py); 0 runs the model on every message.
    repeated_messages: int = Field(2048, ge=0)
    stale_after_days: int = Field(90, ge=1)
    # Conversations untouched for longer are deleted by `waymark purge` (and daily when serving).
    retention_days: int = Field(30, ge=1)
    max_body_bytes: int = Field(64 * 1024, ge=1)
    requests_per_minute_per_ip: int = Field(120, ge=1, env="WAYMARK_RATE_LIMIT_PER_IP")
    messages_per_minute_per_conversation: int = Field(30, ge=1, env="WAYMARK_RATE_LIMIT_PER_CONVERSATION")
    max_message_chars: int = Field(2000, ge=1)
    # Deeper JSON bodies are refused with a 400 before parsing (waymark/limits.py).
    max_json_depth: int = Field(32, ge=1)
    # `waymark directory import` and `import-postcodes` refuse larger files (they are read whole).
    max_import_bytes: int = Field(200 * 1000 * 1000, ge=1)
    # Councils' ORUK feeds kept in sync while serving (directory/feed_sync.py): "name=URL" pairs,
    # separated by commas, spaces or new lines, e.g. "bristol=https://example.org/oruk".
    feeds: str = ""
    # Each feed is pulled this often (only services changed since the last good pull), and in
    # full (services missing from it marked inactive) this often.
    feed_sync_hours: float = Field(6, gt=0)
    feed_full_sync_hours: float = Field(24, gt=0)
    # `waymark directory stale` (and the editors' feed list) flag a feed with no good sync for longer.
    feed_stale_hours: float = Field(24, ge=0)  # 0: every feed without a good sync just now
    # Worker processes serving on one port (`waymark serve --workers N` sets it for its workers).
    workers: int = Field(1, ge=1)
    # Warm handover: a person waiting this long is told nobody has picked up, and offered alternatives.
    handover_timeout_minutes: int = Field(10, ge=1)
    # --- Twilio SMS and voice (channels/twilio_*.py); without credentials those routes answer 503.
    twilio_account_sid: str = Field("", env="TWILIO_ACCOUNT_SID")
    twilio_auth_token: str = Field("", env="TWILIO_AUTH_TOKEN")
    twilio_from_number: str = Field("", env="TWILIO_FROM_NUMBER")
    twilio_messaging_service_sid: str = Field("", env="TWILIO_MESSAGING_SERVICE_SID")
    # Another host for Twilio's REST API (a local stub in tests); empty means Twilio itself.
    twilio_api_base_url: str = Field("", env="TWILIO_API_BASE_URL")
    # Only for local experiments: never turn signature checks off where Twilio can reach you.
    twilio_validate_signatures: bool = True
    # The public base URL Twilio calls (e.g. https://waymark.example.org); signatures are checked
    # against it, falling back to the URL the request arrived on.
    public_url: str = ""
    # Keys the hash of phone numbers and encrypts a number while a reply waits to be sent.
    # Empty: a development key is generated once and kept in var/secret_key.
    secret_key: str = ""
    # Only web chat ids the server issued (POST /webhooks/rest/conversations, signed with a key
    # from the secret) are accepted by the web chat channel. Off by default: stock Rasa clients
    # choose their own sender ids (channels/conversation_ids.py, docs/deployment.md).
    rest_require_signed_ids: bool = False
    # The reverse proxies whose X-Forwarded-For is believed (addresses or networks, commas
    # between). Empty (the default): nobody's, so a client can't pick its own address to get
    # round the per-address limits (docs/deployment.md).
    trusted_proxies: str = ""
    # A client must send a request's headers, and its body, within these (slow clients held
    # connections open for ever).
    header_timeout_seconds: float = Field(10, gt=0)
    body_timeout_seconds: float = Field(20, gt=0)

    class Config:
        env_prefix = "WAYMARK_"
        frozen = True  # read once; a test or a worker that wants other values makes a copy

    @validator("model_path")
    def _from_the_project_folder(cls, value: Path) -> Path:
        return value if value.is_absolute() else PROJECT_ROOT / value

    @validator("feeds", "trusted_proxies")
    def _stripped(cls, value: str) -> str:
        return value.strip()

    @validator("public_url")
    def _without_trailing_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")

    def with_changes(self, **changes) -> "Settings":
        """A copy with some values changed, checked as the environment's are."""
        return type(self)(**{**self.dict(), **changes})


class SettingsError(ValueError):
    """A setting in the environment that can't be used, named by its variable."""


_READ_FROM = ("WAYMARK_", "TWILIO_")
_last_read: dict[tuple, Settings] = {}


def get_settings() -> Settings:
    """The settings the environment gives now, checked once for that environment.

    Checking every field costs about 0.8 ms, and actions and channels ask for settings on
    every turn, so the last result is kept for as long as no WAYMARK_ or TWILIO_ variable
    changes (looking costs about 0.08 ms; both measured with timeit on this 2-core machine while busy).
    """
    seen = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(_READ_FROM)))
    settings = _last_read.get(seen)
    if settings is None:
        settings = _checked()
        _last_read.clear()
        _last_read[seen] = settings
    return settings


def _checked() -> Settings:
    try:
        return Settings()
    except ValidationError as e:
        problems = []
        for error in e.errors():
            field = Settings.__fields__[str(error["loc"][0])]
            names = sorted(field.field_info.extra.get("env_names", {field.name}))
            problems.append(f"{names[0].upper()}: {error['msg']}")
        raise SettingsError("These settings can't be used: " + "; ".join(problems)) from None
