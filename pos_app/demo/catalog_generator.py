"""Deterministic generator of a realistic Spanish shop catalog.

The generator produces a supermarket-style catalog (groceries, drinks, fresh
counters, household, hygiene, stationery, ...) with Spanish product names,
Spanish VAT (IVA) classes, integer prices in cents and valid, globally unique
barcodes.  It is meant for the demo database (a few thousand products), for
tests and for benchmarks (up to a million products and more).

Guarantees:

* Deterministic: the same ``n_products`` and ``seed`` always give the same rows.
* Prefix-stable: row ``k`` depends only on ``k`` and ``seed``, never on
  ``n_products``, so a small catalog is a prefix of a larger one.
* The first rows are a fixed "showcase" (the products vary with the seed, the
  kinds do not) so that even a 30-product demo shows every IVA class, weighed
  and price-embedded items, an UPC-A code, second barcodes and accented names.
* Barcodes are derived from the row index through bijective scrambles, so they
  stay unique without remembering the ones already issued.

Pure Python; the only dependency is python-stdnum (EAN check digits).
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Final, Literal

from stdnum.ean import calc_check_digit

__all__ = [
    "CATEGORIES",
    "MAX_ITEM_CODE",
    "MAX_PRODUCTS",
    "PRICE_PREFIX",
    "TAX_CLASSES",
    "WEIGHT_PREFIX",
    "CategoryRow",
    "ProductRow",
    "TaxClassRow",
    "generate_catalog",
    "variable_measure_key",
]


# ---------------------------------------------------------------------------
# Public rows
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxClassRow:
    """A Spanish VAT (IVA) class."""

    code: str
    name: str
    rate: Decimal
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class CategoryRow:
    """A shop department."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductRow:
    """One catalog product.

    ``price_cents`` is the tax-included unit price.  For ``measure == "weight"``
    it is the price per kilogram.  For ``measure == "price"`` (labels printed
    by a back-office scale with the amount embedded in the barcode) it is the
    reference price per kilogram the scale used; the sale takes the amount
    from the label.
    """

    sku: str
    name: str
    category: str
    tax_class: str
    price_cents: int
    barcodes: tuple[str, ...]
    measure: str


TAX_CLASSES: Final[tuple[TaxClassRow, ...]] = (
    # 21 % and 10 % since Real Decreto-ley 20/2012 (in force 1 September 2012).
    TaxClassRow("IVA21", "IVA general 21 %", Decimal("21"), date(2012, 9, 1), None),
    TaxClassRow("IVA10", "IVA reducido 10 %", Decimal("10"), date(2012, 9, 1), None),
    # The super-reduced 4 % rate exists since 1995.
    TaxClassRow("IVA4", "IVA superreducido 4 %", Decimal("4"), date(1995, 1, 1), None),
    # Operations outside the tax (gift cards, donations): IVA has existed since 1986.
    TaxClassRow("IVA0", "IVA 0 % (exento o no sujeto)", Decimal("0"), date(1986, 1, 1), None),
)

CATEGORIES: Final[tuple[CategoryRow, ...]] = (
    CategoryRow("ALIM", "Alimentación"),
    CategoryRow("BEB", "Bebidas"),
    CategoryRow("LACT", "Lácteos y huevos"),
    CategoryRow("FRUT", "Frutería"),
    CategoryRow("CARN", "Carnicería"),
    CategoryRow("PESC", "Pescadería"),
    CategoryRow("CHAR", "Charcutería y quesos"),
    CategoryRow("PAN", "Panadería"),
    CategoryRow("CONG", "Congelados"),
    CategoryRow("DROG", "Droguería"),
    CategoryRow("HIG", "Higiene"),
    CategoryRow("PAP", "Papelería"),
    CategoryRow("MASC", "Mascotas"),
    CategoryRow("BAZ", "Bazar"),
    CategoryRow("VAR", "Varios"),
)

WEIGHT_PREFIX: Final = "21"
PRICE_PREFIX: Final = "26"

#: Variable-measure item codes are 5 digits; 0 is never issued.
MAX_ITEM_CODE: Final = 99_999
#: SKUs are "P" + 7 digits, so they sort as strings up to this many products.
MAX_PRODUCTS: Final = 9_999_999

Measure = Literal["unit", "weight", "price"]

_MIN_PRICE_CENTS: Final = 35
_MAX_PRICE_CENTS: Final = 5_999

_WEIGHT_SHARE: Final = 0.02  # weighed products, price per kg
_PRICE_SHARE: Final = 0.005  # price-embedded labels
_UPC_SHARE: Final = 0.02  # ordinary products coded with a UPC-A instead of an EAN-13
_SECOND_BARCODE_SHARE: Final = 0.05  # ordinary products with a second barcode
_OWN_BRANDS: Final[tuple[tuple[str, int], ...]] = (
    # The demo shop's own labels, with their price factor in per mille.
    ("Mostrador", 850),
    ("Selección Mostrador", 1050),
)


def variable_measure_key(prefix: str, item_code: int) -> str:
    """Return the EAN-13 key of a variable-measure item.

    The key is ``prefix`` (2 digits, GS1 restricted range 20-29) + the item
    code (5 digits) + a zero value field ("00000") + the check digit.  Scanned
    labels carry the weight or price in the value field; the catalog stores
    the key with the value zeroed.
    """
    if len(prefix) != 2 or not prefix.isascii() or not prefix.isdigit() or prefix[0] != "2":
        raise ValueError(f"variable-measure prefix must be two digits 20-29, got {prefix!r}")
    if isinstance(item_code, bool) or not 0 <= item_code <= MAX_ITEM_CODE:
        raise ValueError(f"item code must be in 0..{MAX_ITEM_CODE}, got {item_code!r}")
    body = f"{prefix}{item_code:05d}00000"
    return body + calc_check_digit(body)


# ---------------------------------------------------------------------------
# Product templates
# ---------------------------------------------------------------------------

# (label appended to the name, price factor in per mille of the base price)
_Size = tuple[str, int]

_NO_SIZE: Final[tuple[_Size, ...]] = (("", 1000),)
_NONE: Final[tuple[str, ...]] = ("",)


@dataclass(frozen=True, slots=True)
class _Template:
    base: str
    category: str
    tax_class: str
    measure: Measure
    price_cents: int  # for the first size (or per kg)
    variants: tuple[str, ...]
    brands: tuple[str, ...]
    sizes: tuple[_Size, ...]
    fixed_price: bool = False  # exact face value: no jitter, no .x9 rounding


def _u(
    base: str,
    category: str,
    tax_class: str,
    price_cents: int,
    variants: tuple[str, ...],
    brands: tuple[str, ...],
    sizes: tuple[_Size, ...],
    *,
    fixed_price: bool = False,
) -> _Template:
    return _Template(
        base, category, tax_class, "unit", price_cents, variants, brands, sizes, fixed_price
    )


def _w(base: str, category: str, tax_class: str, price_per_kg: int, *variants: str) -> _Template:
    return _Template(
        base, category, tax_class, "weight", price_per_kg, variants or _NONE, _NONE, _NO_SIZE
    )


def _p(base: str, category: str, tax_class: str, price_per_kg: int, *variants: str) -> _Template:
    return _Template(
        base, category, tax_class, "price", price_per_kg, variants or _NONE, _NONE, _NO_SIZE
    )


_G250: Final[tuple[_Size, ...]] = (("250 g", 1000), ("500 g", 1900))
_G500: Final[tuple[_Size, ...]] = (("500 g", 1000), ("1 kg", 1850))
_KG1: Final[tuple[_Size, ...]] = (("1 kg", 1000), ("500 g", 580))
_CAN: Final[tuple[_Size, ...]] = (
    ("lata 33 cl", 1000),
    ("pack 6 x 33 cl", 5000),
    ("botella 2 l", 2400),
    ("botella 1,5 l", 1900),
)
_BEER: Final[tuple[_Size, ...]] = (
    ("lata 33 cl", 1000),
    ("pack 6 x 33 cl", 5200),
    ("pack 12 x 33 cl", 9600),
    ("botella 1 l", 2300),
    ("pack 6 x 25 cl", 4300),
)
_BOTTLE: Final[tuple[_Size, ...]] = (("75 cl", 1000), ("caja 3 x 75 cl", 2850))
_SPIRIT: Final[tuple[_Size, ...]] = (("70 cl", 1000), ("1 l", 1350))
_UNIT: Final[tuple[_Size, ...]] = (("unidad", 1000),)

_COFFEE: Final = ("Marcilla", "Saimaza", "Bonka", "La Estrella", "Catunambú", "Baqué")
_OIL: Final = ("Carbonell", "La Española", "Coosur", "Borges", "Ybarra", "Hojiblanca")
_LEGUMES: Final = ("Luengo", "La Asturiana", "Legumbres Pedro", "El Hostal")
_PASTA: Final = ("Gallo", "Barilla", "Garofalo", "El Pavo", "La Molisana")
_CANS: Final = ("Calvo", "Isabel", "Albo", "Cuca", "Ortiz", "Ramón Peña")
_VEG_CANS: Final = ("Cidacos", "Carretilla", "El Navarrico", "Gvtarra")
_COLA: Final = ("Coca-Cola", "Pepsi", "Spar")
_SOFT: Final = ("Fanta", "Kas", "Schweppes", "Trina")
_BEERS: Final = (
    "Mahou",
    "Estrella Galicia",
    "San Miguel",
    "Alhambra",
    "Estrella Damm",
    "Cruzcampo",
    "Ámbar",
)
_MILK: Final = ("Central Lechera Asturiana", "Pascual", "Puleva", "Kaiku", "Lauki", "Celta")
_DAIRY: Final = ("Danone", "Pascual", "Clesa", "Kaiku", "Reina", "Central Lechera Asturiana")
_CHEESE: Final = ("García Baquero", "El Ventero", "Dehesa de los Llanos", "El Caserío")
_DELI: Final = ("Campofrío", "ElPozo", "Navidul", "Argal", "Casa Tarradellas", "Espuña")
_SAUSAGE: Final = ("Revilla", "Palacios", "ElPozo", "Espuña", "Casa Tarradellas")
_FROZEN: Final = ("Findus", "Pescanova", "La Cocinera", "Frudesa", "Bonduelle")
_LAUNDRY: Final = ("Ariel", "Skip", "Dixan", "Wipp Express", "Colón", "Micolor")
_CLEAN: Final = ("KH-7", "Don Limpio", "Sanytol", "Cillit Bang", "Bref", "Estrella")
_PAPER: Final = ("Scottex", "Renova", "Colhogar", "Foxy")
_BODY: Final = ("Sanex", "Moussel", "Dove", "Nivea", "Palmolive", "La Toja")
_HAIR: Final = ("H&S", "Pantene", "Elvive", "Herbal Essences", "Fructis", "Johnson's")
_TEETH: Final = ("Colgate", "Signal", "Licor del Polo", "Sensodyne", "Oral-B")
_SCHOOL: Final = ("Oxford", "Miquelrius", "Lamela", "Pacsa", "Unipapel")
_PENS: Final = ("BIC", "Pilot", "Stabilo", "Staedtler", "Milan", "Faber-Castell")

