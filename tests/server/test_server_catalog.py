"""Catalog import through the CLI: JSON, JSON Lines and CSV; all or nothing; only changes sent."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from stdnum import ean

from pos_app.storage.catalog_loader import product_id_for_sku as register_product_id
from sync.server.cli import main
from sync.server.services.catalog import product_id_for_sku
from sync.server.tables import barcodes, categories, change_log, products, tax_rates


def ean13(digits: str) -> str:
    return digits + ean.calc_check_digit(digits)


COFFEE, MILK, SOAP = ean13("841000000001"), ean13("841000000002"), ean13("841000000003")
UPC = ean13("03600029145")  # a UPC-A, stored as the EAN-13 with a leading zero
TOMATO_KEY = ean13("211234500000")  # a scale item: value digits zero
REFERENCE = {
    "tax_rates": [
        {"tax_class": "IVA21", "name": "IVA general", "rate": "21", "valid_from": "2012-09-01"},
        {"code": "IVA4", "name": "IVA superreducido", "rate": 4, "valid_from": "1995-01-01"},
    ],
    "categories": [{"code": "ALIM", "name": "Alimentación"}, {"code": "DROG", "name": "Droguería"}],
}


def product(sku, *codes, price=100, category="ALIM", tax="IVA4", **extra):
    return {
        "sku": sku,
        "name": f"Producto {sku}",
        "category": category,
        "tax_class": tax,
        "price_cents": price,
        "barcodes": list(codes),
        **extra,
    }


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def counts(database):
    with database.reading() as conn:
        return {
            table.name: len(conn.execute(select(table)).all())
            for table in (tax_rates, categories, products, barcodes, change_log)
        }


def test_a_json_catalog_is_imported_and_only_changes_are_logged(
    database, database_url, tmp_path, capsys
):
    path = tmp_path / "catalog.json"
    catalog = {
        **REFERENCE,
        "products": [
            product("P1", COFFEE, price=349),
            product("P2", MILK, UPC),
            product("P3", TOMATO_KEY, measure="weight"),
            product("P4", SOAP, category="DROG", tax="IVA21", price=None),
        ],
    }
    catalog["products"][3].pop("price_cents")
    catalog["products"][3]["price"] = "12,10"
    path.write_text(json.dumps(catalog, indent=2, ensure_ascii=False), encoding="utf-8")

    code, out, err = run(capsys, "import-catalog", "--file", str(path), "--database", database_url)
    assert code == 0, err
    assert "imported 4 products (4 new, 0 changed, 0 unchanged)" in out
    assert counts(database) == {
        "tax_rates": 2,
        "categories": 2,
        "products": 4,
        "barcodes": 5,
        "change_log": 8,
    }
    with database.reading() as conn:
        stored = dict(conn.execute(select(barcodes.c.code, products.c.sku).join(products)).all())
        prices = dict(conn.execute(select(products.c.sku, products.c.price_cents)).all())
        rate = conn.execute(
            select(tax_rates.c.rate).where(tax_rates.c.tax_class == "IVA4")
        ).scalar()
    assert stored["0" + UPC] == "P2"
    assert stored[TOMATO_KEY] == "P3"
    assert prices == {"P1": 349, "P2": 100, "P3": 100, "P4": 1210}
    assert rate == "4"

    code, out, _ = run(capsys, "import-catalog", "--file", str(path), "--database", database_url)
    assert code == 0
    assert "(0 new, 0 changed, 4 unchanged)" in out
    assert "0 changes" in out
    assert counts(database)["change_log"] == 8

    catalog["products"][0]["price_cents"] = 399
    path.write_text(json.dumps(catalog), encoding="utf-8")
    code, out, _ = run(capsys, "import-catalog", "--file", str(path), "--database", database_url)
    assert "(0 new, 1 changed, 3 unchanged)" in out
    assert counts(database)["change_log"] == 9
    with database.reading() as conn:
        last = conn.execute(select(change_log).order_by(change_log.c.seq.desc())).first()
    assert last.key == product_id_for_sku("P1")
    assert json.loads(last.data)["price_cents"] == 399


def test_product_ids_are_the_registers(database):
    for sku in ("P0000001", "ABC-12", "ñandú"):
        assert product_id_for_sku(sku) == register_product_id(sku)


def test_a_jsonl_catalog_may_refer_to_what_comes_later(database, database_url, tmp_path, capsys):
    lines = [
        {"kind": "product", **product("P1", COFFEE, category="BEB")},
        {"kind": "category", "code": "BEB", "name": "Bebidas"},
        {"kind": "product", **product("P2", MILK, category=None, tax="IVA10", active=False)},
        {"kind": "tax_rate", "tax_class": "IVA10", "rate": "10", "valid_from": "2012-09-01"},
        {"kind": "tax_rate", "tax_class": "IVA4", "rate": "4", "valid_from": "1995-01-01"},
    ]
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    code, out, err = run(capsys, "import-catalog", "--file", str(path), "--database", database_url)
    assert code == 0, err
    assert "imported 2 products" in out
    with database.reading() as conn:
        active = dict(conn.execute(select(products.c.sku, products.c.active)).all())
    assert active == {"P1": True, "P2": False}


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_catalog_is_imported(database, database_url, tmp_path, capsys, delimiter):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(REFERENCE), encoding="utf-8")
    assert run(capsys, "import-catalog", "--file", str(path), "--database", database_url)[0] == 0
    rows = [
        ["sku", "name", "category", "tax_class", "price", "measure", "barcodes"],
        ["P1", "Café, molido", "ALIM", "IVA4", "3,49", "unit", f"{COFFEE}|{UPC}"],
        ["P2", "Leche", "ALIM", "IVA4", "0.99", "", MILK],
        ["P3", "Tomate", "", "IVA4", "2,99", "weight", ""],
    ]
    text = "\n".join(
        delimiter.join(f'"{cell}"' if delimiter in cell or "," in cell else cell for cell in row)
        for row in rows
    )
    csv_path = tmp_path / "catalog.csv"
    csv_path.write_text("\ufeff" + text + "\n", encoding="utf-8")
    code, out, err = run(
        capsys, "import-catalog", "--file", str(csv_path), "--database", database_url
    )
    assert code == 0, err
    assert "imported 3 products (3 new" in out
    with database.reading() as conn:
        got = {
            r.sku: (r.name, r.category, r.price_cents, r.measure)
            for r in conn.execute(select(products))
        }
        codes = dict(conn.execute(select(barcodes.c.code, barcodes.c.product_id)).all())
    assert got == {
        "P1": ("Café, molido", "ALIM", 349, "unit"),
        "P2": ("Leche", "ALIM", 99, "unit"),
        "P3": ("Tomate", None, 299, "weight"),
    }
    assert codes == {
        COFFEE: product_id_for_sku("P1"),
        "0" + UPC: product_id_for_sku("P1"),
        MILK: product_id_for_sku("P2"),
    }


BAD_FILES = {
    "bad-barcode.json": (
        lambda: "\n".join(
            [
                f'{{"tax_rates": {json.dumps(REFERENCE["tax_rates"])},',
                f'"categories": {json.dumps(REFERENCE["categories"])},',
                '"products": [',
                json.dumps(product("P1", COFFEE)) + ",",
                json.dumps(product("P2", COFFEE[:-1] + "0")),
                "]}",
            ]
        ),
        ["line 5: product: barcode", "(check_digit)"],
    ),
    "references.json": (
        lambda: json.dumps(
            {
                **REFERENCE,
                "products": [
                    product("P1", category="NOPE"),
                    product("P2", tax="IVA99"),
                    product("P1", MILK),
                    {"sku": "P4", "name": "x", "tax_class": "IVA4"},
                    product("P5", MILK),
                ],
            }
        ),
        [
            "SKU P1 is repeated",
            "price is missing",
            f"barcode {MILK} is also on an earlier line",
            "unknown category 'NOPE'",
            "unknown tax class 'IVA99'",
        ],
    ),
    "syntax.json": (
        lambda: '{"products": [\n' + json.dumps(product("P1")) + ",\n{oops}\n]}",
        ["line 3: not valid JSON"],
    ),
    "section.json": (lambda: '{"productos": []}', ["line 1: unknown section 'productos'"]),
    "nul.jsonl": (
        lambda: json.dumps({"kind": "product", **product("P1", name="Caf\u00e9\u0000")}),
        ["line 1: product: name holds a character that cannot be stored"],
    ),
    "lines.jsonl": (
        lambda: "\n".join(
            [
                json.dumps({"kind": "product", **product("P1", tax="IVA21")}),
                "{not json",
                json.dumps({"kind": "recipe", "sku": "x"}),
                json.dumps({"kind": "tax_rate", "tax_class": "IVA21", "rate": "121"}),
            ]
        ),
        ["line 2: not valid JSON", 'line 3: "kind" must be', "line 4: tax rate: rate"],
    ),
    "header.csv": (lambda: "sku,nombre,price\nP1,x,1\n", ["line 1: bad header", "unknown nombre"]),
    "rows.csv": (
        lambda: (
            "sku,name,tax_class,price,barcodes\n"
            'P1,Uno,IVA4,"12,345",\n'
            "P2,Dos,IVA4\n"
            "P3,Tres,IVA4,1,123\n"
            "P4,Cuatro,IVA4,1,\n"
        ),
        [
            "line 2: product: price '12,345' is not an amount",
            "line 3: 3 fields where the header has 5",
            "line 4: product: barcode '123' is not valid (length)",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_catalog_with_bad_rows_is_refused_whole_with_line_numbers(
    database, database_url, tmp_path, capsys, name
):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({**REFERENCE, "products": [product("P0", SOAP)]}), encoding="utf-8")
    assert run(capsys, "import-catalog", "--file", str(good), "--database", database_url)[0] == 0
    before = counts(database)

    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(content(), encoding="utf-8")
    code, out, err = run(capsys, "import-catalog", "--file", str(path), "--database", database_url)
    assert code == 2
    assert out == ""
    for fragment in expected:
        assert fragment in err, (fragment, err)
    assert err.strip().splitlines()[-1].startswith("mostrador-server: error: the catalog was not")
    assert "Traceback" not in err
    assert counts(database) == before  # nothing applied, nothing logged


def test_a_barcode_moves_only_with_the_product_that_had_it(
    database, database_url, tmp_path, capsys
):
    path = tmp_path / "catalog.json"
    path.write_text(
        json.dumps({**REFERENCE, "products": [product("P1", COFFEE), product("P2", MILK)]}),
        encoding="utf-8",
    )
    assert run(capsys, "import-catalog", "--file", str(path), "--database", database_url)[0] == 0

    path.write_text(json.dumps({"products": [product("P3", COFFEE)]}), encoding="utf-8")
    code, _, err = run(capsys, "import-catalog", "--file", str(path), "--database", database_url)
    assert code == 2
    assert f"barcode {COFFEE} belongs to product P1, which this file does not change" in err

    # The product that had it comes after the one taking it: the move works in any order.
    path.write_text(
        json.dumps({"products": [product("P3", COFFEE), product("P1")]}), encoding="utf-8"
    )
    code, out, err = run(
        capsys,
        "import-catalog",
        "--file",
        str(path),
        "--database",
        database_url,
        "--batch-size",
        "1",
    )
    assert code == 0, err
    with database.reading() as conn:
        owner = conn.execute(
            select(barcodes.c.product_id).where(barcodes.c.code == COFFEE)
        ).scalar()
        logged = [json.loads(d) for d in conn.execute(select(change_log.c.data)).scalars()]
    assert owner == product_id_for_sku("P3")
    latest = {d["sku"]: d["barcodes"] for d in logged if "sku" in d}
    assert latest["P3"] == [COFFEE] and latest["P1"] == []


def test_a_big_file_is_streamed_in_batches(database, database_url, tmp_path, capsys):
    n = 2_500
    path = tmp_path / "big.json"
    items = [
        product(f"P{i:07d}", ean13(f"84{i:010d}"), price=100 + i, notes="x" * 50) for i in range(n)
    ]
    items[7]["notes"] = "y" * 200_000  # far longer than a read: the reader grows its buffer
    path.write_text(json.dumps({"products": items, **REFERENCE}), encoding="utf-8")
    code, out, err = run(
        capsys,
        "import-catalog",
        "--file",
        str(path),
        "--database",
        database_url,
        "--batch-size",
        "1000",
    )
    assert code == 0, err
    assert f"imported {n} products ({n} new" in out
    with database.reading() as conn:
        seqs = list(conn.execute(select(change_log.c.seq).order_by(change_log.c.seq)).scalars())
    assert seqs == list(range(1, n + 5))  # 2 tax rates + 2 categories + the products


def test_a_missing_file_or_unknown_format_is_one_line(database_url, tmp_path, capsys):
    code, _, err = run(
        capsys, "import-catalog", "--file", str(tmp_path / "none.json"), "--database", database_url
    )
    assert (code, err) == (2, f"mostrador-server: error: no such file: {tmp_path / 'none.json'}\n")
    other = tmp_path / "catalog.xml"
    other.write_text("<x/>", encoding="utf-8")
    code, _, err = run(capsys, "import-catalog", "--file", str(other), "--database", database_url)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "name it .json, .jsonl or .csv" in err


@pytest.mark.parametrize(
    "code",
    ["(01)08412345678905", "]E08412345678905", "010841234567890517261231", "84123456789 05"],
)
def test_scanner_syntax_is_not_a_catalog_barcode(code: str) -> None:
    """GS1 element strings, AIM prefixes and long digit runs are read at the till only."""
    from sync.server.services.catalog import _Bad, _barcodes

    with pytest.raises(_Bad, match="is not valid"):
        _barcodes({"barcodes": [code]}, from_csv=False, validate=True)
