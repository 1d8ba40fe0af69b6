"""A web chat's address, as a keyed hash: what merges one address's failing web chats.

A web chat conversation's id is chosen by the browser, so when Waymark fails, one address can
fail in many "conversations" (`handover.address_failures` merges their queue items). The
address itself is never stored: it is hashed with HMAC-SHA256 under a key derived from
`WAYMARK_SECRET_KEY` (HKDF, its own label, so it is independent of the phone-number key).
The hash is stable while the secret is, and cannot be turned back into an address without it.
"""
from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from channels.identity import _derive, load_secret
from waymark.limits import client_address


class AddressHasher:
    def __init__(self, secret: bytes):
        self._key = _derive(secret, b"web-chat-address-hash")

    def hash(self, address: str) -> str:
        return hmac.new(self._key, address.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def address_hash(request: Request) -> str:
    """The keyed hash of the request's client address (one hasher per app)."""
    hasher = getattr(request.app.state, "address_hasher", None)
    if hasher is None:
        hasher = AddressHasher(load_secret(request.app.state.settings.secret_key))
        request.app.state.address_hasher = hasher
    return hasher.hash(client_address(request.scope))