_UNIT_TEMPLATES: Final[tuple[_Template, ...]] = (
    # --- Alimentación -------------------------------------------------------
    _u(
        "Café molido",
        "ALIM",
        "IVA10",
        349,
        ("natural", "mezcla 50/50", "descafeinado", "natural ecológico", "extrafuerte"),
        _COFFEE,
        _G250,
    ),
    _u(
        "Café en grano",
        "ALIM",
        "IVA10",
        749,
        ("natural", "mezcla", "100 % arábica", "descafeinado"),
        _COFFEE,
        (("500 g", 1000), ("1 kg", 1850)),
    ),
    _u(
        "Café en cápsulas",
        "ALIM",
        "IVA10",
        339,
        ("intenso", "descafeinado", "espresso", "cortado", "ristretto"),
        ("Marcilla", "L'Or", "Saimaza", "Bonka"),
        (("10 uds", 1000), ("20 uds", 1900)),
    ),
    _u(
        "Café soluble",
        "ALIM",
        "IVA10",
        449,
        ("natural", "descafeinado", "mezcla"),
        ("Nescafé", "Marcilla", "Saimaza"),
        (("100 g", 1000), ("200 g", 1850)),
    ),
    _u(
        "Azúcar",
        "ALIM",
        "IVA10",
        125,
        ("blanco", "moreno de caña", "glas", "blanco en terrones", "moreno integral"),
        ("Azucarera", "Acor", "La Perla", "Ebro"),
        _KG1,
    ),
    _u(
        "Aceite de oliva virgen extra",
        "ALIM",
        "IVA4",
        899,
        ("", "arbequina", "hojiblanca", "picual", "ecológico", "cornicabra"),
        _OIL,
        (("1 l", 1000), ("750 ml", 820), ("5 l", 4700), ("500 ml", 560)),
    ),
    _u(
        "Aceite de oliva suave",
        "ALIM",
        "IVA4",
        749,
        ("0,4º", "intenso 1º"),
        ("Carbonell", "Koipe", "La Española", "Coosur"),
        (("1 l", 1000), ("5 l", 4700)),
    ),
    _u(
        "Aceite de girasol",
        "ALIM",
        "IVA10",
        199,
        ("", "alto oleico"),
        ("Koipesol", "Coosur", "Ybarra", "La Masía"),
        (("1 l", 1000), ("5 l", 4600)),
    ),
    _u(
        "Arroz",
        "ALIM",
        "IVA4",
        165,
        ("redondo", "largo", "bomba", "integral", "vaporizado", "basmati", "de Calasparra"),
        ("SOS", "La Fallera", "Brillante", "Nomen", "Dacsa"),
        _KG1,
    ),
    _u(
        "Garbanzos",
        "ALIM",
        "IVA4",
        179,
        ("", "lechosos", "pedrosillanos", "castellanos", "de Fuentesaúco"),
        _LEGUMES,
        _G500,
    ),
    _u(
        "Lentejas",
        "ALIM",
        "IVA4",
        169,
        ("pardinas", "castellanas", "rojas peladas", "beluga", "verdinas"),
        _LEGUMES,
        _G500,
    ),
    _u(
        "Alubias",
        "ALIM",
        "IVA4",
        219,
        ("blancas", "pintas", "rojas", "de Tolosa", "canela"),
        _LEGUMES,
        _G500,
    ),
    _u(
        "Harina de trigo",
        "ALIM",
        "IVA4",
        109,
        ("", "de fuerza", "integral", "de repostería"),
        ("Gallo", "Harinera Vilafranquina", "Santa Rita", "La Tahona"),
        _KG1,
    ),
    _u(
        "Macarrones",
        "ALIM",
        "IVA10",
        119,
        ("", "integrales", "sin gluten", "rayados"),
        _PASTA,
        _G500,
    ),
    _u(
        "Espaguetis", "ALIM", "IVA10", 119, ("", "integrales", "n.º 5", "sin gluten"), _PASTA, _G500
    ),
    _u(
        "Fideos",
        "ALIM",
        "IVA10",
        109,
        ("finos", "gruesos", "cabello de ángel", "para fideuá"),
        _PASTA,
        _G500,
    ),
    _u(
        "Tomate frito",
        "ALIM",
        "IVA10",
        119,
        ("", "casero", "con aceite de oliva", "sin azúcar añadido"),
        ("Orlando", "Solís", "Apis", "Hida"),
        (("400 g", 1000), ("800 g", 1700), ("pack 3 x 400 g", 2650)),
    ),
    _u(
        "Tomate triturado",
        "ALIM",
        "IVA10",
        129,
        ("natural", "en trozos", "pelado"),
        ("Orlando", "Cidacos", "Carretilla", "Apis"),
        (("800 g", 1000), ("400 g", 600)),
    ),
    _u(
        "Atún en aceite de oliva",
        "ALIM",
        "IVA10",
        459,
        ("", "claro", "bajo en sal"),
        _CANS,
        (("pack 3 x 80 g", 1000), ("pack 6 x 80 g", 1850)),
    ),
    _u(
        "Bonito del norte",
        "ALIM",
        "IVA10",
        899,
        ("en aceite de oliva", "en escabeche", "al natural"),
        ("Ortiz", "Serrats", "Albo"),
        (("250 g", 1000), ("112 g", 520)),
    ),
    _u(
        "Sardinas",
        "ALIM",
        "IVA10",
        249,
        ("en aceite de oliva", "picantes", "en tomate"),
        _CANS,
        (("120 g", 1000),),
    ),
    _u(
        "Mejillones",
        "ALIM",
        "IVA10",
        229,
        ("en escabeche", "gigantes en escabeche", "al natural"),
        _CANS,
        (("115 g", 1000), ("pack 3 x 69 g", 1900)),
    ),
    _u(
        "Mayonesa",
        "ALIM",
        "IVA10",
        279,
        ("", "ligera", "con aceite de oliva"),
        ("Hellmann's", "Ybarra", "Musa"),
        (("450 ml", 1000), ("225 ml", 600)),
    ),
    _u(
        "Kétchup",
        "ALIM",
        "IVA10",
        239,
        ("", "sin azúcar añadido"),
        ("Heinz", "Orlando", "Hellmann's"),
        (("570 g", 1000), ("300 g", 650)),
    ),
    _u(
        "Salsa barbacoa",
        "ALIM",
        "IVA10",
        299,
        ("", "ahumada", "con miel"),
        ("Heinz", "Hunt's", "Kraft"),
        (("480 g", 1000),),
    ),
    _u(
        "Crema de cacahuete",
        "ALIM",
        "IVA10",
        399,
        ("cremosa", "crujiente"),
        ("Skippy", "Jif", "Capitán Maní"),
        (("340 g", 1000),),
    ),
    _u(
        "Galletas María",
        "ALIM",
        "IVA10",
        219,
        ("", "doradas", "integrales", "sin azúcares añadidos"),
        ("Cuétara", "Fontaneda", "Gullón", "Artiach"),
        (("800 g", 1000), ("400 g", 560)),
    ),
    _u(
        "Galletas con chocolate",
        "ALIM",
        "IVA10",
        229,
        ("", "rellenas", "con trocitos", "bañadas"),
        ("Príncipe", "Chips Ahoy", "Tosta Rica", "Dinosaurus"),
        (("300 g", 1000),),
    ),
    _u(
        "Cacao soluble",
        "ALIM",
        "IVA10",
        479,
        ("", "0 % azúcares añadidos", "a la taza"),
        ("ColaCao", "Nesquik", "Valor"),
        (("760 g", 1000), ("390 g", 560), ("1,2 kg", 1450)),
    ),
    _u(
        "Chocolate con leche",
        "ALIM",
        "IVA10",
        149,
        ("", "con almendras", "extrafino", "con avellanas"),
        ("Valor", "Nestlé", "Lindt", "Milka", "Trapa"),
        (("100 g", 1000), ("200 g", 1850)),
    ),
    _u(
        "Chocolate negro",
        "ALIM",
        "IVA10",
        189,
        ("70 % cacao", "85 % cacao", "con almendras", "a la taza"),
        ("Valor", "Lindt", "Nestlé", "Trapa"),
        (("100 g", 1000), ("200 g", 1850)),
    ),
    _u(
        "Mermelada",
        "ALIM",
        "IVA10",
        219,
        ("de fresa", "de melocotón", "de naranja amarga", "de frambuesa", "de higo"),
        ("Hero", "La Vieja Fábrica", "Helios"),
        (("340 g", 1000),),
    ),
    _u(
        "Miel",
        "ALIM",
        "IVA10",
        499,
        ("de azahar", "de romero", "de mil flores", "de brezo", "de eucalipto"),
        ("Granja San Francisco", "Mielso", "La Abeja Reina"),
        (("500 g", 1000), ("1 kg", 1900)),
    ),
    _u(
        "Sal",
        "ALIM",
        "IVA10",
        49,
        ("fina", "gorda", "marina en escamas", "yodada"),
        ("Costa", "Maldon", "Salinas del Odiel"),
        (("1 kg", 1000),),
    ),
    _u(
        "Caldo",
        "ALIM",
        "IVA10",
        229,
        ("de pollo", "de verduras", "de pescado", "de cocido"),
        ("Gallina Blanca", "Aneto", "Knorr"),
        (("1 l", 1000),),
    ),
    _u(
        "Pastillas de caldo",
        "ALIM",
        "IVA10",
        149,
        ("de pollo", "de carne", "de pescado"),
        ("Avecrem", "Knorr"),
        (("10 uds", 1000), ("24 uds", 2100)),
    ),
    _u(
        "Aceitunas",
        "ALIM",
        "IVA10",
        119,
        ("manzanilla rellenas de anchoa", "gordal", "negras sin hueso", "aliñadas", "con hueso"),
        ("La Española", "Jolca", "Serpis", "Fragata"),
        (("150 g", 1000), ("pack 3 x 120 g", 2300)),
    ),
    _u(
        "Patatas fritas",
        "ALIM",
        "IVA10",
        189,
        ("clásicas", "onduladas", "al punto de sal", "con aceite de oliva", "sabor jamón"),
        ("Lay's", "Bonilla a la Vista", "San Nicasio", "Torres"),
        (("150 g", 1000), ("300 g", 1800)),
    ),
    _u(
        "Almendras",
        "ALIM",
        "IVA10",
        349,
        ("marcona fritas con sal", "tostadas", "crudas", "laminadas"),
        ("Borges", "Frit Ravich", "Grefusa"),
        (("200 g", 1000),),
    ),
    _u(
        "Pipas de girasol",
        "ALIM",
        "IVA10",
        99,
        ("con sal", "sin sal", "tostadas", "aguasal"),
        ("Grefusa", "Facundo", "Churruca"),
        (("160 g", 1000),),
    ),
    _u(
        "Pimentón de la Vera",
        "ALIM",
        "IVA10",
        199,
        ("dulce", "picante", "agridulce"),
        ("La Chinata", "El Avión", "Carmencita"),
        (("75 g", 1000),),
    ),
    _u(
        "Azafrán en hebras",
        "ALIM",
        "IVA10",
        399,
        ("", "de La Mancha"),
        ("Carmencita", "Verdú"),
        (("0,5 g", 1000), ("1 g", 1800)),
    ),
    _u(
        "Turrón",
        "ALIM",
        "IVA10",
        399,
        ("de Jijona", "de Alicante", "de yema tostada", "de chocolate crujiente"),
        ("El Almendro", "Delaviuda", "1880", "Antiu Xixona"),
        (("250 g", 1000), ("300 g", 1150)),
    ),
    _u(
        "Piñones pelados",
        "ALIM",
        "IVA10",
        699,
        ("", "tostados"),
        ("Borges", "Frit Ravich"),
        (("100 g", 1000),),
    ),
    _u(
        "Cereales de desayuno",
        "ALIM",
        "IVA10",
        279,
        ("copos de maíz", "con chocolate", "integrales con miel", "muesli con frutas"),
        ("Kellogg's", "Nestlé", "Special K"),
        (("375 g", 1000), ("500 g", 1300)),
    ),
    _u(
        "Copos de avena",
        "ALIM",
        "IVA10",
        179,
        ("finos", "integrales", "sin gluten"),
        ("Quaker", "Santiveri", "Gerblé"),
        (("500 g", 1000),),
    ),
    _u(
        "Infusión",
        "ALIM",
        "IVA10",
        169,
        ("de manzanilla", "de poleo menta", "de tila", "rooibos", "de jengibre y limón"),
        ("Hornimans", "Pompadour", "Twinings"),
        (("20 bolsitas", 1000),),
    ),
    _u(
        "Té",
        "ALIM",
        "IVA10",
        199,
        ("verde", "negro English Breakfast", "rojo", "chai"),
        ("Hornimans", "Lipton", "Twinings"),
        (("20 bolsitas", 1000),),
    ),
    _u(
        "Gazpacho",
        "ALIM",
        "IVA10",
        299,
        ("tradicional", "andaluz", "suave", "de sandía"),
        ("Alvalle", "Don Simón", "García Millán"),
        (("1 l", 1000), ("330 ml", 450)),
    ),
    _u(
        "Salmorejo cordobés",
        "ALIM",
        "IVA10",
        329,
        ("", "con jamón"),
        ("Alvalle", "García Millán"),
        (("1 l", 1000),),
    ),
    _u(
        "Garbanzos cocidos",
        "ALIM",
        "IVA10",
        99,
        ("", "ecológicos", "con espinacas"),
        ("Luengo", "Cidacos", "Helios"),
        (("400 g", 1000),),
    ),
    _u(
        "Pan rallado",
        "ALIM",
        "IVA10",
        99,
        ("", "con ajo y perejil"),
        ("Gallo", "Ibsa"),
        (("500 g", 1000),),
    ),
    _u(
        "Vinagre",
        "ALIM",
        "IVA10",
        189,
        ("de Jerez", "de vino blanco", "de manzana", "de Módena"),
        ("Borges", "Columela", "Ybarra"),
        (("500 ml", 1000), ("1 l", 1700)),
    ),
    _u(
        "Leche condensada",
        "ALIM",
        "IVA10",
        209,
        ("", "desnatada"),
        ("La Lechera", "Central Lechera Asturiana"),
        (("370 g", 1000), ("740 g", 1800)),
    ),
    _u(
        "Espárragos blancos",
        "ALIM",
        "IVA10",
        349,
        ("gruesos", "medianos", "de Navarra"),
        _VEG_CANS,
        (("250 g", 1000),),
    ),
    _u(
        "Pimientos del piquillo",
        "ALIM",
        "IVA10",
        289,
        ("", "de Lodosa", "asados a la leña"),
        _VEG_CANS,
        (("290 g", 1000),),
    ),
    _u(
        "Alcachofas en conserva",
        "ALIM",
        "IVA10",
        329,
        ("corazones", "enteras"),
        _VEG_CANS,
        (("390 g", 1000),),
    ),
    # --- Bebidas ------------------------------------------------------------
    _u(
        "Agua mineral natural",
        "BEB",
        "IVA10",
        55,
        ("",),
        ("Font Vella", "Lanjarón", "Bezoya", "Solán de Cabras", "Fuente Liviana", "Aquarel"),
        (("1,5 l", 1000), ("50 cl", 700), ("pack 6 x 1,5 l", 5200), ("5 l", 2300)),
    ),
    _u(
        "Agua con gas",
        "BEB",
        "IVA10",
        99,
        ("", "natural"),
        ("Vichy Catalán", "Font d'Or", "San Pellegrino"),
        (("1 l", 1000), ("50 cl", 700), ("pack 6 x 50 cl", 3800)),
    ),
    _u(
        "Zumo",
        "BEB",
        "IVA10",
        159,
        ("de naranja", "de piña", "de melocotón", "de manzana", "multifrutas", "de uva"),
        ("Don Simón", "Granini", "Zumosol", "Juver"),
        (("1 l", 1000), ("pack 3 x 200 ml", 800)),
    ),
    _u(
        "Zumo de naranja exprimido",
        "BEB",
        "IVA10",
        259,
        ("sin pulpa", "con pulpa"),
        ("Don Simón", "Alvalle", "García Carrión"),
        (("1 l", 1000),),
    ),
    _u(
        "Néctar",
        "BEB",
        "IVA21",
        149,
        ("de melocotón", "de piña", "de pera", "de albaricoque"),
        ("Granini", "Don Simón", "Juver"),
        (("1 l", 1000),),
    ),
    _u(
        "Refresco de cola",
        "BEB",
        "IVA21",
        85,
        ("", "zero", "light", "zero sin cafeína"),
        _COLA,
        _CAN,
    ),
    _u("Refresco de limón", "BEB", "IVA21", 75, ("", "sin azúcar", "con gas"), _SOFT, _CAN),
    _u("Refresco de naranja", "BEB", "IVA21", 75, ("", "sin azúcar", "sin gas"), _SOFT, _CAN),
    _u(
        "Gaseosa",
        "BEB",
        "IVA21",
        89,
        ("", "de limón"),
        ("La Casera", "Sifón Vichy"),
        (("1,5 l", 1000),),
    ),
    _u(
        "Tónica",
        "BEB",
        "IVA21",
        199,
        ("", "zero", "de pomelo"),
        ("Schweppes", "Fever-Tree", "Nordic Mist"),
        (("pack 4 x 20 cl", 1000), ("1 l", 900)),
    ),
    _u(
        "Bebida isotónica",
        "BEB",
        "IVA21",
        189,
        ("de limón", "de naranja", "de mandarina"),
        ("Aquarius", "Isostar", "Powerade"),
        (("1,5 l", 1000), ("lata 33 cl", 550)),
    ),
    _u(
        "Bebida de avena",
        "BEB",
        "IVA10",
        199,
        ("", "sin azúcar", "con calcio", "barista"),
        ("Alpro", "Oatly", "Liquats Vegetals"),
        (("1 l", 1000),),
    ),
    _u(
        "Bebida de soja",
        "BEB",
        "IVA10",
        179,
        ("", "sin azúcar", "con calcio"),
        ("Vivesoy", "Alpro", "Liquats Vegetals"),
        (("1 l", 1000),),
    ),
    _u(
        "Cerveza",
        "BEB",
        "IVA21",
        79,
        ("lager", "especial", "sin alcohol", "tostada", "0,0", "de abadía"),
        _BEERS,
        _BEER,
    ),
    _u(
        "Vino tinto",
        "BEB",
        "IVA21",
        699,
        (
            "Rioja crianza",
            "Ribera del Duero roble",
            "Rioja joven",
            "Toro",
            "Rioja reserva",
            "Bierzo mencía",
        ),
        ("Marqués de Cáceres", "Campo Viejo", "Ramón Bilbao", "Protos", "Viña Pomal"),
        _BOTTLE,
    ),
    _u(
        "Vino blanco",
        "BEB",
        "IVA21",
        649,
        ("Rueda verdejo", "Rías Baixas albariño", "Penedès", "Ribeiro"),
        ("Marqués de Riscal", "José Pariente", "Martín Códax", "Viña Sol"),
        _BOTTLE,
    ),
    _u(
        "Vino rosado",
        "BEB",
        "IVA21",
        499,
        ("Navarra", "Cigales", "Rioja"),
        ("Gran Feudo", "Chivite", "Marqués de Cáceres"),
        _BOTTLE,
    ),
    _u(
        "Cava",
        "BEB",
        "IVA21",
        599,
        ("brut nature", "brut", "semiseco", "rosado"),
        ("Freixenet", "Codorníu", "Juvé & Camps", "Anna de Codorníu"),
        _BOTTLE,
    ),
    _u(
        "Sidra natural",
        "BEB",
        "IVA21",
        299,
        ("", "espumosa"),
        ("El Gaitero", "Trabanco", "Mayador"),
        (("70 cl", 1000),),
    ),
    _u(
        "Vermut rojo",
        "BEB",
        "IVA21",
        899,
        ("", "reserva"),
        ("Martini", "Yzaguirre", "Lacuesta"),
        (("1 l", 1000),),
    ),
    _u(
        "Ginebra",
        "BEB",
        "IVA21",
        1499,
        ("", "premium", "de fresa"),
        ("Larios", "Puerto de Indias", "Nordés", "Beefeater"),
        _SPIRIT,
    ),
    _u(
        "Brandy de Jerez",
        "BEB",
        "IVA21",
        1099,
        ("solera", "solera reserva"),
        ("Veterano", "Soberano", "Magno", "Carlos I"),
        _SPIRIT,
    ),
    _u(
        "Whisky",
        "BEB",
        "IVA21",
        1399,
        ("blended", "bourbon", "de malta"),
        ("J&B", "Ballantine's", "Jim Beam", "DYC"),
        _SPIRIT,
    ),
    _u(
        "Pacharán navarro",
        "BEB",
        "IVA21",
        1299,
        ("",),
        ("Zoco", "Basarana", "Etxeko"),
        (("1 l", 1000),),
    ),
    # --- Lácteos y huevos ---------------------------------------------------
    _u(
        "Leche",
        "LACT",
        "IVA4",
        105,
        (
            "entera",
            "semidesnatada",
            "desnatada",
            "sin lactosa",
            "semidesnatada sin lactosa",
            "de pastoreo",
        ),
        _MILK,
        (("1 l", 1000), ("pack 6 x 1 l", 5700), ("1,5 l", 1450)),
    ),
    _u(
        "Huevos frescos",
        "LACT",
        "IVA4",
        159,
        ("clase L", "clase M", "camperos clase L", "ecológicos clase M", "clase XL"),
        ("Pazo de Vilane", "Dagu", "Huevos Guillén", "Campomayor"),
        (("6 uds", 1000), ("12 uds", 1850), ("18 uds", 2650)),
    ),
    _u(
        "Yogur",
        "LACT",
        "IVA10",
        139,
        (
            "natural",
            "natural azucarado",
            "de fresa",
            "desnatado natural",
            "griego",
            "de limón",
            "bífidus",
        ),
        _DAIRY,
        (("pack 4 x 125 g", 1000), ("pack 8 x 125 g", 1850)),
    ),
    _u(
        "Mantequilla",
        "LACT",
        "IVA10",
        299,
        ("", "sin sal", "con sal"),
        ("Central Lechera Asturiana", "Président", "Arias", "Kerrygold"),
        (("250 g", 1000), ("500 g", 1900)),
    ),
    _u(
        "Nata",
        "LACT",
        "IVA10",
        129,
        ("para cocinar", "para montar"),
        ("Central Lechera Asturiana", "Pascual", "Président"),
        (("200 ml", 1000), ("pack 3 x 200 ml", 2700)),
    ),
    _u(
        "Natillas",
        "LACT",
        "IVA10",
        189,
        ("de vainilla", "de chocolate", "con galleta"),
        ("Danone", "Dhul", "Reina"),
        (("pack 4 x 125 g", 1000),),
    ),
    _u(
        "Flan de huevo",
        "LACT",
        "IVA10",
        199,
        ("", "con nata", "casero"),
        ("Dhul", "Reina", "El Mesías"),
        (("pack 4 x 100 g", 1000),),
    ),
    _u(
        "Queso manchego",
        "LACT",
        "IVA4",
        449,
        ("curado", "semicurado", "viejo", "reserva"),
        _CHEESE,
        (("cuña 250 g", 1000), ("cuña 400 g", 1550), ("pieza 1 kg", 3800)),
    ),
    _u(
        "Queso fresco de Burgos",
        "LACT",
        "IVA4",
        199,
        ("", "0 % materia grasa", "sin lactosa"),
        ("Burgo de Arias", "El Caserío", "Villalón"),
        (("250 g", 1000), ("pack 3 x 72 g", 900)),
    ),
    _u(
        "Queso rallado",
        "LACT",
        "IVA4",
        219,
        ("cuatro quesos", "mozzarella", "emmental", "parmesano"),
        ("El Caserío", "Président", "Millán Vicente"),
        (("200 g", 1000),),
    ),
    _u(
        "Queso en lonchas",
        "LACT",
        "IVA4",
        189,
        ("tierno", "havarti", "edam", "cheddar", "de cabra"),
        ("García Baquero", "El Caserío", "Hochland"),
        (("150 g", 1000), ("300 g", 1800)),
    ),
    _u(
        "Queso de cabra",
        "LACT",
        "IVA4",
        299,
        ("rulo", "semicurado", "al pimentón"),
        ("Montesinos", "Palancares", "Monteverde"),
        (("200 g", 1000),),
    ),
    _u(
        "Queso de tetilla",
        "LACT",
        "IVA4",
        899,
        ("",),
        ("Queizúar", "Millán Vicente"),
        (("pieza 800 g", 1000),),
    ),
    _u(
        "Kéfir",
        "LACT",
        "IVA10",
        199,
        ("natural", "desnatado", "de frutos rojos"),
        ("Kaiku", "Danone", "Pastoret"),
        (("500 g", 1000),),
    ),
    _u(
        "Batido",
        "LACT",
        "IVA10",
        279,
        ("de chocolate", "de fresa", "de vainilla"),
        ("Puleva", "Cacaolat", "Pascual", "Central Lechera Asturiana"),
        (("pack 6 x 200 ml", 1000), ("1 l", 700)),
    ),
    # --- Frutería (pre-packed) ---------------------------------------------
    _u(
        "Malla de naranjas",
        "FRUT",
        "IVA4",
        299,
        ("de zumo", "de mesa", "navel"),
        _NONE,
        (("2 kg", 1000), ("5 kg", 2200)),
    ),
    _u("Bolsa de limones", "FRUT", "IVA4", 199, ("", "Verna", "Fino"), _NONE, (("1 kg", 1000),)),
    _u(
        "Piña",
        "FRUT",
        "IVA4",
        219,
        ("del trópico", "Golden extra dulce", "de Costa Rica"),
        _NONE,
        _UNIT,
    ),
    _u(
        "Aguacate Hass",
        "FRUT",
        "IVA4",
        249,
        ("", "listo para comer"),
        _NONE,
        (("bandeja 2 uds", 1000),),
    ),
    _u(
        "Lechuga",
        "FRUT",
        "IVA4",
        89,
        ("iceberg", "romana", "batavia", "hoja de roble"),
        _NONE,
        _UNIT,
    ),
    _u(
        "Cogollos de Tudela",
        "FRUT",
        "IVA4",
        149,
        ("",),
        _NONE,
        (("pack 3 uds", 1000), ("pack 6 uds", 1800)),
    ),
    _u(
        "Fresas",
        "FRUT",
        "IVA4",
        249,
        ("de Huelva", ""),
        _NONE,
        (("bandeja 500 g", 1000), ("bandeja 1 kg", 1850)),
    ),
    _u(
        "Arándanos",
        "FRUT",
        "IVA4",
        199,
        ("",),
        _NONE,
        (("tarrina 125 g", 1000), ("tarrina 250 g", 1800)),
    ),
    _u(
        "Champiñón",
        "FRUT",
        "IVA4",
        139,
        ("laminado", "entero", "portobello"),
        _NONE,
        (("bandeja 250 g", 1000),),
    ),
    _u(
        "Ajos",
        "FRUT",
        "IVA4",
        179,
        ("morados de Las Pedroñeras", "blancos"),
        _NONE,
        (("malla 250 g", 1000),),
    ),
    _u(
        "Tomate cherry",
        "FRUT",
        "IVA4",
        169,
        ("", "pera", "en rama"),
        _NONE,
        (("tarrina 250 g", 1000), ("tarrina 500 g", 1850)),
    ),
    _u("Espinacas frescas", "FRUT", "IVA4", 179, ("", "baby"), _NONE, (("bolsa 300 g", 1000),)),
    _u("Zanahorias", "FRUT", "IVA4", 99, ("",), _NONE, (("bolsa 1 kg", 1000),)),
    _u(
        "Patatas",
        "FRUT",
        "IVA4",
        349,
        ("para freír", "para cocer", "nuevas", "de Galicia"),
        _NONE,
        (("malla 3 kg", 1000), ("malla 5 kg", 1500)),
    ),
    _u("Cebollas", "FRUT", "IVA4", 229, ("", "dulces", "moradas"), _NONE, (("malla 2 kg", 1000),)),
    # --- Carnicería / pescadería / charcutería (pre-packed) -----------------
    _u(
        "Hamburguesas de vacuno",
        "CARN",
        "IVA10",
        349,
        ("", "con queso", "a la pimienta"),
        ("Coren", "ElPozo", "Campofrío"),
        (("pack 4 x 100 g", 1000), ("pack 8 x 100 g", 1900)),
    ),
    _u(
        "Palitos de surimi",
        "PESC",
        "IVA10",
        199,
        ("",),
        ("Krissia", "Angulas Aguinaga"),
        (("250 g", 1000),),
    ),
    _u(
        "Gulas", "PESC", "IVA10", 349, ("", "al ajillo"), ("La Gula del Norte",), (("200 g", 1000),)
    ),
    _u(
        "Salmón ahumado",
        "PESC",
        "IVA10",
        399,
        ("", "en lonchas", "noruego"),
        ("Ahumados Domínguez", "Skandia", "Royal"),
        (("100 g", 1000), ("200 g", 1850)),
    ),
    _u(
        "Jamón cocido extra",
        "CHAR",
        "IVA10",
        229,
        ("en lonchas", "en lonchas finas", "reducido en sal"),
        _DELI,
        (("150 g", 1000), ("250 g", 1550)),
    ),
    _u(
        "Jamón serrano",
        "CHAR",
        "IVA10",
        249,
        ("en lonchas", "reserva en lonchas", "en taquitos"),
        _DELI,
        (("100 g", 1000), ("200 g", 1800)),
    ),
    _u(
        "Chorizo",
        "CHAR",
        "IVA10",
        249,
        ("sarta dulce", "sarta picante", "extra en lonchas", "ibérico en lonchas"),
        _SAUSAGE,
        (("200 g", 1000),),
    ),
    _u(
        "Fuet",
        "CHAR",
        "IVA10",
        229,
        ("", "extra", "de pollo"),
        ("Casa Tarradellas", "Espuña", "Argal"),
        (("170 g", 1000),),
    ),
    _u(
        "Salchichas",
        "CHAR",
        "IVA10",
        189,
        ("Frankfurt", "de pavo", "cóctel", "con queso"),
        ("Oscar Mayer", "Campofrío", "ElPozo"),
        (("250 g", 1000), ("500 g", 1850)),
    ),
    _u(
        "Bacon",
        "CHAR",
        "IVA10",
        199,
        ("ahumado en lonchas", "en tiras", "en taquitos"),
        ("Campofrío", "Oscar Mayer", "ElPozo"),
        (("150 g", 1000),),
    ),
    _u(
        "Pechuga de pavo",
        "CHAR",
        "IVA10",
        229,
        ("en lonchas finas", "asada", "braseada"),
        _DELI,
        (("150 g", 1000), ("250 g", 1550)),
    ),
    _u(
        "Sobrasada",
        "CHAR",
        "IVA10",
        259,
        ("de Mallorca", "ibérica"),
        ("El Zagal", "Palacios", "Embutidos Soler"),
        (("250 g", 1000),),
    ),
    _u(
        "Morcilla de Burgos",
        "CHAR",
        "IVA10",
        249,
        ("", "con arroz"),
        ("Palacios", "Revilla", "Hermanos Rodríguez"),
        (("400 g", 1000),),
    ),
    _u(
        "Paté",
        "CHAR",
        "IVA10",
        199,
        ("de cerdo", "ibérico", "a las finas hierbas", "de pato"),
        ("La Piara", "Apis", "ElPozo"),
        (("pack 3 x 75 g", 1000),),
    ),
    # --- Panadería ----------------------------------------------------------
    _u(
        "Barra de pan",
        "PAN",
        "IVA4",
        65,
        ("", "rústica", "de leña", "integral", "de masa madre"),
        _NONE,
        (("250 g", 1000), ("baguette", 1300)),
    ),
    _u(
        "Pan de pueblo",
        "PAN",
        "IVA4",
        189,
        ("", "de masa madre", "candeal"),
        _NONE,
        (("500 g", 1000), ("1 kg", 1850)),
    ),
    _u("Chapata", "PAN", "IVA4", 95, ("", "integral", "con semillas"), _NONE, _UNIT),
    _u(
        "Pan de molde",
        "PAN",
        "IVA10",
        199,
        ("blanco", "integral", "sin corteza", "de semillas"),
        ("Bimbo", "Panrico", "Ortiz"),
        (("460 g", 1000), ("720 g", 1450)),
    ),
    _u(
        "Picos de pan",
        "PAN",
        "IVA10",
        149,
        ("", "integrales", "camperos"),
        ("Ortiz", "Obando", "Artesanos del Pan"),
        (("250 g", 1000),),
    ),
    _u(
        "Biscotes",
        "PAN",
        "IVA10",
        199,
        ("", "integrales", "sin sal"),
        ("Bimbo", "Ortiz"),
        (("270 g", 1000),),
    ),
    _u(
        "Croissant",
        "PAN",
        "IVA10",
        79,
        ("de mantequilla", "integral", "relleno de chocolate"),
        _NONE,
        (("unidad", 1000), ("pack 4 uds", 3200)),
    ),
    _u(
        "Magdalenas",
        "PAN",
        "IVA10",
        199,
        ("redondas", "largas", "de aceite de oliva", "integrales"),
        ("La Bella Easo", "Dulcesol", "Martínez"),
        (("pack 12 uds", 1000),),
    ),
    _u(
        "Napolitana de chocolate",
        "PAN",
        "IVA10",
        119,
        ("",),
        _NONE,
        (("unidad", 1000), ("pack 4 uds", 3300)),
    ),
    _u(
        "Ensaimada",
        "PAN",
        "IVA10",
        179,
        ("de Mallorca", "de cabello de ángel", "de crema"),
        _NONE,
        (("unidad", 1000), ("grande", 5000)),
    ),
    _u(
        "Tortas de aceite",
        "PAN",
        "IVA10",
        289,
        ("", "de naranja", "con sésamo"),
        ("Inés Rosales",),
        (("pack 6 uds", 1000),),
    ),
    _u(
        "Roscón de Reyes",
        "PAN",
        "IVA10",
        1299,
        ("", "de nata", "de trufa"),
        _NONE,
        (("unidad", 1000),),
    ),
    _u(
        "Empanada gallega",
        "PAN",
        "IVA10",
        1299,
        ("de atún", "de carne", "de bacalao con pasas", "de zamburiñas"),
        _NONE,
        (("entera 1 kg", 1000), ("porción", 300)),
    ),
    # --- Congelados ---------------------------------------------------------
    _u(
        "Pizza",
        "CONG",
        "IVA10",
        319,
        ("barbacoa", "cuatro quesos", "jamón y queso", "margarita", "carbonara"),
        ("Casa Tarradellas", "Buitoni", "Dr. Oetker", "Campofrío"),
        (("410 g", 1000),),
    ),
    _u(
        "Croquetas",
        "CONG",
        "IVA10",
        299,
        ("de jamón", "de pollo", "de bacalao", "de cocido", "de boletus"),
        ("La Cocinera", "Findus", "Maheso"),
        (("500 g", 1000),),
    ),
    _u(
        "Varitas de merluza",
        "CONG",
        "IVA10",
        349,
        ("", "empanadas"),
        ("Pescanova", "Findus"),
        (("450 g", 1000),),
    ),
    _u(
        "Guisantes",
        "CONG",
        "IVA4",
        149,
        ("finos", "extrafinos"),
        _FROZEN,
        (("400 g", 1000), ("1 kg", 2100)),
    ),
    _u(
        "Menestra de verduras",
        "CONG",
        "IVA4",
        169,
        ("", "de temporada"),
        _FROZEN,
        (("400 g", 1000), ("1 kg", 2100)),
    ),
    _u("Espinacas en hojas", "CONG", "IVA4", 159, ("",), _FROZEN, (("400 g", 1000),)),
    _u(
        "Patatas prefritas",
        "CONG",
        "IVA10",
        249,
        ("corte fino", "gajo", "corte clásico"),
        ("McCain", "Findus", "La Cocinera"),
        (("1 kg", 1000),),
    ),
    _u(
        "Helado",
        "CONG",
        "IVA10",
        399,
        ("de vainilla", "de chocolate", "de turrón", "de nata y fresa", "de limón"),
        ("Frigo", "Carte d'Or", "Kalise", "Häagen-Dazs"),
        (("900 ml", 1000), ("500 ml", 750)),
    ),
    _u(
        "Polos",
        "CONG",
        "IVA10",
        299,
        ("de limón", "de naranja", "de fresa"),
        ("Frigo", "Kalise"),
        (("pack 6 uds", 1000),),
    ),
    _u(
        "Gambas peladas",
        "CONG",
        "IVA10",
        499,
        ("crudas", "cocidas"),
        ("Pescanova", "La Sirena"),
        (("250 g", 1000),),
    ),
    _u(
        "Calamares a la romana",
        "CONG",
        "IVA10",
        349,
        ("", "sin gluten"),
        ("Pescanova", "Findus"),
        (("400 g", 1000),),
    ),
    _u(
        "Lasaña",
        "CONG",
        "IVA10",
        399,
        ("boloñesa", "de verduras", "de atún"),
        ("Findus", "La Cocinera", "Buitoni"),
        (("530 g", 1000),),
    ),
    _u(
        "San Jacobos",
        "CONG",
        "IVA10",
        299,
        ("de jamón y queso", "de pollo"),
        ("La Cocinera", "Campofrío"),
        (("pack 4 uds", 1000),),
    ),
    _u(
        "Paella de marisco",
        "CONG",
        "IVA10",
        449,
        ("", "mixta"),
        ("Pescanova", "La Cocinera"),
        (("500 g", 1000),),
    ),
    # --- Droguería ----------------------------------------------------------
    _u(
        "Detergente líquido",
        "DROG",
        "IVA21",
        799,
        ("", "para ropa de color", "hipoalergénico", "para ropa oscura", "con jabón de Marsella"),
        _LAUNDRY,
        (("30 lavados", 1000), ("50 lavados", 1500), ("80 lavados", 2200)),
    ),
    _u(
        "Detergente en polvo",
        "DROG",
        "IVA21",
        899,
        ("", "con lejía", "para ropa blanca"),
        ("Colón", "Dixan", "Ariel"),
        (("40 lavados", 1000),),
    ),
    _u(
        "Detergente en cápsulas",
        "DROG",
        "IVA21",
        999,
        ("", "todo en 1", "para ropa de color"),
        ("Ariel", "Skip", "Dash"),
        (("26 uds", 1000), ("40 uds", 1450)),
    ),
    _u(
        "Suavizante",
        "DROG",
        "IVA21",
        349,
        ("concentrado", "", "para pieles sensibles", "frescor de primavera"),
        ("Mimosín", "Flor", "Vernel", "Lenor"),
        (("60 lavados", 1000), ("100 lavados", 1550)),
    ),
    _u(
        "Lavavajillas a mano",
        "DROG",
        "IVA21",
        229,
        ("", "concentrado", "con aroma a limón", "ultra"),
        ("Fairy", "Mistol", "Kalia"),
        (("780 ml", 1000), ("500 ml", 700)),
    ),
    _u(
        "Detergente para lavavajillas",
        "DROG",
        "IVA21",
        799,
        ("en pastillas todo en 1", "en gel"),
        ("Finish", "Fairy", "Somat"),
        (("40 uds", 1000), ("80 uds", 1850)),
    ),
    _u(
        "Lejía",
        "DROG",
        "IVA21",
        129,
        ("", "con detergente", "perfumada"),
        ("Estrella", "Neutrex", "Conejo", "KH-7"),
        (("2 l", 1000), ("4 l", 1800)),
    ),
    _u(
        "Friegasuelos",
        "DROG",
        "IVA21",
        219,
        ("", "aroma a lavanda", "aroma a pino", "neutro"),
        _CLEAN,
        (("1,5 l", 1000),),
    ),
    _u(
        "Limpiacristales",
        "DROG",
        "IVA21",
        199,
        ("", "antivaho"),
        ("Cristasol", "Ajax"),
        (("750 ml", 1000),),
    ),
    _u(
        "Desengrasante",
        "DROG",
        "IVA21",
        399,
        ("", "para cocina"),
        ("KH-7", "Cillit Bang"),
        (("750 ml", 1000),),
    ),
    _u(
        "Limpiador antical",
        "DROG",
        "IVA21",
        349,
        ("", "para baño"),
        ("Viakal", "Cillit Bang", "Sanytol"),
        (("700 ml", 1000),),
    ),
    _u(
        "Papel higiénico",
        "DROG",
        "IVA21",
        449,
        ("doble capa", "triple capa", "compacto"),
        _PAPER,
        (("12 rollos", 1000), ("24 rollos", 1900), ("6 rollos", 560)),
    ),
    _u(
        "Rollo de cocina",
        "DROG",
        "IVA21",
        299,
        ("", "extra absorbente"),
        _PAPER,
        (("pack 3 rollos", 1000), ("pack 6 rollos", 1850)),
    ),
    _u(
        "Servilletas de papel",
        "DROG",
        "IVA21",
        149,
        ("blancas", "de colores"),
        ("Colhogar", "Renova"),
        (("100 uds", 1000),),
    ),
    _u(
        "Bolsas de basura",
        "DROG",
        "IVA21",
        199,
        ("con autocierre", "negras", "perfumadas"),
        ("Albal", "Sanitex"),
        (("30 uds", 1000), ("15 uds", 600)),
    ),
    _u("Papel de aluminio", "DROG", "IVA21", 279, ("",), ("Albal", "Wrap"), (("30 m", 1000),)),
    _u("Film transparente", "DROG", "IVA21", 199, ("",), ("Albal",), (("30 m", 1000),)),
    _u(
        "Estropajo",
        "DROG",
        "IVA21",
        149,
        ("verde", "salvauñas", "de acero"),
        ("Scotch-Brite", "Vileda"),
        (("pack 3 uds", 1000),),
    ),
    _u(
        "Bayetas",
        "DROG",
        "IVA21",
        229,
        ("multiusos", "de microfibra"),
        ("Vileda", "Spontex"),
        (("pack 3 uds", 1000),),
    ),
    _u(
        "Jabón en pastilla para ropa",
        "DROG",
        "IVA21",
        229,
        ("", "de Marsella"),
        ("Lagarto", "Chimbo"),
        (("pack 2 x 250 g", 1000),),
    ),
    _u(
        "Ambientador",
        "DROG",
        "IVA21",
        399,
        ("eléctrico", "en spray", "mikado"),
        ("Air Wick", "Ambi Pur", "Brise"),
        (("aparato + recambio", 1000), ("recambio", 700)),
    ),
    _u(
        "Insecticida",
        "DROG",
        "IVA21",
        499,
        ("para voladores", "para rastreros"),
        ("Raid", "Orión", "Casa"),
        (("600 ml", 1000),),
    ),
    _u(
        "Quitamanchas",
        "DROG",
        "IVA21",
        499,
        ("", "en spray", "para ropa blanca"),
        ("Vanish", "KH-7"),
        (("1 l", 1000),),
    ),
    # --- Higiene ------------------------------------------------------------
    _u(
        "Gel de ducha",
        "HIG",
        "IVA21",
        349,
        ("", "hidratante", "piel sensible", "dermoprotector", "con aloe vera"),
        _BODY,
        (("600 ml", 1000), ("900 ml", 1400), ("pack 2 x 600 ml", 1800)),
    ),
    _u(
        "Champú",
        "HIG",
        "IVA21",
        399,
        ("anticaspa", "reparador", "para cabello graso", "de uso frecuente", "con keratina"),
        _HAIR,
        (("400 ml", 1000), ("700 ml", 1550)),
    ),
    _u(
        "Acondicionador",
        "HIG",
        "IVA21",
        349,
        ("reparador", "suavizante", "para cabello rizado"),
        ("Pantene", "Elvive", "Fructis"),
        (("300 ml", 1000),),
    ),
    _u(
        "Pasta de dientes",
        "HIG",
        "IVA21",
        229,
        ("blanqueadora", "protección caries", "para encías", "para dientes sensibles"),
        _TEETH,
        (("75 ml", 1000), ("pack 2 x 75 ml", 1800)),
    ),
    _u(
        "Cepillo de dientes",
        "HIG",
        "IVA21",
        249,
        ("medio", "suave", "duro", "eléctrico"),
        ("Oral-B", "Colgate", "Phb"),
        (("unidad", 1000), ("pack 2 uds", 1700)),
    ),
    _u(
        "Desodorante",
        "HIG",
        "IVA21",
        299,
        ("en spray", "roll-on", "en barra"),
        ("Rexona", "Sanex", "Dove", "Nivea", "Axe"),
        (("", 1000), ("pack 2 uds", 1800)),
    ),
    _u(
        "Jabón de manos",
        "HIG",
        "IVA21",
        199,
        ("líquido", "con glicerina", "antibacteriano", "de avena"),
        ("Sanex", "Dove", "Lactovit", "Palmolive", "La Toja"),
        (("300 ml", 1000), ("recambio 600 ml", 1500)),
    ),
    _u(
        "Jabón de tocador",
        "HIG",
        "IVA21",
        229,
        ("de glicerina", "natural", "de rosa mosqueta"),
        ("Heno de Pravia", "Dove", "Magno", "Maja"),
        (("pack 2 uds", 1000),),
    ),
    _u(
        "Crema hidratante",
        "HIG",
        "IVA21",
        399,
        ("corporal", "facial", "de manos"),
        ("Nivea", "Neutrogena", "Babaria"),
        (("400 ml", 1000), ("50 ml", 900)),
    ),
    _u(
        "Espuma de afeitar",
        "HIG",
        "IVA21",
        279,
        ("", "para piel sensible"),
        ("Gillette", "Nivea Men"),
        (("250 ml", 1000),),
    ),
    _u(
        "Maquinillas de afeitar",
        "HIG",
        "IVA21",
        399,
        ("desechables", "de 3 hojas"),
        ("Gillette", "BIC", "Wilkinson"),
        (("pack 5 uds", 1000),),
    ),
    _u(
        "Colonia",
        "HIG",
        "IVA21",
        599,
        ("fresca", "de baño", "infantil"),
        ("Nenuco", "Heno de Pravia", "Álvarez Gómez"),
        (("750 ml", 1000), ("400 ml", 650)),
    ),
    _u(
        "Toallitas húmedas",
        "HIG",
        "IVA21",
        199,
        ("para bebé", "desmaquillantes", "íntimas"),
        ("Dodot", "Nenuco", "Chelino"),
        (("pack 72 uds", 1000), ("pack 3 x 72 uds", 2600)),
    ),
    _u(
        "Pañales",
        "HIG",
        "IVA21",
        1299,
        ("talla 3", "talla 4", "talla 5", "talla 6"),
        ("Dodot", "Chelino", "Huggies"),
        (("paquete 40 uds", 1000), ("paquete 80 uds", 1850)),
    ),
    _u(
        "Compresas",
        "HIG",
        "IVA4",
        249,
        ("normales", "de noche", "con alas", "ultrafinas"),
        ("Evax", "Ausonia"),
        (("pack 16 uds", 1000),),
    ),
    _u(
        "Tampones",
        "HIG",
        "IVA4",
        349,
        ("normal", "super", "mini"),
        ("Tampax", "o.b.", "Evax"),
        (("pack 20 uds", 1000),),
    ),
    _u(
        "Salvaslips",
        "HIG",
        "IVA4",
        229,
        ("", "transpirables"),
        ("Evax", "Ausonia"),
        (("pack 40 uds", 1000),),
    ),
    _u(
        "Preservativos",
        "HIG",
        "IVA4",
        999,
        ("clásicos", "extrafinos", "sin látex"),
        ("Durex", "Control"),
        (("pack 12 uds", 1000),),
    ),
    _u(
        "Bastoncillos de algodón",
        "HIG",
        "IVA21",
        149,
        ("",),
        ("Johnson's", "Bel"),
        (("200 uds", 1000),),
    ),
    # --- Papelería ----------------------------------------------------------
    _u(
        "Cuaderno espiral",
        "PAP",
        "IVA21",
        299,
        ("A4 cuadrícula", "A5 cuadrícula", "A4 rayas", "A4 pautado"),
        _SCHOOL,
        (("80 hojas", 1000), ("120 hojas", 1350)),
    ),
    _u(
        "Bolígrafo",
        "PAP",
        "IVA21",
        49,
        ("azul", "negro", "rojo", "cuatro colores"),
        _PENS,
        (("unidad", 1000), ("pack 4 uds", 3300)),
    ),
    _u(
        "Lápiz de grafito",
        "PAP",
        "IVA21",
        149,
        ("HB", "2B"),
        ("Staedtler", "Faber-Castell", "Milan"),
        (("pack 3 uds", 1000),),
    ),
    _u(
        "Lápices de colores",
        "PAP",
        "IVA21",
        349,
        ("", "acuarelables"),
        ("Alpino", "Giotto", "Faber-Castell"),
        (("pack 12 uds", 1000),),
    ),
    _u(
        "Goma de borrar",
        "PAP",
        "IVA21",
        59,
        ("blanda", "de miga de pan"),
        ("Milan", "Staedtler"),
        (("unidad", 1000),),
    ),
    _u(
        "Pegamento en barra",
        "PAP",
        "IVA21",
        199,
        ("",),
        ("Pritt", "Imedio"),
        (("20 g", 1000), ("40 g", 1700)),
    ),
    _u(
        "Folios",
        "PAP",
        "IVA21",
        599,
        ("A4 80 g", "A4 reciclados"),
        ("Navigator", "Double A", "Fabrisa"),
        (("500 hojas", 1000),),
    ),
    _u(
        "Cinta adhesiva",
        "PAP",
        "IVA21",
        129,
        ("transparente", "invisible", "de embalar"),
        ("Tesa", "Scotch"),
        (("unidad", 1000),),
    ),
    _u(
        "Rotuladores",
        "PAP",
        "IVA21",
        299,
        ("", "fluorescentes"),
        ("Carioca", "Staedtler", "Stabilo"),
        (("pack 12 uds", 1000),),
    ),
    _u(
        "Tijeras escolares",
        "PAP",
        "IVA21",
        249,
        ("", "para zurdos"),
        ("Maped", "Milan"),
        (("unidad", 1000),),
    ),
    _u(
        "Sobres",
        "PAP",
        "IVA21",
        199,
        ("blancos", "con ventana", "acolchados"),
        ("Sam", "Unipapel"),
        (("pack 25 uds", 1000),),
    ),
    _u(
        "Libro de cocina",
        "PAP",
        "IVA4",
        1495,
        ("tradicional española", "de repostería", "de tapas"),
        _NONE,
        _UNIT,
    ),
    _u(
        "Libro de pasatiempos",
        "PAP",
        "IVA4",
        249,
        ("sopas de letras", "crucigramas", "sudokus"),
        _NONE,
        _UNIT,
    ),
    _u(
        "Periódico",
        "PAP",
        "IVA4",
        200,
        ("",),
        ("El País", "El Mundo", "ABC", "La Vanguardia", "Marca", "As"),
        _NO_SIZE,
        fixed_price=True,
    ),
    _u(
        "Revista",
        "PAP",
        "IVA4",
        350,
        ("de cocina", "del corazón", "de motor", "de decoración"),
        _NONE,
        _UNIT,
    ),
    # --- Mascotas -----------------------------------------------------------
    _u(
        "Pienso para perros",
        "MASC",
        "IVA21",
        999,
        ("adultos", "cachorros", "de raza pequeña", "senior"),
        ("Purina Dog Chow", "Ultima", "Pedigree", "Affinity"),
        (("3 kg", 1000), ("7,5 kg", 2200)),
    ),
    _u(
        "Pienso para gatos",
        "MASC",
        "IVA21",
        699,
        ("adultos", "esterilizados", "gatitos"),
        ("Purina Cat Chow", "Whiskas", "Ultima", "Friskies"),
        (("1,5 kg", 1000), ("3 kg", 1850)),
    ),
    _u(
        "Comida húmeda para gatos",
        "MASC",
        "IVA21",
        549,
        ("de pollo", "de atún", "de salmón"),
        ("Whiskas", "Felix", "Gourmet"),
        (("pack 12 x 85 g", 1000),),
    ),
    _u(
        "Comida húmeda para perros",
        "MASC",
        "IVA21",
        189,
        ("de buey", "de pollo"),
        ("Pedigree", "Cesar"),
        (("lata 400 g", 1000),),
    ),
    _u(
        "Arena para gatos",
        "MASC",
        "IVA21",
        349,
        ("aglomerante", "absorbente", "de sílice"),
        ("Sanicat", "Catsan", "Ultima"),
        (("5 l", 1000), ("10 l", 1800)),
    ),
    _u(
        "Snacks para perros",
        "MASC",
        "IVA21",
        299,
        ("dentales", "de pollo"),
        ("Pedigree", "Purina"),
        (("unidad", 1000),),
    ),
    # --- Bazar --------------------------------------------------------------
    _u(
        "Bolsa reutilizable",
        "BAZ",
        "IVA21",
        60,
        ("de rafia", "de papel", "de plástico reciclado"),
        _NONE,
        _NO_SIZE,
    ),
    _u(
        "Pilas alcalinas",
        "BAZ",
        "IVA21",
        499,
        ("AA", "AAA", "9 V"),
        ("Duracell", "Energizer", "Varta"),
        (("pack 4 uds", 1000), ("pack 8 uds", 1800)),
    ),
    _u(
        "Bombilla LED",
        "BAZ",
        "IVA21",
        299,
        ("E27 9 W", "E14 5 W", "GU10 5 W"),
        ("Philips", "Osram", "Ledvance"),
        (("unidad", 1000), ("pack 3 uds", 2500)),
    ),
    _u("Vasos de cartón", "BAZ", "IVA21", 199, ("",), _NONE, (("pack 50 uds", 1000),)),
    # --- Varios: outside the tax --------------------------------------------
    _u(
        "Tarjeta regalo",
        "VAR",
        "IVA0",
        1000,
        ("",),
        _NONE,
        (("10 €", 1000), ("20 €", 2000), ("25 €", 2500), ("50 €", 5000)),
        fixed_price=True,
    ),
    _u(
        "Donación Banco de Alimentos",
        "VAR",
        "IVA0",
        1000,
        ("",),
        _NONE,
        (("1 €", 100), ("2 €", 200), ("5 €", 500)),
        fixed_price=True,
    ),
)

