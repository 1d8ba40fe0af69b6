"""Per-conversation locks shared by several instances, changed atomically in Redis.

Rasa handles one message per conversation at a time with a ticket queue (`TicketLock`): each
message takes a ticket and waits until it is the first. Rasa's `RedisLockStore` changes that
queue by reading it, changing it in Python and writing it back, so two instances changing the
same conversation's queue at the same moment overwrite each other. Seen in
tests/test_scale_two_instances.py (one person's burst of six messages sent to two instances):
a finished ticket written back by a stale copy made every later message wait for it to
expire, and a queue deleted as another instance added to it lost that ticket.

Here every change reads the queue, changes it in Python with Rasa's own TicketLock, and writes
it back with a compare-and-set script that writes only if the stored queue is still the one
that was read (otherwise it reads again and retries), so tickets are never lost or brought
back. Two Redis commands per change; a WATCH/MULTI transaction took five, and the lock was
a twentieth of each worker's time per turn (benchmarks/conversations.py).
"""
from __future__ import annotations

import json
from typing import Callable, Optional, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

T = TypeVar("T")
_UNCHANGED = object()

# KEYS[1]: the queue. ARGV: whether it existed when read ("1"/"0"), what was read, then "set"
# with the new queue or "delete". Returns 1 if written, 0 if the queue changed meanwhile.
COMPARE_AND_SET = """
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == 'delete' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[4])
end
return 1
"""


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with each read-change-write of a ticket queue made atomic."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compare_and_set = self.red.register_script(COMPARE_AND_SET)

    def _change(self, conversation_id: str,
                change: Callable[[Optional[TicketLock]], tuple[object, T]]) -> T:
        """Run `change(lock)` on the stored queue and store what it returns: a TicketLock to
        save, None to delete the queue, or _UNCHANGED to leave it as it is."""
        key = self.key_prefix + conversation_id
        while True:
            raw = self.red.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            if new_lock is _UNCHANGED:
                return result
            written = self._compare_and_set(keys=[key], args=[
                "1" if raw is not None else "0", raw if raw is not None else b"",
                "delete" if new_lock is None else "set", b"" if new_lock is None else new_lock.dumps()])
            if written:
                return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as e:  # as Rasa's: the caller treats any failure as a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def _edit_if_present(self, conversation_id: str, edit: Callable[[TicketLock], object]) -> None:
        """Edit the queue if there is one; written back only if the edit removed a ticket."""
        def apply(lock: Optional[TicketLock]) -> tuple[object, None]:
            if lock is None:
                return _UNCHANGED, None
            before = len(lock.tickets)
            edit(lock)
            return (lock if len(lock.tickets) != before else _UNCHANGED), None

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
