"""Deterministic crisis triage and the reviewed crisis replies."""