_WEIGHT_TEMPLATES: Final[tuple[_Template, ...]] = (
    # Frutería
    _w("Plátano de Canarias", "FRUT", "IVA4", 249, "IGP", "extra", "de La Palma"),
    _w("Banana", "FRUT", "IVA4", 149, "", "ecológica"),
    _w(
        "Manzana",
        "FRUT",
        "IVA4",
        229,
        "Golden",
        "Fuji",
        "Pink Lady",
        "Royal Gala",
        "reineta",
        "Granny Smith",
    ),
    _w("Pera", "FRUT", "IVA4", 239, "conferencia", "ercolini", "blanquilla", "de Rincón de Soto"),
    _w("Naranja", "FRUT", "IVA4", 169, "de zumo", "navel", "valencia late"),
    _w("Mandarina", "FRUT", "IVA4", 219, "clementina", "clemenvilla", "nadorcott"),
    _w("Limón", "FRUT", "IVA4", 229, "", "Verna", "Fino", "ecológico"),
    _w("Uva", "FRUT", "IVA4", 349, "blanca", "negra", "blanca sin pepitas", "red globe"),
    _w("Melón", "FRUT", "IVA4", 169, "piel de sapo", "galia", "cantalupo"),
    _w("Sandía", "FRUT", "IVA4", 119, "sin pepitas", ""),
    _w("Melocotón", "FRUT", "IVA4", 299, "amarillo", "de Calanda", "paraguayo"),
    _w("Kiwi", "FRUT", "IVA4", 399, "verde", "gold"),
    _w("Tomate", "FRUT", "IVA4", 249, "pera", "de ensalada", "raf", "en rama", "rosa de Barbastro"),
    _w("Pimiento", "FRUT", "IVA4", 299, "rojo", "verde italiano", "de Padrón", "amarillo"),
    _w("Calabacín", "FRUT", "IVA4", 179, "", "ecológico"),
    _w("Berenjena", "FRUT", "IVA4", 199, "", "rayada"),
    _w("Pepino", "FRUT", "IVA4", 149, "", "holandés"),
    _w("Cebolla", "FRUT", "IVA4", 129, "", "morada", "dulce"),
    _w("Patata", "FRUT", "IVA4", 119, "agria", "monalisa", "nueva"),
    _w("Zanahoria", "FRUT", "IVA4", 109, "", "ecológica"),
    _w("Judía verde", "FRUT", "IVA4", 399, "plana", "redonda"),
    _w("Brócoli", "FRUT", "IVA4", 279, ""),
    _w("Coliflor", "FRUT", "IVA4", 199, ""),
    _w("Calabaza", "FRUT", "IVA4", 169, "", "butternut"),
    _w("Boniato", "FRUT", "IVA4", 229, ""),
    _w("Alcachofa", "FRUT", "IVA4", 349, "", "de Tudela"),
    _w("Aguacate", "FRUT", "IVA4", 549, "Hass", "de Málaga"),
    _w("Mango", "FRUT", "IVA4", 399, "", "de Vélez-Málaga"),
    _w("Fresón", "FRUT", "IVA4", 299, "de Huelva"),
    _w("Cereza", "FRUT", "IVA4", 699, "picota del Jerte", "del Jerte"),
    _w("Níspero", "FRUT", "IVA4", 399, "de Callosa"),
    _w("Caqui", "FRUT", "IVA4", 249, "persimon", "de la Ribera"),
    _w("Granada", "FRUT", "IVA4", 299, "mollar de Elche"),
    # Carnicería
    _w("Pechuga de pollo", "CARN", "IVA10", 699, "entera", "fileteada", "en dados"),
    _w("Muslos de pollo", "CARN", "IVA10", 399, "", "deshuesados"),
    _w("Alitas de pollo", "CARN", "IVA10", 349, "", "adobadas"),
    _w("Pollo entero", "CARN", "IVA10", 349, "de corral", "campero", "limpio"),
    _w("Lomo de cerdo", "CARN", "IVA10", 699, "en cinta", "fileteado", "adobado"),
    _w("Costillas de cerdo", "CARN", "IVA10", 599, "", "adobadas", "ibéricas"),
    _w("Secreto ibérico", "CARN", "IVA10", 1899, "", "de bellota"),
    _w("Presa ibérica", "CARN", "IVA10", 1999, "", "de bellota"),
    _w("Filete de ternera", "CARN", "IVA10", 1499, "de primera", "de segunda", "de añojo"),
    _w("Entrecot de vacuno", "CARN", "IVA10", 2499, "", "madurado"),
    _w("Carne picada", "CARN", "IVA10", 799, "de vacuno", "mixta de cerdo y vacuno", "de pollo"),
    _w("Chuletas de cordero", "CARN", "IVA10", 1699, "de palo", "de riñonada"),
    _w("Pierna de cordero", "CARN", "IVA10", 1499, "lechal", "recental"),
    _w("Conejo", "CARN", "IVA10", 799, "troceado", "entero"),
    _w("Chorizo fresco", "CARN", "IVA10", 699, "", "picante", "criollo"),
    # Pescadería
    _w("Merluza", "PESC", "IVA10", 1199, "de pincho", "del Cantábrico", "en rodajas", "en filetes"),
    _w("Salmón fresco", "PESC", "IVA10", 1299, "en lomos", "en rodajas", "entero"),
    _w("Boquerón", "PESC", "IVA10", 699, "", "limpio"),
    _w("Sardina", "PESC", "IVA10", 499, "", "de Santurce"),
    _w("Dorada", "PESC", "IVA10", 899, "de ración", "de estero"),
    _w("Lubina", "PESC", "IVA10", 999, "de ración", "salvaje"),
    _w("Calamar", "PESC", "IVA10", 1399, "limpio", "nacional"),
    _w("Sepia", "PESC", "IVA10", 1099, "limpia", "entera"),
    _w("Gamba", "PESC", "IVA10", 1999, "blanca de Huelva", "roja", "arrocera"),
    _w("Langostino", "PESC", "IVA10", 1499, "cocido", "tigre", "de Sanlúcar"),
    _w("Mejillón", "PESC", "IVA10", 299, "de Galicia", "limpio"),
    _w("Almeja", "PESC", "IVA10", 1299, "japónica", "fina"),
    _w("Bacalao", "PESC", "IVA10", 1599, "desalado", "en lomos"),
    _w("Rape", "PESC", "IVA10", 1999, "", "en colas"),
    _w("Pulpo", "PESC", "IVA10", 2499, "cocido", "de roca"),
    _w("Atún rojo", "PESC", "IVA10", 3499, "en lomos", "de almadraba"),
    _w("Emperador", "PESC", "IVA10", 1699, "en rodajas"),
    _w("Gallo", "PESC", "IVA10", 999, "", "limpio"),
    _w("Jurel", "PESC", "IVA10", 399, ""),
    # Charcutería y quesos (deli counter)
    _w("Jamón serrano al corte", "CHAR", "IVA10", 1999, "reserva", "gran reserva", "bodega"),
    _w("Jamón ibérico de cebo al corte", "CHAR", "IVA10", 4999, "", "de campo"),
    _w("Paleta ibérica al corte", "CHAR", "IVA10", 3999, "de cebo", "de cebo de campo"),
    _w("Jamón cocido al corte", "CHAR", "IVA10", 1199, "extra", "reducido en sal"),
    _w("Pechuga de pavo al corte", "CHAR", "IVA10", 1299, "", "asada", "braseada"),
    _w("Chorizo ibérico al corte", "CHAR", "IVA10", 1699, "", "picante", "de bellota"),
    _w("Salchichón ibérico al corte", "CHAR", "IVA10", 1699, "", "de bellota"),
    _w("Lomo embuchado al corte", "CHAR", "IVA10", 2999, "", "ibérico"),
    _w("Mortadela al corte", "CHAR", "IVA10", 899, "con aceitunas", "boloñesa", ""),
    _w("Queso manchego al corte", "CHAR", "IVA4", 1899, "curado", "semicurado", "viejo"),
    _w("Queso tierno al corte", "CHAR", "IVA4", 999, "de vaca", "mezcla"),
    _w("Queso de cabra al corte", "CHAR", "IVA4", 1599, "", "al romero"),
    _w("Queso azul al corte", "CHAR", "IVA4", 2299, "Cabrales", "Valdeón"),
    _w("Queso Idiazábal al corte", "CHAR", "IVA4", 2399, "ahumado", ""),
    # Panadería (sold by weight)
    _w("Pan de hogaza al peso", "PAN", "IVA4", 399, "", "de centeno", "integral"),
    _w("Pan de leña al peso", "PAN", "IVA4", 449, ""),
    _w("Pastas de té al peso", "PAN", "IVA10", 1399, "surtidas", "de mantequilla"),
    _w("Rosquillas al peso", "PAN", "IVA10", 899, "de anís", "listas"),
)

