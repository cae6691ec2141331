"""The store's logo, prepared for a receipt printer.

A logo must never cost a sale its receipt: :meth:`ReceiptLogo.image` returns ``None`` (and
logs one warning) when the file is missing, unreadable or not an image, and the receipt prints
without it. The prepared image is cached and read again only when the file changes (size or
modification time), so a store can replace its logo without restarting the register.

Preparation: transparency is flattened onto white; the picture is scaled down (never up) to
the paper's printable width (12 dots per column: 576 dots for 48 columns on 80 mm paper, 384
for 32 columns on 58 mm) and to at most :data:`MAX_LOGO_HEIGHT_DOTS`; then it is centred by
padding it with white to the full width. python-escpos turns it into black and white (with
dithering) when it sends it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from hardware.printers.rendering import DOTS_PER_COLUMN

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

__all__ = ["MAX_LOGO_HEIGHT_DOTS", "ReceiptLogo", "prepare_logo"]

logger = logging.getLogger(__name__)

#: About 30 mm at 203 dpi: a logo, not a poster (every millimetre of it is paid in paper).
MAX_LOGO_HEIGHT_DOTS = 240


def prepare_logo(
    picture: PilImage, *, width_dots: int, max_height_dots: int = MAX_LOGO_HEIGHT_DOTS
) -> PilImage:
    """Return ``picture`` flattened onto white, scaled to fit and centred in ``width_dots``.

    The result is a greyscale ("L") image exactly ``width_dots`` wide.
    """
    from PIL import Image, ImageOps

    picture = ImageOps.exif_transpose(picture) or picture
    rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    grey = flat.convert("L")
    if grey.width > width_dots or grey.height > max_height_dots:
        grey.thumbnail((width_dots, max_height_dots), Image.Resampling.LANCZOS)
    canvas = Image.new("L", (width_dots, max(grey.height, 1)), 255)
    canvas.paste(grey, ((width_dots - grey.width) // 2, 0))
    return canvas


class ReceiptLogo:
    """A logo file, loaded lazily and kept until the file changes. Thread-safe."""

    def __init__(self, path: str | os.PathLike[str], *, width: int) -> None:
        self.path = Path(path)
        self.width_dots = width * DOTS_PER_COLUMN
        self._lock = threading.Lock()
        self._key: tuple[int, int] | str | None = None
        self._image: PilImage | None = None

    def image(self) -> PilImage | None:
        """The prepared logo, or ``None`` (with a warning, once per change) when unusable."""
        with self._lock:
            try:
                info = self.path.stat()
            except OSError as exc:
                self._fail(f"missing:{exc.errno}", exc.strerror or str(exc))
                return None
            key = (info.st_mtime_ns, info.st_size)
            if key == self._key:
                return self._image
            try:
                from PIL import Image

                with Image.open(self.path) as picture:
                    picture.load()
                    prepared = prepare_logo(picture, width_dots=self.width_dots)
            except Exception as exc:  # PIL raises many kinds; a logo never fails a receipt
                self._fail(key, str(exc) or type(exc).__name__)
                return None
            self._key, self._image = key, prepared
            logger.debug("Logo %s prepared: %dx%d dots", self.path, prepared.width, prepared.height)
            return prepared

    def _fail(self, key: tuple[int, int] | str, reason: str) -> None:
        if key != self._key:
            logger.warning(
                "Receipt logo %s cannot be used (%s); printing receipts without it",
                self.path,
                reason,
            )
        self._key, self._image = key, None

    def __repr__(self) -> str:
        return f"ReceiptLogo({str(self.path)!r})"
