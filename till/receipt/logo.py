"""The store's logo for the top of the receipt: a PNG made 1-bit and no wider than the paper.

Thermal printers print dots, not greys: the image is flattened onto white, scaled down to fit the
paper's printable width (never up) and Floyd–Steinberg dithered to black and white once, then kept
in memory, so a sale does not re-read the file. Pillow comes with python-escpos.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

# Printable dots per line at 203 dpi (8 dots/mm): 48 mm of 58 mm paper, 72 mm of 80 mm paper.
PAPER_DOTS = {58: 384, 80: 576}
MAX_LOGO_DOTS_HIGH = 240  # 30 mm: a logo, not a poster (and every receipt's bytes are kept)


class LogoError(ValueError):
    """The configured logo cannot be printed; the message names the file and the problem."""


def paper_dots(paper_mm: int) -> int:
    try:
        return PAPER_DOTS[paper_mm]
    except KeyError:
        raise LogoError(f"paper width is 58 or 80 mm, not {paper_mm}") from None


def load_logo(path: str | Path, max_width: int) -> Image.Image:
    """The logo as a 1-bit image at most `max_width` dots wide; LogoError if it cannot be read."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise LogoError(f"receipt logo {path}: {exc.strerror or exc}") from None
    return _prepared(str(path), mtime, max_width)


@functools.lru_cache(maxsize=4)
def _prepared(path: str, mtime_ns: int, max_width: int) -> Image.Image:  # mtime: a new file reloads
    try:
        with Image.open(path) as source:
            rgba = source.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        raise LogoError(f"receipt logo {path} is not an image Pillow can read ({exc})") from None
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))  # transparent means paper, not black
    grey = flat.convert("L")
    w, h = grey.size
    if w > max_width or h > MAX_LOGO_DOTS_HIGH:  # shrink by the tighter bound, keeping the shape
        num, den = (max_width, w) if max_width * h <= MAX_LOGO_DOTS_HIGH * w else (MAX_LOGO_DOTS_HIGH, h)
        grey = grey.resize((max(1, w * num // den), max(1, h * num // den)), Image.Resampling.LANCZOS)
    return grey.convert("1", dither=Image.Dither.FLOYDSTEINBERG)


def try_load_logo(path: str | Path, max_width: int) -> Image.Image | None:
    """For rendering: a broken logo leaves it off the receipt (said in the log), never the sale."""
    try:
        return load_logo(path, max_width)
    except LogoError as exc:
        log.warning("%s — printing receipts without it", exc)
        return None