_PRICE_TEMPLATES: Final[tuple[_Template, ...]] = (
    _p(
        "Bandeja de pechuga de pollo",
        "CARN",
        "IVA10",
        699,
        "fileteada",
        "entera",
        "de corral",
        "en dados",
        "campera",
    ),
    _p("Bandeja de muslos de pollo", "CARN", "IVA10", 399, "", "deshuesados", "de corral"),
    _p(
        "Bandeja de filetes de ternera",
        "CARN",
        "IVA10",
        1499,
        "de primera",
        "de añojo",
        "para empanar",
        "finos",
    ),
    _p(
        "Bandeja de carne picada",
        "CARN",
        "IVA10",
        799,
        "de vacuno",
        "mixta",
        "de cerdo",
        "de pollo",
    ),
    _p(
        "Bandeja de chuletas de cerdo",
        "CARN",
        "IVA10",
        599,
        "de aguja",
        "de lomo",
        "adobadas",
        "ibéricas",
    ),
    _p("Bandeja de chuletas de cordero", "CARN", "IVA10", 1599, "de palo", "lechal", "de riñonada"),
    _p("Bandeja de costillas de cerdo", "CARN", "IVA10", 599, "", "adobadas", "ibéricas"),
    _p("Bandeja de salmón", "PESC", "IVA10", 1399, "en lomos", "sin piel", "en rodajas"),
    _p("Bandeja de merluza", "PESC", "IVA10", 1199, "en rodajas", "en filetes", "de pincho"),
    _p("Bandeja de langostinos cocidos", "PESC", "IVA10", 1499, "", "grandes"),
    _p(
        "Bandeja de jamón ibérico",
        "CHAR",
        "IVA10",
        5499,
        "loncheado a cuchillo",
        "de cebo",
        "de cebo de campo",
    ),
    _p("Bandeja de embutido ibérico", "CHAR", "IVA10", 2499, "surtido", "de bellota"),
    _p(
        "Bandeja de queso manchego",
        "CHAR",
        "IVA4",
        1799,
        "curado en cuñas",
        "semicurado en cuñas",
        "viejo en cuñas",
        "en lonchas",
    ),
    _p("Bandeja de queso de cabra", "CHAR", "IVA4", 1599, "en rulo", "semicurado"),
    _p(
        "Bandeja de fruta cortada",
        "FRUT",
        "IVA4",
        399,
        "piña en rodajas",
        "melón en dados",
        "sandía en dados",
        "macedonia",
    ),
    _p("Bandeja de pastas de té", "PAN", "IVA10", 1599, "surtidas", "de mantequilla"),
)

