"""The share of applications received online, always computed from the counts (pure).

share = (online by citizens + online by businesses) / total received × 100, rounded half up to two
decimals as reports print it; a typed share is only ever compared with it ("as reported").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Count = int | Decimal | None
# Reports print shares with two decimals; a reported share within this many percentage points
# of the computed one agrees with it.
SHARE_TOLERANCE = Decimal("0.01")
_HUNDRED = Decimal(100)


def online_count(online_citizens: Count, online_businesses: Count) -> int | Decimal | None:
    """Citizens + businesses; a blank part counts as 0 when the other is given."""
    if online_citizens is None and online_businesses is None:
        return None
    return (online_citizens or 0) + (online_businesses or 0)


def online_share(
    online_citizens: Count, online_businesses: Count, total: Count, *, digits: int | None = 2
) -> Decimal | None:
    """The share online in percent; None when nothing was received or a count is missing."""
    online = online_count(online_citizens, online_businesses)
    if online is None or total is None or total == 0:
        return None
    share = Decimal(online) * _HUNDRED / Decimal(total)
    return share if digits is None else round_share(share, digits)


def ratio_share(numerator: Count, denominator: Count, *, digits: int | None = 2) -> Decimal | None:
    """numerator / denominator × 100 (for ratio indicators); None for a zero denominator."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    share = Decimal(numerator) * _HUNDRED / Decimal(denominator)
    return share if digits is None else round_share(share, digits)


def round_share(value: Decimal | float, digits: int = 2) -> Decimal:
    """Half up, as people round by hand (88.725 → 88.73), not the banker's rounding of round()."""
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def share_agrees(
    reported: Decimal | float | None,
    computed: Decimal | float | None,
    *,
    tolerance: Decimal = SHARE_TOLERANCE,
    decimals: int = 2,
) -> bool | None:
    """Whether a reported share agrees with the computed one (rounded as the report printed it).

    None when either is missing: there is nothing to compare.
    """
    if reported is None or computed is None:
        return None
    expected = round_share(Decimal(str(computed)), decimals)
    return abs(Decimal(str(reported)) - expected) <= tolerance


def format_share(value: Decimal | float | None, *, digits: int = 2) -> str:
    """88.73 → "88,73%"; None → "—" (Vietnamese decimal comma)."""
    if value is None:
        return "—"
    return f"{round_share(Decimal(str(value)), digits)}%".replace(".", ",")


def format_count(value: int | Decimal | None) -> str:
    """45902 → "45.902" (Vietnamese thousands separator); None → ""."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")
