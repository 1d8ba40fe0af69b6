"""Per-conversation locks shared by several instances, changed atomically in Redis.

Rasa handles one message per conversation at a time with a ticket queue (`TicketLock`): each
message takes a ticket and waits until it is the first. Rasa's `RedisLockStore` changes that
queue by reading it, changing it in Python and writing it back, so two instances changing the
same conversation's queue at the same moment overwrite each other. Seen in
tests/test_scale_two_instances.py (one person's burst of six messages sent to two instances):
a finished ticket written back by a stale copy made every later message wait for it to
expire, and a queue deleted as another instance added to it lost that ticket.

Here every change is one Redis transaction (WATCH the key, read, MULTI, write; retried if
another instance changed the key in between), so tickets are never lost or brought back.
"""
from __future__ import annotations

import json
from typing import Callable, Optional, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

T = TypeVar("T")
_UNCHANGED = object()


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with each read-change-write of a ticket queue made atomic."""

    def _change(self, conversation_id: str,
                change: Callable[[Optional[TicketLock]], tuple[object, T]]) -> T:
        """Run `change(lock)` on the stored queue and store what it returns: a TicketLock to
        save, None to delete the queue, or _UNCHANGED to leave it as it is."""
        key = self.key_prefix + conversation_id

        def attempt(pipe) -> T:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            elif new_lock is not _UNCHANGED:
                pipe.set(key, new_lock.dumps())
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as e:  # as Rasa's: the caller treats any failure as a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def _edit_if_present(self, conversation_id: str, edit: Callable[[TicketLock], object]) -> None:
        def apply(lock: Optional[TicketLock]) -> tuple[object, None]:
            if lock is None:
                return _UNCHANGED, None
            edit(lock)
            return lock, None

        self._change(conversation_id, apply)

    def update_lock(self, conversation_id: str) -> None:
        self._edit_if_present(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._edit_if_present(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back, and delete the queue only if nobody joined it meanwhile."""
        def finish_and_tidy(lock: Optional[TicketLock]) -> tuple[object, None]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_tidy)
