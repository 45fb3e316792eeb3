"""Scanner damage on a rendered document, and the accuracy curve of the OCR reader over it.

python scripts/scan_damage.py make IN.docx|IN.pdf OUT.pdf [--level 2] [--seed 7] [--pages 1]
python scripts/scan_damage.py bench [--levels 0 1 2 3 4] [--seed 7] [--pages N] [IN GOLD.json]
python scripts/scan_damage.py timing [--level 2] [--pages 1]   # reader vs one plain tesseract pass

Without IN the plan table render of seed 001 (scripts/samples.py) is used, scored against
tests/data/gold/001.json. A DOCX goes through LibreOffice to PDF, every PDF through pdftoppm.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold" / "001.json"


@dataclass(frozen=True)
class Damage:
    """How badly a page is scanned; every "max" is drawn at random per page up to it."""

    dpi: int
    quality: int  # JPEG quality
    rotation: float  # degrees, max
    blur: float  # Gaussian sigma in pixels at 200 dpi
    noise: float  # grain, standard deviation in grey levels
    specks: int  # dust specks per page
    paper: float  # grey of the paper (1.0 white)
    light: float  # uneven light: darkening across the page, max
    perspective: float  # corner shift, share of the page side, max
    stamp: bool  # a red seal and a signature over text: on the last page, some others
    color: bool  # colour JPEG (a stamp stays red) or grayscale


LEVELS = (
    Damage(300, 92, 0.0, 0.0, 0.0, 0, 1.0, 0.0, 0.0, stamp=False, color=False),
    Damage(300, 85, 0.4, 0.4, 4.0, 40, 0.95, 0.05, 0.0, stamp=False, color=False),
    # An office flatbed: 200 dpi grayscale JPEG, a slight turn, grey paper and dust.
    Damage(200, 75, 0.6, 0.7, 7.0, 120, 0.9, 0.12, 0.0, stamp=False, color=False),
    Damage(200, 60, 1.4, 0.9, 9.0, 250, 0.86, 0.2, 0.002, stamp=True, color=True),
    Damage(150, 50, 2.0, 1.0, 11.0, 400, 0.82, 0.3, 0.003, stamp=True, color=True),
)


def to_pdf(path: Path) -> bytes:
    """The document as PDF: a DOCX/ODT through LibreOffice (a private profile), a PDF as it is."""
    if path.suffix.lower() == ".pdf":
        return path.read_bytes()
    sys.path.insert(0, str(ROOT))
    from scripts import samples

    return samples.docx_to_pdf(path.read_bytes())


def pdf_to_images(pdf: bytes, dpi: int, pages: int | None) -> list[Any]:
    """RGB page images made by poppler's pdftoppm at `dpi`, as a scan station renders them."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "in.pdf").write_bytes(pdf)
        cmd = ["pdftoppm", "-r", str(dpi)]  # PPM: raw pages, far faster than PNG
        if pages:
            cmd += ["-l", str(pages)]
        subprocess.run(
            [*cmd, str(folder / "in.pdf"), str(folder / "p")],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return [Image.open(p).convert("RGB") for p in sorted(folder.glob("p-*.ppm"))]


def _stamp(rgb: np.ndarray, rng: np.random.Generator, dpi: int) -> None:
    """A red round seal (two rings, a star, a lettering band) and a blue signature scribble,
    multiplied over the text in the lower half of the page, as an official signs and seals."""
    import cv2

    h, w = rgb.shape[:2]
    radius = round(0.8 * dpi)  # a 4 cm seal
    cx = int(rng.uniform(0.25, 0.75) * w)
    cy = int(rng.uniform(0.45, 0.85) * h)
    ink = np.full((h, w, 3), 255, np.uint8)
    red = (200, 30, 40)
    thick = max(2, dpi // 60)
    cv2.circle(ink, (cx, cy), radius, red, thick)
    cv2.circle(ink, (cx, cy), round(radius * 0.72), red, thick)
    for k in range(36):  # the lettering band: short strokes around the ring
        a = 2 * math.pi * k / 36
        r0, r1 = radius * 0.78, radius * 0.94
        p0 = (int(cx + r0 * math.cos(a)), int(cy + r0 * math.sin(a)))
        p1 = (int(cx + r1 * math.cos(a + 0.05)), int(cy + r1 * math.sin(a + 0.05)))
        cv2.line(ink, p0, p1, red, thick)
    star = [
        (
            int(
                cx
                + radius * (0.3 if i % 2 == 0 else 0.12) * math.cos(math.pi * i / 5 - math.pi / 2)
            ),
            int(
                cy
                + radius * (0.3 if i % 2 == 0 else 0.12) * math.sin(math.pi * i / 5 - math.pi / 2)
            ),
        )
        for i in range(10)
    ]
    cv2.fillPoly(ink, [np.array(star, np.int32)], red)
    # The signature: a few loops of a pen across the seal's right side.
    t = np.linspace(0, 1, 400)
    sx = cx + radius * 0.2 + t * radius * 1.6
    sy = cy - radius * 0.1 + np.sin(t * rng.uniform(14, 22)) * radius * 0.25 * (1 - t)
    points = np.stack([sx, sy], axis=1).astype(np.int32)
    cv2.polylines(ink, [points], False, (30, 40, 140), max(2, dpi // 80), lineType=cv2.LINE_AA)
    # Stamp ink is not opaque: it darkens what is under it (multiply), a little faded.
    fade = rng.uniform(0.75, 0.95)
    layer = 255 - (255 - ink.astype(np.float32)) * fade
    rgb[:] = (rgb.astype(np.float32) * layer / 255).astype(np.uint8)


def damage_page(image: Any, level: Damage, rng: np.random.Generator, *, last: bool = False) -> Any:
    """One page image (RGB, at level.dpi) scanned badly; a PIL image, L or RGB. The seal goes
    on the last page (the signature) and on a third of the others (a copy sealed page by page)."""
    import cv2
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8).copy()
    h, w = rgb.shape[:2]
    if level.stamp and (last or rng.random() < 0.35):
        _stamp(rgb, rng, level.dpi)
    if level.perspective:
        shift = level.perspective * max(w, h)
        src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        dst = src + rng.uniform(-shift, shift, src.shape).astype(np.float32)
        matrix = cv2.getPerspectiveTransform(src, dst)
        rgb = cv2.warpPerspective(rgb, matrix, (w, h), borderValue=(255, 255, 255))
    if level.rotation:
        angle = rng.uniform(-level.rotation, level.rotation)
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rgb = cv2.warpAffine(rgb, matrix, (w, h), borderValue=(255, 255, 255))
    page = rgb.astype(np.float32) * level.paper
    if level.light:
        direction = rng.uniform(0, 2 * math.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ramp = (xx / w - 0.5) * math.cos(direction) + (yy / h - 0.5) * math.sin(direction)
        page *= (1 - level.light * (ramp + 0.5))[..., None]
    if level.blur:
        page = cv2.GaussianBlur(page, (0, 0), level.blur * level.dpi / 200)
    if level.noise:
        page += rng.normal(0, level.noise, (h, w, 1)).astype(np.float32)
    for _ in range(level.specks):
        x, y = int(rng.uniform(0, w)), int(rng.uniform(0, h))
        cv2.circle(page, (x, y), int(rng.integers(1, 3)), (60, 60, 60), -1)
    out = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), "RGB")
    return out if level.color else out.convert("L")


def scan(pdf: bytes, level: Damage, seed: int, pages: int | None = None) -> bytes:
    """The document printed and scanned at `level`: an image-only PDF of JPEG pages."""
    from PIL import Image

    images = []
    pictures = pdf_to_images(pdf, level.dpi, pages)
    for number, page in enumerate(pictures):
        rng = np.random.default_rng([seed, number])
        damaged = damage_page(page, level, rng, last=number == len(pictures) - 1)
        encoded = io.BytesIO()
        damaged.save(encoded, "JPEG", quality=level.quality)
        images.append(Image.open(io.BytesIO(encoded.getvalue())))
    out = io.BytesIO()
    first, *rest = images
    # JPEG pages embedded as they are (DCTDecode): the PDF holds what the scanner wrote.
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=level.dpi)
    return out.getvalue()


def _default_input() -> tuple[bytes, Path]:
    sys.path.insert(0, str(ROOT))
    from scripts import samples

    return samples.render_pdf(), GOLD


def bench(args: argparse.Namespace) -> int:
    from dean06.ingest import IngestError, extract
    from dean06.ingest.scoring import score

    if args.input:
        pdf, gold_path = to_pdf(Path(args.input)), Path(args.gold)
    else:
        pdf, gold_path = _default_input()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    command = "python scripts/scan_damage.py " + " ".join(sys.argv[1:])
    print(f"`{command}`\n")
    print(
        "| mức | dpi | JPEG | xoay ≤ | dấu đỏ + chữ ký | nhiệm vụ tìm thấy | chủ trì | phối hợp "
        "| thời hạn | thường xuyên | các trường | thời gian |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for number in args.levels:
        level = LEVELS[number]
        data = scan(pdf, level, args.seed, args.pages)
        start = time.perf_counter()
        try:
            plan = extract(data, filename=f"scan-{number}.pdf")
        except IngestError as exc:
            print(f"| {number} | lỗi: {exc} |")
            continue
        seconds = time.perf_counter() - start
        result = score(plan, gold)
        row = result.as_row()
        print(
            f"| {number} | {level.dpi} | {level.quality} | {level.rotation}° "
            f"| {'có' if level.stamp else 'không'} | {row['found']:.0%} | {row['lead']:.0%} "
            f"| {row['coordinating']:.0%} | {row['due_date']:.0%} | {row['recurring']:.0%} "
            f"| {row['fields']:.1%} | {seconds:.0f} s |"
        )
        if args.verbose:
            for line in result.errors + [f"missing {c}" for c in result.missing]:
                print(f"    {line}", file=sys.stderr)
    return 0


def timing(args: argparse.Namespace) -> int:
    """The reader's OCR time on the damaged pages against one plain tesseract pass over the same
    page images (`tesseract page.png out -l vie`), one after the other in this run."""
    from dean06.ingest.readers import ocr

    pdf, _ = _default_input() if not args.input else (to_pdf(Path(args.input)), None)
    data = scan(pdf, LEVELS[args.level], args.seed, args.pages)
    images = ocr.rasterise_pdf(data)
    tesseract = shutil.which("tesseract") or "tesseract"
    start = time.perf_counter()
    ocr.ocr_pages(images, tesseract=tesseract)
    reader = time.perf_counter() - start
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, image in enumerate(images):
            path = Path(tmp) / f"{i}.png"
            image.save(path, dpi=(ocr.DPI, ocr.DPI))
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            subprocess.run(
                [tesseract, str(path), str(path.with_suffix("")), "-l", "vie"],
                check=True,
                capture_output=True,
                env=env,
            )
        plain = time.perf_counter() - start
    print(
        f"{len(images)} trang, mức {args.level}: bộ đọc {reader:.1f} s, tesseract thuần "
        f"{plain:.1f} s, tỉ lệ {reader / plain:.2f}×"
    )
    return 0


def make(args: argparse.Namespace) -> int:
    data = scan(to_pdf(Path(args.input)), LEVELS[args.level], args.seed, args.pages)
    Path(args.output).write_bytes(data)
    print(f"Đã ghi {args.output} ({len(data) // 1024} KB, mức hư hại {args.level})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    one = sub.add_parser("make", help="write a damaged scan of a document")
    one.add_argument("input")
    one.add_argument("output")
    one.add_argument("--level", type=int, choices=range(len(LEVELS)), default=2)
    curve = sub.add_parser("bench", help="the accuracy curve over damage levels")
    curve.add_argument("input", nargs="?")
    curve.add_argument("gold", nargs="?")
    curve.add_argument("--levels", type=int, nargs="+", default=list(range(len(LEVELS))))
    curve.add_argument("-v", "--verbose", action="store_true", help="list wrong fields (stderr)")
    clock = sub.add_parser("timing", help="reader OCR time against a plain tesseract pass")
    clock.add_argument("input", nargs="?")
    clock.add_argument("--level", type=int, choices=range(len(LEVELS)), default=2)
    for p in (one, curve, clock):
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--pages", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    return {"make": make, "bench": bench, "timing": timing}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
