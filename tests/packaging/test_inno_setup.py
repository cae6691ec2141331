"""The Windows installer script (Inno Setup), which cannot be built here: parsed, and checked
for a per-machine install, a silent install that provisions the register from the command
line, and a Start menu entry."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from pos_app.cli import build_parser

ISS = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "mostrador.iss"


def sections(text: str) -> dict[str, list[str]]:
    """The script's lines by section, comments and preprocessor lines left out."""
    found: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#", "//")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            found.setdefault(current, [])
        else:
            found.setdefault(current, []).append(line)
    return found


def directives(lines: list[str]) -> dict[str, str]:
    """[Setup]: ``Key=Value`` lines."""
    return dict(line.split("=", 1) for line in lines)


def entry(line: str) -> dict[str, str]:
    """An entry of [Files], [Icons], [Run]: ``Name: "value"; Flags: a b`` ("" is a quote)."""
    params: dict[str, str] = {}
    for match in re.finditer(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)\s*(?:;|$)', line):
        value = match.group(2).strip()
        if value.startswith('"'):
            value = value[1:-1].replace('""', '"')
        params[match.group(1)] = value
    return params


def test_the_installer_installs_per_machine():
    parsed = sections(ISS.read_text(encoding="utf-8"))
    setup = directives(parsed["Setup"])
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # no per-user fallback
    files = [entry(line) for line in parsed["Files"]]
    assert any(
        f["Source"].endswith("dist\\mostrador\\*") and f["DestDir"] == "{app}" for f in files
    )


def test_the_start_menu_opens_the_register():
    parsed = sections(ISS.read_text(encoding="utf-8"))
    icons = [entry(line) for line in parsed["Icons"]]
    menu = [i for i in icons if i["Name"].startswith(("{group}\\", "{autoprograms}\\"))]
    assert menu, icons
    assert menu[0]["Filename"] == "{app}\\mostrador.exe"
    assert menu[0].get("Parameters") == "run"


def test_a_silent_install_provisions_the_register_from_its_command_line():
    parsed = sections(ISS.read_text(encoding="utf-8"))
    runs = [entry(line) for line in parsed["Run"]]
    provision = [r for r in runs if r.get("Parameters", "").startswith("provision ")]
    assert len(provision) == 1, runs
    step = provision[0]
    assert step["Filename"] == "{app}\\mostrador-cli.exe"
    flags = step["Flags"].split()
    assert "waituntilterminated" in flags and "skipifsilent" not in flags
    assert "postinstall" not in flags  # runs in silent installs too, without asking
    # The parameters, with what IT passes as /BACKEND= /STORE= /REGISTER= /ENROLLMENTCODE=,
    # are a command line the register's own parser accepts.
    given = {
        "BACKEND": "https://central.example:8765",
        "STORE": "T01",
        "REGISTER": "Caja 1",
        "ENROLLMENTCODE": "K7P2-9QXM",
    }
    command = step["Parameters"]
    for name, value in given.items():
        assert f"{{param:{name}}}" in command
        command = command.replace(f"{{param:{name}}}", value)
    args = build_parser().parse_args(shlex.split(command))
    assert args.command == "provision"
    assert (args.backend, args.store, args.register, args.enrollment_code) == (
        given["BACKEND"],
        given["STORE"],
        given["REGISTER"],
        given["ENROLLMENTCODE"],
    )
    code = "\n".join(parsed["Code"])
    assert step["Check"] in code and "{param:BACKEND|}" in code
