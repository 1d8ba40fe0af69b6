"""Waymark: the application that ties the assistant, the channels and the directory together."""
import os

# Rasa must never phone home: there is no internet here and our users would not want it.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
