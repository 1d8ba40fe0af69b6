"""Custom actions: thin adapters between the dialogue and the directory.

Each journey has its own module; the wording lives in `actions.replies` and the logic in
`directory`, both plain Python tested on their own.
"""
