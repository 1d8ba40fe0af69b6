"""Phone numbers without keeping phone numbers.

A conversation is keyed by a keyed hash of the number (HMAC-SHA256), so the same person keeps
their context but the tables and the tracker store never hold the number itself. Sending a
reply needs the number, so it is kept encrypted (Fernet) only while a reply or reminder is
waiting, and wiped once it has gone.

Both keys are derived from one secret, `WAYMARK_SECRET_KEY`, with HKDF and different labels,
so the hash key and the encryption key are independent. Changing the secret orphans existing
conversations and makes pending numbers unreadable: treat it like a database password.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from waymark.settings import PROJECT_ROOT

log = logging.getLogger(__name__)
DEV_SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"


def load_secret(configured: str, path: Path = DEV_SECRET_FILE) -> bytes:
    """The configured secret, or (development only) one generated once and kept under var/."""
    if configured:
        return configured.encode()
    if path.exists():
        secret = path.read_text().strip()
        log.warning("WAYMARK_SECRET_KEY is not set: using the development secret in %s. "
                    "Set WAYMARK_SECRET_KEY in production.", path)
        return secret.encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret + "\n")
    log.warning("WAYMARK_SECRET_KEY is not set: generated a development secret and saved it in %s. "
                "Set WAYMARK_SECRET_KEY in production.", path)
    return secret.encode()


def _derive(secret: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"waymark-identity-v1", info=label).derive(secret)


def normalise_number(number: str) -> str:
    """One spelling per number, so "+44 7700 900123" and "+447700900123" are one person."""
    cleaned = re.sub(r"[^\d+]", "", number or "")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    elif cleaned.startswith("0"):
        cleaned = "+44" + cleaned[1:]
    return cleaned


class Identity:
    def __init__(self, secret: bytes):
        self._hash_key = _derive(secret, b"phone-number-hash")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"phone-number-encryption")))

    def hash_number(self, number: str) -> str:
        return hmac.new(self._hash_key, normalise_number(number).encode(), hashlib.sha256).hexdigest()

    def encrypt(self, number: str) -> str:
        return self._fernet.encrypt(number.encode()).decode()

    def decrypt(self, token: str) -> Optional[str]:
        """The number, or None if the token was made with another secret (or tampered with)."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None
