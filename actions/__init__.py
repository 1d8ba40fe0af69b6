"""Custom actions: thin adapters between the dialogue and the plain modules that do the work.

Each journey has its own module; wording lives in `actions.replies` and the other `*_words`
modules, reading the words in `understanding/`, and finding services in `directory/`, each
plain Python tested on its own.
"""
