"""Settings read from the environment, in one place, with defaults for a single machine."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get(
            "WAYMARK_DATABASE_URL", f"sqlite:///{PROJECT_ROOT / 'var' / 'waymark.db'}"
        )
    )
    # The conversation history (Rasa's tracker store). SQLite by default, Postgres at scale.
    tracker_store_url: str = field(
        default_factory=lambda: os.environ.get(
            "WAYMARK_TRACKER_STORE_URL", f"sqlite:///{PROJECT_ROOT / 'var' / 'conversations.db'}"
        )
    )
    # Per-conversation locks: "memory" for one instance, redis://host:port/db for several.
    lock_store_url: str = field(
        default_factory=lambda: os.environ.get("WAYMARK_LOCK_STORE_URL", "memory")
    )
    model_path: Path = field(
        default_factory=lambda: _path(os.environ.get("WAYMARK_MODEL", "models/waymark.tar.gz"))
    )
    # Empty means: run the custom actions inside the app process (fastest, one process).
    action_server_url: str = field(
        default_factory=lambda: os.environ.get("WAYMARK_ACTION_SERVER_URL", "")
    )
    # Short messages without digits ("hi", "thanks") understood once and remembered, in
    # memory only (understanding/repeats.py); 0 runs the model on every message.
    repeated_messages: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_REPEATED_MESSAGES", "2048"))
    )
    stale_after_days: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_STALE_AFTER_DAYS", "90"))
    )
    # Conversations untouched for longer are deleted by `waymark purge` (and daily when serving).
    retention_days: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_RETENTION_DAYS", "30"))
    )
    max_body_bytes: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_MAX_BODY_BYTES", str(64 * 1024)))
    )
    requests_per_minute_per_ip: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_RATE_LIMIT_PER_IP", "120"))
    )
    messages_per_minute_per_conversation: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_RATE_LIMIT_PER_CONVERSATION", "30"))
    )
    max_message_chars: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_MAX_MESSAGE_CHARS", "2000"))
    )
    # Deeper JSON bodies are refused with a 400 before parsing (waymark/limits.py).
    max_json_depth: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_MAX_JSON_DEPTH", "32"))
    )
    # `waymark directory import` and `import-postcodes` refuse larger files (they are read whole).
    max_import_bytes: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_MAX_IMPORT_BYTES", str(200 * 1000 * 1000)))
    )
    # Councils' ORUK feeds kept in sync while serving (directory/feed_sync.py): "name=URL" pairs,
    # separated by commas, spaces or new lines, e.g. "bristol=https://example.org/oruk".
    feeds: str = field(default_factory=lambda: os.environ.get("WAYMARK_FEEDS", "").strip())
    # Each feed is pulled this often (only services changed since the last good pull), and in
    # full (services missing from it marked inactive) this often.
    feed_sync_hours: float = field(default_factory=lambda: float(os.environ.get("WAYMARK_FEED_SYNC_HOURS", "6")))
    feed_full_sync_hours: float = field(
        default_factory=lambda: float(os.environ.get("WAYMARK_FEED_FULL_SYNC_HOURS", "24"))
    )
    # `waymark directory stale` (and the editors' feed list) flag a feed with no good sync for longer.
    feed_stale_hours: float = field(default_factory=lambda: float(os.environ.get("WAYMARK_FEED_STALE_HOURS", "24")))
    # Worker processes serving on one port (`waymark serve --workers N` sets it for its workers).
    workers: int = field(default_factory=lambda: int(os.environ.get("WAYMARK_WORKERS", "1")))
    # Warm handover: a person waiting this long is told nobody has picked up, and offered alternatives.
    handover_timeout_minutes: int = field(
        default_factory=lambda: int(os.environ.get("WAYMARK_HANDOVER_TIMEOUT_MINUTES", "10"))
    )
    # --- Twilio SMS and voice (channels/twilio_*.py); without credentials those routes answer 503.
    twilio_account_sid: str = field(default_factory=lambda: os.environ.get("TWILIO_ACCOUNT_SID", ""))
    twilio_auth_token: str = field(default_factory=lambda: os.environ.get("TWILIO_AUTH_TOKEN", ""))
    twilio_from_number: str = field(default_factory=lambda: os.environ.get("TWILIO_FROM_NUMBER", ""))
    twilio_messaging_service_sid: str = field(
        default_factory=lambda: os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
    )
    # Another host for Twilio's REST API (a local stub in tests); empty means Twilio itself.
    twilio_api_base_url: str = field(default_factory=lambda: os.environ.get("TWILIO_API_BASE_URL", ""))
    # Only for local experiments: never turn signature checks off where Twilio can reach you.
    twilio_validate_signatures: bool = field(
        default_factory=lambda: os.environ.get("WAYMARK_TWILIO_VALIDATE_SIGNATURES", "true").strip().lower()
        not in ("0", "false", "no", "off")
    )
    # The public base URL Twilio calls (e.g. https://waymark.example.org); signatures are checked
    # against it, falling back to the URL the request arrived on.
    public_url: str = field(default_factory=lambda: os.environ.get("WAYMARK_PUBLIC_URL", "").rstrip("/"))
    # Keys the hash of phone numbers and encrypts a number while a reply waits to be sent.
    # Empty: a development key is generated once and kept in var/secret_key.
    secret_key: str = field(default_factory=lambda: os.environ.get("WAYMARK_SECRET_KEY", ""))
    # Only web chat ids the server issued (POST /webhooks/rest/conversations, signed with a key
    # from the secret) are accepted by the web chat channel. Off by default: stock Rasa clients
    # choose their own sender ids (channels/conversation_ids.py, docs/deployment.md).
    rest_require_signed_ids: bool = field(
        default_factory=lambda: os.environ.get("WAYMARK_REST_REQUIRE_SIGNED_IDS", "false").strip().lower()
        in ("1", "true", "yes", "on")
    )
    # The reverse proxies whose X-Forwarded-For is believed (addresses or networks, commas
    # between). Empty (the default): nobody's, so a client can't pick its own address to get
    # round the per-address limits (docs/deployment.md).
    trusted_proxies: str = field(default_factory=lambda: os.environ.get("WAYMARK_TRUSTED_PROXIES", "").strip())
    # A client must send a request's headers, and its body, within these (slow clients held
    # connections open for ever).
    header_timeout_seconds: float = field(
        default_factory=lambda: float(os.environ.get("WAYMARK_HEADER_TIMEOUT_SECONDS", "10"))
    )
    body_timeout_seconds: float = field(
        default_factory=lambda: float(os.environ.get("WAYMARK_BODY_TIMEOUT_SECONDS", "20"))
    )


def get_settings() -> Settings:
    return Settings()