_QUANTITY_LABEL: Final = re.compile(r"\d+(?:,\d+)? (?:g|kg|ml|cl|l)")
_PACKS: Final[tuple[tuple[int, int], ...]] = ((2, 1900), (3, 2750))


def _with_own_brands(template: _Template) -> _Template:
    """Offer a branded unit template under the shop's own labels too."""
    if template.measure != "unit" or template.fixed_price or template.brands == _NONE:
        return template
    return replace(template, brands=template.brands + tuple(b for b, _ in _OWN_BRANDS))


def _packs_only(template: _Template) -> _Template | None:
    """Multi-pack sizes of a branded unit template (None when it has none)."""
    if template.measure != "unit" or template.fixed_price or template.brands == _NONE:
        return None
    existing = {label for label, _ in template.sizes}
    packs: list[_Size] = []
    for label, factor in template.sizes:
        if not _QUANTITY_LABEL.fullmatch(label):
            continue
        for count, pack_factor in _PACKS:
            pack_label = f"pack {count} x {label}"
            pack = factor * pack_factor // 1000
            # Only packs that stay under the price ceiling with the dearest brand.
            dearest = template.price_cents * pack * 1050 * 112 // 100_000_000
            if pack_label not in existing and dearest <= _MAX_PRICE_CENTS:
                existing.add(pack_label)
                packs.append((pack_label, pack))
    return replace(template, sizes=tuple(packs)) if packs else None


