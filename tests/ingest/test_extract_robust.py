"""extract() on damaged input: it returns an ExtractedPlan or raises IngestError, nothing else."""

from __future__ import annotations

import random
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dean06.ingest import ExtractedPlan, IngestError, UnitRegistry, extract

REGISTRY = UnitRegistry.default()
SEEDS = [
    (resources.files("dean06") / "data" / "seeds" / name).read_bytes()
    for name in ("000_29642a5544120c4a.txt", "001_33c018715ba11eff.txt", "002_6f41b110d532d470.txt")
]
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes) -> None:
    try:
        plan = extract(data, REGISTRY)
    except IngestError as exc:
        assert exc.message  # a Vietnamese message for the user
        return
    assert isinstance(plan, ExtractedPlan)
    for task in plan.tasks:
        assert task.code


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    _check(data)


@FAST
@given(st.sampled_from(range(3)), st.floats(min_value=0.0, max_value=1.0))
def test_truncated_seed(which, fraction):
    data = SEEDS[which]
    _check(data[: int(len(data) * fraction)])


# Each example rebuilds a whole scrambled table (~0.5 s): fewer of them.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(3)), st.integers(min_value=0, max_value=2**32 - 1))
def test_shuffled_seed_lines(which, seed):
    lines = SEEDS[which].split(b"\n")
    random.Random(seed).shuffle(lines)  # noqa: S311 (a test shuffle, not a secret)
    _check(b"\n".join(lines))


@FAST
@given(
    st.sampled_from(range(3)),
    st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=8)), max_size=20),
)
def test_seed_with_bytes_overwritten(which, edits):
    data = bytearray(SEEDS[which])
    for pos, chunk in edits:
        at = pos % len(data)
        data[at : at + len(chunk)] = chunk
    _check(bytes(data))


@FAST
@given(st.text(max_size=600))
def test_random_text(text):
    _check(text.encode("utf-8"))


def test_empty_and_blank_input_raise_ingest_error():
    for data in (b"", b"   \n\t  \n"):
        try:
            extract(data, REGISTRY)
        except IngestError as exc:
            assert "rỗng" in exc.message
        else:
            raise AssertionError("no IngestError")
