"""The two hypothesis profiles of the property tests.

"suite" (the default): a few dozen inputs a test, derandomized so that CI sees the same inputs
every run. "long": 10,000 inputs a test, random, chosen with `HYPOTHESIS_PROFILE=long` (what
`scripts/property_long.py` does).

The profile is applied by the tests of this folder (`@profile()`), not made hypothesis's global
default: `settings.load_profile` here would also change the other hypothesis tests of the suite
that pytest happens to import after this folder.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_ENV = "HYPOTHESIS_PROFILE"
PROFILES = ("suite", "long")
LONG_EXAMPLES = 10_000

_COMMON = {
    "deadline": None,
    "print_blob": True,
    # No example database: a run never writes into the checkout; a failure prints its blob.
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
        # The database fixtures are set up once per test; each example runs in a savepoint.
        HealthCheck.function_scoped_fixture,
    ],
}
settings.register_profile("suite", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=LONG_EXAMPLES, **_COMMON)

PROFILE_NAME = os.environ.get(PROFILE_ENV, "suite")
if PROFILE_NAME not in PROFILES:
    raise RuntimeError(f"{PROFILE_ENV}={PROFILE_NAME!r}: use one of {', '.join(PROFILES)}")


def profile(suite_examples: int | None = None) -> settings:
    """The settings of the chosen profile; `suite_examples` lowers the suite's count for a test
    whose every input is slow (a rendered DOCX, a page request). The long profile keeps 10,000."""
    chosen = settings.get_profile(PROFILE_NAME)
    if suite_examples is not None and PROFILE_NAME == "suite":
        return settings(chosen, max_examples=suite_examples)
    return chosen
