"""Data shipped with Mostrador: styles, translations, icons, receipt templates."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
STYLES_DIR = RESOURCES_DIR / "styles"
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