# Unit products come in two tiers: the catalog sizes first (a demo of a few
# thousand products only uses these), then multi-packs for larger catalogs.
_UNIT_CORE: Final[tuple[_Template, ...]] = tuple(_with_own_brands(t) for t in _UNIT_TEMPLATES)
_UNIT_PACKS: Final[tuple[_Template, ...]] = tuple(
    packs for t in _UNIT_CORE for packs in (_packs_only(t),) if packs is not None
)

_TEMPLATES_BY_BASE: Final[dict[str, _Template]] = {
    t.base: t for t in (*_UNIT_CORE, *_WEIGHT_TEMPLATES, *_PRICE_TEMPLATES)
}
if len(_TEMPLATES_BY_BASE) != len(_UNIT_CORE) + len(_WEIGHT_TEMPLATES) + len(_PRICE_TEMPLATES):
    raise RuntimeError("two product templates share a base name")

_BRAND_FACTORS: Final[dict[str, int]] = dict(_OWN_BRANDS)


@dataclass(frozen=True, slots=True)
class _Showcase:
    base: str
    upc: bool = False
    second: Literal["", "ean13", "ean8"] = ""


# The first rows of every catalog: every IVA class, weighed and
# price-embedded items, an UPC-A, second barcodes and accented names.
_SHOWCASE: Final[tuple[_Showcase, ...]] = (
    _Showcase("Café molido"),
    _Showcase("Leche"),
    _Showcase("Plátano de Canarias"),
    _Showcase("Aceite de oliva virgen extra", second="ean13"),
    _Showcase("Refresco de cola"),
    _Showcase("Jamón serrano al corte"),
    _Showcase("Barra de pan"),
    _Showcase("Salsa barbacoa", upc=True),
    _Showcase("Detergente líquido"),
    _Showcase("Tarjeta regalo"),
    _Showcase("Bandeja de pechuga de pollo"),
    _Showcase("Azúcar"),
    _Showcase("Jabón de manos"),
    _Showcase("Huevos frescos"),
    _Showcase("Queso manchego al corte"),
    _Showcase("Cerveza"),
    _Showcase("Piña"),
    _Showcase("Cuaderno espiral"),
    _Showcase("Merluza"),
    _Showcase("Yogur"),
    _Showcase("Limón"),
    _Showcase("Pizza"),
    _Showcase("Papel higiénico", second="ean8"),
    _Showcase("Galletas María"),
    _Showcase("Pienso para gatos"),
    _Showcase("Vino tinto"),
    _Showcase("Bandeja de queso manchego"),
    _Showcase("Magdalenas"),
    _Showcase("Pechuga de pollo"),
    _Showcase("Donación Banco de Alimentos"),
)


