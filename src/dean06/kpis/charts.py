"""Charts of the online share for reports, as PNG bytes (matplotlib, Agg; pure: plain data in).

Per service: the monthly share against its target. Per period: every service sorted by share,
green when the target is met, red when not. Vietnamese labels need a font with its diacritics:
Liberation Sans when installed, else DejaVu Sans (shipped with matplotlib).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PREFERRED_FONTS = ("Liberation Sans", "DejaVu Sans")
MET_COLOUR = "#1b7f3b"
NOT_MET_COLOUR = "#b3261e"
NO_TARGET_COLOUR = "#5b6478"
TARGET_COLOUR = "#a15c00"


@cache
def chart_font() -> str:
    """The first preferred font matplotlib can find."""
    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in PREFERRED_FONTS if name in available), "DejaVu Sans")


@dataclass(frozen=True)
class Point:
    label: str
    share: Decimal | float | None
    target: Decimal | float | None = None


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def service_share_chart(title: str, points: Sequence[Point]) -> bytes:
    """One service's monthly share (line) against its target (dashed steps)."""
    font = {"family": chart_font()}
    fig = _figure(8, 4)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    shares = [_float(p.share) for p in points]
    targets = [_float(p.target) for p in points]
    shown = [(x, s) for x, s in zip(xs, shares, strict=True) if s is not None]
    if shown:
        ax.plot(
            [x for x, _ in shown],
            [s for _, s in shown],
            marker="o",
            color="#1f4fa3",
            label="Tỷ lệ tiếp nhận trực tuyến",
        )
        for x, s in shown:
            ax.annotate(
                f"{s:.1f}".replace(".", ","),
                (x, s),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
                fontfamily=font["family"],
            )
    else:
        ax.text(0.5, 0.5, "Chưa có số liệu", transform=ax.transAxes, ha="center", fontdict=font)
    if any(t is not None for t in targets):
        ax.step(
            xs,
            [t if t is not None else float("nan") for t in targets],
            where="mid",
            linestyle="--",
            color=TARGET_COLOUR,
            label="Chỉ tiêu",
        )
    ax.set_ylim(0, 105)
    ax.set_xticks(xs, [p.label for p in points], rotation=45, ha="right", fontdict=font)
    ax.set_ylabel("%", fontdict=font)
    ax.set_title(title, fontdict={**font, "fontsize": 11}, wrap=True)
    ax.grid(axis="y", alpha=0.3)
    if shown or any(t is not None for t in targets):
        ax.legend(loc="lower left", prop={"family": font["family"], "size": 8})
    return _png(fig)


@dataclass(frozen=True)
class Bar:
    name: str
    share: Decimal | float | None
    target: Decimal | float | None = None


def period_ranking_chart(title: str, bars: Sequence[Bar]) -> bytes:
    """Every service of a period, highest share on top; services without figures last."""
    font = {"family": chart_font()}
    ordered = sorted(bars, key=lambda b: (b.share is None, -(_float(b.share) or 0.0), b.name))
    fig = _figure(9, max(3.0, 0.32 * len(ordered) + 1.2))
    ax = fig.add_subplot()
    ys = list(range(len(ordered)))[::-1]
    values = [_float(b.share) or 0.0 for b in ordered]
    colours = []
    for bar in ordered:
        share, target = _float(bar.share), _float(bar.target)
        if share is None or target is None:
            colours.append(NO_TARGET_COLOUR)
        else:
            colours.append(MET_COLOUR if share >= target else NOT_MET_COLOUR)
    ax.barh(ys, values, color=colours, height=0.7)
    for y, bar, value in zip(ys, ordered, values, strict=True):
        text = "—" if bar.share is None else f"{value:.2f}%".replace(".", ",")
        ax.text(value + 1, y, text, va="center", fontsize=8, fontfamily=font["family"])
        target = _float(bar.target)
        if target is not None:
            ax.plot([target, target], [y - 0.4, y + 0.4], color=TARGET_COLOUR, linewidth=2)
    ax.set_yticks(ys, [_short(b.name) for b in ordered], fontdict={**font, "fontsize": 8})
    ax.set_xlim(0, 112)
    ax.set_xlabel("Tỷ lệ tiếp nhận trực tuyến (%) — vạch cam: chỉ tiêu", fontdict=font)
    ax.set_title(title, fontdict={**font, "fontsize": 11})
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def _short(name: str, limit: int = 55) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
