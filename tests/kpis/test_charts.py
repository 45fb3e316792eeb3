"""Charts are PNG images that change with the data and render Vietnamese labels."""

from __future__ import annotations

import io
import struct
import warnings
from decimal import Decimal

from dean06.kpis.charts import Bar, Point, chart_font, period_ranking_chart, service_share_chart

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


def test_vietnamese_glyphs_render_without_missing_glyph_warnings():
    assert chart_font() in ("Liberation Sans", "DejaVu Sans")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        service_share_chart("Ủy ban nhân dân — ữ ặ ỡ đ Đ", [Point("Tháng 1", Decimal(1), None)])


def test_png_decodes(tmp_path):
    from matplotlib.image import imread

    png = period_ranking_chart("Kiểm tra", [Bar("Thông báo lưu trú", Decimal(100), Decimal(100))])
    image = imread(io.BytesIO(png), format="png")
    assert image.shape[0] > 100 and image.shape[1] > 100
