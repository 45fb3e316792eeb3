"""Property-based tests (hypothesis) of every parser and form: the small "suite" profile runs with
the test suite; `scripts/property_long.py` runs the "long" one (10,000 inputs a test)."""
