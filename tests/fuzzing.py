"""Hypothesis strategies and settings shared by the fuzz tests (tests/test_fuzz_*.py).

Bounded so the whole fuzz part stays under two minutes on two cores: the examples are few
where each one is a turn of the model, many where each is a database query."""
from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Any character a client can send in UTF-8 (lone surrogates cannot be encoded at all).
CHARACTERS = st.characters(blacklist_categories=("Cs",))
TEXT = st.text(CHARACTERS, max_size=120)
# Now and then a huge string: past the message limit, the field limits, the body limit.
HUGE = st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "💊", "\x00", "[", " "]),
                 st.sampled_from([2001, 5000, 70_000]))
ANY_TEXT = st.one_of(TEXT, TEXT, TEXT, HUGE)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)
CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", "",
                                 "application/x-www-form-urlencoded", "multipart/form-data", "application/xml",
                                 "application/vnd.api+json"])


def bounded(examples: int):
    """Hypothesis settings for a fuzz test: `examples` inputs, no per-example deadline (a
    loaded machine is slow, not wrong), shared fixtures allowed."""
    return settings(max_examples=examples, deadline=None, database=None,  # no .hypothesis/ in the repository
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])
