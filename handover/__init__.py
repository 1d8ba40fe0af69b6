"""Warm handover: a person is passed to a human helpline worker with their consent and a short
summary, stays on the channel they chose, and the assistant stays quiet while a human has the
conversation (crisis replies excepted)."""

from handover.retention import register as _register_with_privacy

_register_with_privacy()  # retention and "delete my data" reach the handover's tables
