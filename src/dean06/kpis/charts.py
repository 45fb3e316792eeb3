"""Charts of the online share for reports, as PNG bytes (matplotlib, Agg; pure: plain data in).

Per service: the monthly share against its target. Per period: every service sorted by share,
green when the target is met, red when not.

Vietnamese labels need a font with every letter. The font is chosen by file, not by family name:
DejaVu Sans as shipped inside matplotlib. By name, matplotlib may pick Debian's old
fonts-liberation 1.07 (no Vietnamese letters) over fonts-liberation2, depending on the order of its
font cache, and the users see boxes instead of letters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

MET_COLOUR = "#1b7f3b"
NOT_MET_COLOUR = "#b3261e"
NO_TARGET_COLOUR = "#5b6478"
TARGET_COLOUR = "#a15c00"


@cache
def chart_font_file() -> Path:
    """The font every chart text is drawn with: matplotlib's own DejaVu Sans."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _use_chart_font(fig: Figure) -> None:
    """Every text of the figure (titles, ticks, legend, labels) in the chart font, keeping its
    size and weight. Set again after a draw: the tick labels of numeric axes exist only once
    drawn (later draws reuse them, or copy their properties into new ones)."""

    def apply() -> None:
        for text in fig.findobj(Text):
            size, weight = text.get_fontsize(), text.get_fontweight()
            text.set_fontproperties(
                FontProperties(fname=chart_font_file(), size=size, weight=weight)
            )

    apply()
    fig.canvas.draw()
    apply()


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
    _use_chart_font(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def service_share_chart(title: str, points: Sequence[Point]) -> bytes:
    """One service's monthly share (line) against its target (dashed steps)."""
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
            )
    else:
        ax.text(0.5, 0.5, "Chưa có số liệu", transform=ax.transAxes, ha="center")
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
    ax.set_xticks(xs, [p.label for p in points], rotation=45, ha="right")
    ax.set_ylabel("%")
    ax.set_title(title, fontsize=11, wrap=True)
    ax.grid(axis="y", alpha=0.3)
    if shown or any(t is not None for t in targets):
        ax.legend(loc="lower left", fontsize=8)
    return _png(fig)


@dataclass(frozen=True)
class Bar:
    name: str
    share: Decimal | float | None
    target: Decimal | float | None = None
    order: int = 0


def period_ranking_chart(title: str, bars: Sequence[Bar]) -> bytes:
    """Every service of a period, highest share on top; services without figures last; ties
    in the order of the catalogue (1, 2, …, 13 — not as text)."""
    ordered = sorted(
        bars, key=lambda b: (b.share is None, -(_float(b.share) or 0.0), b.order, b.name)
    )
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
        ax.text(value + 1, y, text, va="center", fontsize=8)
        target = _float(bar.target)
        if target is not None:
            ax.plot([target, target], [y - 0.4, y + 0.4], color=TARGET_COLOUR, linewidth=2)
    ax.set_yticks(ys, [_short(b.name) for b in ordered], fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_xlabel("Tỷ lệ tiếp nhận trực tuyến (%) — vạch cam: chỉ tiêu")
    ax.set_title(title, fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def _short(name: str, limit: int = 55) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
