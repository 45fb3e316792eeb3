"""Charts are PNG images that change with the data and render Vietnamese labels."""

from __future__ import annotations

import io
import struct
import unicodedata
import warnings
from decimal import Decimal

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from dean06.kpis.charts import (
    Bar,
    Point,
    chart_font_file,
    period_ranking_chart,
    service_share_chart,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    return struct.unpack(">II", png[16:24])


def test_service_chart_is_a_png_that_changes_with_the_data():
    points = [Point(f"{m}/2024", Decimal(50 + m), Decimal(80)) for m in range(1, 7)]
    first = service_share_chart("Đăng ký khai sinh — tỷ lệ trực tuyến", points)
    width, height = _size(first)
    assert width > 400 and height > 200 and len(first) > 5000
    changed = service_share_chart(
        "Đăng ký khai sinh — tỷ lệ trực tuyến",
        [*points[:-1], Point("6/2024", Decimal(10), Decimal(80))],
    )
    assert changed != first


def test_service_chart_without_figures_still_renders():
    png = service_share_chart("Trống", [Point("1/2024", None, None)])
    assert png[:8] == PNG_SIGNATURE


def test_ranking_chart_sorts_and_colours_by_target():
    bars = [
        Bar("Đăng ký khai sinh", Decimal("93.90"), Decimal(60)),
        Bar("Cấp đổi, cấp lại giấy phép lái xe", Decimal("57.58"), Decimal(60)),
        Bar("Đăng ký dự thi tốt nghiệp THPT", None, Decimal(60)),
    ]
    png = period_ranking_chart("Tháng 7/2024: tỷ lệ tiếp nhận trực tuyến", bars)
    width, height = _size(png)
    assert width > 500 and height > 200
    assert period_ranking_chart("Tháng 7/2024", list(reversed(bars))) == period_ranking_chart(
        "Tháng 7/2024", bars
    )
    other = [Bar("Đăng ký khai sinh", Decimal("20"), Decimal(60)), *bars[1:]]
    assert period_ranking_chart("Tháng 7/2024", other) != period_ranking_chart("Tháng 7/2024", bars)


def _vietnamese_letters() -> str:
    """Every letter of Vietnamese: the base letters and each vowel with each of the five tones,
    lower and upper case, precomposed (NFC) as documents store them."""
    vowels = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters |= set("bcdđghklmnpqrstvx")
    return "".join(sorted(letters | {c.upper() for c in letters}))


VIETNAMESE = _vietnamese_letters()


def test_the_chart_font_file_has_every_vietnamese_letter():
    assert len(VIETNAMESE) == 2 * (12 * 6 + 17)
    charmap = FT2Font(str(chart_font_file())).get_charmap()
    missing = [c for c in VIETNAMESE if ord(c) not in charmap]
    assert missing == []


def _render_every_letter() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        service_share_chart(VIETNAMESE, [Point(VIETNAMESE[:40], Decimal(1), Decimal(2))])
        period_ranking_chart(VIETNAMESE, [Bar(VIETNAMESE[40:90], Decimal(3), Decimal(60))])


def test_vietnamese_letters_render_without_missing_glyphs():
    _render_every_letter()


@pytest.fixture
def font_cache_lists_a_font_without_vietnamese_first(monkeypatch, tmp_path):
    """A machine where matplotlib's cache lists, first, a "Liberation Sans" without Vietnamese
    letters (Debian's old fonts-liberation 1.07 beside fonts-liberation2). Computer Modern,
    shipped with matplotlib, has no Vietnamese letters either: a copy of it stands in for the
    old file."""
    import shutil

    from matplotlib import rcParams

    cmr10 = font_manager.findfont(font_manager.FontProperties(family=["cmr10"]))
    without = tmp_path / "LiberationSans-Regular.ttf"
    shutil.copyfile(cmr10, without)
    entry = font_manager.FontEntry(
        fname=without, name="Liberation Sans", weight=400, stretch="normal", size="scalable"
    )
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [entry, *font_manager.fontManager.ttflist]
    )
    monkeypatch.setitem(rcParams, "font.family", ["sans-serif"])
    monkeypatch.setitem(rcParams, "font.sans-serif", ["Liberation Sans", "DejaVu Sans"])
    font_manager.fontManager._findfont_cached.cache_clear()
    yield without
    font_manager.fontManager._findfont_cached.cache_clear()


def test_vietnamese_letters_render_whichever_font_the_cache_lists_first(
    font_cache_lists_a_font_without_vietnamese_first,
):
    # The family lookup now lands on the file without Vietnamese letters...
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert found == str(font_cache_lists_a_font_without_vietnamese_first)
    # ...and the charts still draw every letter, since they name their font by file.
    _render_every_letter()


def test_tied_bars_follow_the_catalogue_order_not_the_text():
    names = {n: f"{n}. Dịch vụ" for n in (1, 2, 13, 14, 22)}
    bars = [Bar(names[n], Decimal(100), Decimal(60), order=n) for n in (22, 14, 13, 2, 1)]
    by_order = [Bar(names[n], Decimal(100), Decimal(60), order=n) for n in (1, 2, 13, 14, 22)]
    as_text = sorted(by_order, key=lambda b: b.name)  # 1, 13, 14, 2, 22
    assert period_ranking_chart("T", bars) == period_ranking_chart("T", by_order)
    assert period_ranking_chart("T", bars) != period_ranking_chart(
        "T", [Bar(b.name, b.share, b.target, order=i) for i, b in enumerate(as_text)]
    )


def test_png_decodes(tmp_path):
    from matplotlib.image import imread

    png = period_ranking_chart("Kiểm tra", [Bar("Thông báo lưu trú", Decimal(100), Decimal(100))])
    image = imread(io.BytesIO(png), format="png")
    assert image.shape[0] > 100 and image.shape[1] > 100