# ---------------------------------------------------------------------------
# Scrambles
# ---------------------------------------------------------------------------


class _Affine:
    """Bijection of ``range(modulus)``: x -> (a * x + b) mod modulus.

    ``a`` is coprime with the modulus (a power of ten), so distinct inputs
    give distinct outputs and barcodes never need to be remembered.
    """

    __slots__ = ("_a", "_b", "_m")

    def __init__(self, rng: random.Random, modulus: int) -> None:
        a = rng.randrange(modulus // 10, modulus)
        while a % 2 == 0 or a % 5 == 0:
            a = a + 1 if a + 1 < modulus else modulus // 10 + 1
        self._a = a
        self._b = rng.randrange(modulus)
        self._m = modulus

    def __call__(self, x: int) -> int:
        return (self._a * x + self._b) % self._m


class _Permutation:
    """Pseudo-random bijection of ``range(size)``.

    A four-round Feistel network over the smallest even number of bits that
    covers ``size``, with cycle walking to stay inside the range.  Used to visit
    every name combination once, in a shuffled but reproducible order.
    """

    __slots__ = ("_half", "_keys", "_mask", "_size")

    def __init__(self, rng: random.Random, size: int) -> None:
        if size < 1:
            raise ValueError("a permutation needs a non-empty range")
        half = max(1, ((size - 1).bit_length() + 1) // 2)
        self._half = half
        self._mask = (1 << half) - 1
        keys = tuple((rng.getrandbits(31) | 1, rng.getrandbits(31)) for _ in range(4))
        self._keys: tuple[tuple[int, int], ...] = keys
        self._size = size

    def __call__(self, x: int) -> int:
        half = self._half
        mask = self._mask
        size = self._size
        (mul1, add1), (mul2, add2), (mul3, add3), (mul4, add4) = self._keys
        while True:
            left = x >> half
            right = x & mask
            mixed = (right * mul1 + add1) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            mixed = (right * mul2 + add2) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            mixed = (right * mul3 + add3) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            mixed = (right * mul4 + add4) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            x = (left << half) | right
            if x < size:
                return x


class _Combinations:
    """Every (template, variant, brand, size) of some templates, numbered densely."""

    __slots__ = ("_index", "_starts", "templates", "total")

    def __init__(self, templates: tuple[_Template, ...]) -> None:
        starts: list[int] = []
        total = 0
        for template in templates:
            starts.append(total)
            total += len(template.variants) * len(template.brands) * len(template.sizes)
        self.templates = templates
        self.total = total
        self._starts = tuple(starts)
        self._index = {id(template): i for i, template in enumerate(templates)}

    def contains(self, template: _Template) -> bool:
        return id(template) in self._index

    def number(self, template: _Template, variant: int, brand: int, size: int) -> int:
        start = self._starts[self._index[id(template)]]
        return start + (variant * len(template.brands) + brand) * len(template.sizes) + size

    def decode(self, number: int) -> tuple[_Template, int, int, int]:
        position = bisect_right(self._starts, number) - 1
        template = self.templates[position]
        rest, size = divmod(number - self._starts[position], len(template.sizes))
        variant, brand = divmod(rest, len(template.brands))
        return template, variant, brand, size


class _NameStream:
    """Hands out the combinations of one measure, each once, in shuffled order.

    Tiers are exhausted in order (each one shuffled on its own).  After all
    tiers, the combinations come round again with a " (ref. N)" suffix, so
    names stay distinct across the whole catalog without remembering them.
    """

    __slots__ = ("_counter", "_reserved", "_tiers", "_total")

    def __init__(self, rng: random.Random, tiers: tuple[tuple[_Template, ...], ...]) -> None:
        self._tiers: list[tuple[int, _Combinations, _Permutation]] = []
        total = 0
        for templates in tiers:
            combinations = _Combinations(templates)
            self._tiers.append((total, combinations, _Permutation(rng, combinations.total)))
            total += combinations.total
        self._total = total
        self._counter = 0
        self._reserved: set[tuple[int, int]] = set()

    def reserve(self, template: _Template, rng: random.Random) -> tuple[int, int, int]:
        """Pick a combination of ``template`` for a showcase row and keep it out of the stream."""
        variant = int(rng.random() * len(template.variants))
        brand = int(rng.random() * len(template.brands))
        size = int(rng.random() * len(template.sizes))
        for tier, (_, combinations, _) in enumerate(self._tiers):
            if combinations.contains(template):
                self._reserved.add((tier, combinations.number(template, variant, brand, size)))
                return variant, brand, size
        raise ValueError(f"{template.base!r} is not in this stream")

    def next(self) -> tuple[_Template, int, int, int, int]:
        """Return the next (template, variant, brand, size, lap)."""
        tiers = self._tiers
        while True:
            lap, offset = divmod(self._counter, self._total)
            self._counter += 1
            tier = len(tiers) - 1
            while tiers[tier][0] > offset:
                tier -= 1
            start, combinations, permutation = tiers[tier]
            number = permutation(offset - start)
            if (tier, number) not in self._reserved:
                template, variant, brand, size = combinations.decode(number)
                return template, variant, brand, size, lap


def _charm_price(raw_cents: int) -> int:
    """Round to a shelf-looking price ending in 5 or 9 cents, within bounds."""
    cents = (raw_cents + 2) // 5 * 5
    if cents % 10 == 0:
        cents -= 1
    return min(max(cents, _MIN_PRICE_CENTS), _MAX_PRICE_CENTS)


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def generate_catalog(n_products: int, *, seed: int = 2026) -> Iterator[ProductRow]:
    """Yield ``n_products`` products, deterministically for a given ``seed``.

    Row ``k`` depends only on ``k`` and ``seed``: ``generate_catalog(n)`` is a
    prefix of ``generate_catalog(m)`` for ``n <= m``.  Memory use is bounded
    (barcodes and names come from bijective scrambles of counters), so a
    million rows can be streamed.
    """
    if isinstance(n_products, bool) or not isinstance(n_products, int):
        raise TypeError(f"n_products must be an int, got {type(n_products).__name__}")
    if not 0 <= n_products <= MAX_PRODUCTS:
        raise ValueError(f"n_products must be in 0..{MAX_PRODUCTS}, got {n_products}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    return _generate(n_products, seed)


def _generate(n_products: int, seed: int) -> Iterator[ProductRow]:
    rng = random.Random(seed)
    scramble_rng = random.Random(f"mostrador-catalog-{seed}")
    ean13_body = _Affine(scramble_rng, 10**10)  # "84" + 10 digits
    ean8_body = _Affine(scramble_rng, 10**5)  # "84" + 5 digits
    upc_body = _Affine(scramble_rng, 10**9)  # "07" + 9 digits
    streams: dict[str, _NameStream] = {
        "unit": _NameStream(scramble_rng, (_UNIT_CORE, _UNIT_PACKS)),
        "weight": _NameStream(scramble_rng, (_WEIGHT_TEMPLATES,)),
        "price": _NameStream(scramble_rng, (_PRICE_TEMPLATES,)),
    }
    unit_stream = streams["unit"]
    weight_stream = streams["weight"]
    price_stream = streams["price"]

    # Showcase rows take fixed templates; their names are kept out of the streams.
    showcase = tuple(
        (entry, template, streams[template.measure].reserve(template, rng))
        for entry in _SHOWCASE
        for template in (_TEMPLATES_BY_BASE[entry.base],)
    )
    n_showcase = len(showcase)

    random_ = rng.random
    check = calc_check_digit
    vm_key = variable_measure_key
    product = ProductRow
    brand_factors = _BRAND_FACTORS
    weight_cut = _WEIGHT_SHARE
    price_cut = _WEIGHT_SHARE + _PRICE_SHARE

    next_item_code = 1
    ean8_issued = 0

    for index in range(n_products):
        upc = False
        second = ""
        lap = 0
        if index < n_showcase:
            entry, template, (variant_i, brand_i, size_i) = showcase[index]
            upc = entry.upc
            second = entry.second
        else:
            draw = random_()
            if draw < price_cut and next_item_code <= MAX_ITEM_CODE:
                stream = weight_stream if draw < weight_cut else price_stream
            else:
                stream = unit_stream
            template, variant_i, brand_i, size_i, lap = stream.next()

        variant = template.variants[variant_i]
        brand = template.brands[brand_i]
        size_label, size_factor = template.sizes[size_i]
        name = " ".join(filter(None, (template.base, variant, brand, size_label)))
        if lap:
            name = f"{name} (ref. {lap + 1})"

        if template.fixed_price:
            price = template.price_cents * size_factor // 1000
        else:
            jitter = 88 + int(random_() * 25)  # 88 % .. 112 %
            factor = size_factor * brand_factors.get(brand, 1000) // 1000
            price = _charm_price(template.price_cents * factor * jitter // 100_000)

        measure = template.measure
        if measure == "unit":
            if index >= n_showcase:
                upc = random_() < _UPC_SHARE
                if random_() < _SECOND_BARCODE_SHARE:
                    second = "ean8" if random_() < 0.5 else "ean13"
            if upc:
                body = f"07{upc_body(index):09d}"
            else:
                body = f"84{ean13_body(2 * index):010d}"
            first = body + check(body)
            if second == "ean8" and ean8_issued < 10**5:
                body = f"84{ean8_body(ean8_issued):05d}"
                ean8_issued += 1
                barcodes: tuple[str, ...] = (first, body + check(body))
            elif second:
                body = f"84{ean13_body(2 * index + 1):010d}"
                barcodes = (first, body + check(body))
            else:
                barcodes = (first,)
        else:
            prefix = WEIGHT_PREFIX if measure == "weight" else PRICE_PREFIX
            barcodes = (vm_key(prefix, next_item_code),)
            next_item_code += 1

        yield product(
            f"P{index + 1:07d}",
            name,
            template.category,
            template.tax_class,
            price,
            barcodes,
            measure,
        )
