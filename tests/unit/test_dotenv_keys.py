"""Sipstory keys in dotenv files: found as written (quotes, export, comments, CRLF, a BOM),
other services' keys left alone, unreadable and huge files reported, and scrubbing that
changes a file only when it is still as it was read, with a 0600 backup and no key left."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from sipstory_desktop.core.dotenv_keys import (
    MAX_FILE_BYTES,
    ScrubError,
    parse_line,
    scan_file,
    scrub,
)
from sipstory_desktop.core.urls import CLOUD_BASE_URL

KEY = "5e" * 32
OTHER = "7a" * 32
BASE = "https://sipstory.example.com/api/public/v1"


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("SIPSTORY_API_KEY=abc", ("SIPSTORY_API_KEY", "abc")),
        ("export SIPSTORY_API_KEY=abc", ("SIPSTORY_API_KEY", "abc")),
        ("  SIPSTORY_API_KEY = abc  ", ("SIPSTORY_API_KEY", "abc")),
        ("SIPSTORY_API_KEY='a b#c'", ("SIPSTORY_API_KEY", "a b#c")),
        ('SIPSTORY_API_KEY="a \\"b\\" c"', ("SIPSTORY_API_KEY", 'a "b" c')),
        ("SIPSTORY_API_KEY=abc # the prod key", ("SIPSTORY_API_KEY", "abc")),
        ("SIPSTORY_API_KEY=abc#def", ("SIPSTORY_API_KEY", "abc#def")),
        ("# SIPSTORY_API_KEY=abc", None),
        ("", None),
        ("not a line", None),
    ],
)
def test_lines_are_read_as_dotenv_loaders_read_them(
    line: str, parsed: tuple[str, str] | None
) -> None:
    assert parse_line(line) == parsed


def _file(tmp_path: Path, text: str | bytes, name: str = ".env") -> Path:
    folder = tmp_path / "acme"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def test_keys_with_a_url_beside_them_crlf_bom_and_export(tmp_path: Path) -> None:
    text = (
        "\ufeff# the project's settings\r\n"
        f'export SIPSTORY_API_KEY="{KEY}"\r\n'
        f"SIPSTORY_API_URL={BASE}\r\n"
        "OPENAI_API_KEY=sk-not-ours\r\n"
        f"MYTOOL_API_KEY={OTHER}\r\n"
        f"MYTOOL_API_URL='{BASE}'\r\n"
    )
    scanned = scan_file(_file(tmp_path, text))
    assert scanned.problem == ""
    assert [(f.variable, f.key, f.base_url, f.lines) for f in scanned.found] == [
        ("SIPSTORY_API_KEY", KEY, BASE, (2,)),
        ("MYTOOL_API_KEY", OTHER, BASE, (5,)),  # any name, with a Sipstory URL beside
    ]
    assert scanned.others == 1  # OpenAI's, left alone
    assert KEY not in repr(scanned)  # a key never in a repr


def test_a_key_without_a_url_is_a_cloud_key_and_a_repeated_one_is_one_find(
    tmp_path: Path,
) -> None:
    text = f"POSTIZ_API_KEY={KEY}\n# again, for the other tool\nPOSTIZ_API_KEY={KEY}\n"
    (found,) = scan_file(_file(tmp_path, text)).found
    assert (found.base_url, found.url_variable, found.lines) == (CLOUD_BASE_URL, None, (1, 3))
    assert found.where.endswith(".env:1,3")


def test_an_empty_value_is_no_find(tmp_path: Path) -> None:
    assert scan_file(_file(tmp_path, "SIPSTORY_API_KEY=\nSIPSTORY_API_KEY=''\n")).found == ()


@pytest.mark.parametrize("kind", ["folder", "missing", "huge", "binary"])
def test_what_cannot_be_read_is_said_not_raised(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        path = tmp_path
        said = "is a folder"
    elif kind == "missing":
        path = tmp_path / "nope.env"
        said = "does not exist"
    elif kind == "huge":
        path = tmp_path / "huge.env"
        with path.open("wb") as handle:  # 50 MB, mostly a hole: cheap to make
            handle.truncate(50 * 1024 * 1024)
        said = "not a dotenv file"
    else:
        path = _file(tmp_path, b"\x00\xff\xfe" * 100 + f"\nSIPSTORY_API_KEY={KEY}\n".encode())
        said = ""
    started = time.monotonic()
    scanned = scan_file(path)
    assert time.monotonic() - started < 5  # bounded work, whatever the size
    if said:
        assert said in scanned.problem and scanned.found == ()
    else:  # unreadable bytes do not hide a key on a later line
        assert [f.key for f in scanned.found] == [KEY]
    if kind == "huge":
        assert str(MAX_FILE_BYTES // 1024) in scanned.problem


def _scrubbed(tmp_path: Path, text: str, mode: int = 0o640) -> tuple[Path, Path]:
    path = _file(tmp_path, text)
    os.chmod(path, mode)
    scanned = scan_file(path)
    backup = scrub(scanned, [(found, "Acme prod") for found in scanned.found])
    return path, backup


def test_scrub_leaves_no_key_keeps_everything_else_and_a_private_backup(tmp_path: Path) -> None:
    text = f"A=1\r\nSIPSTORY_API_KEY={KEY}\r\nSIPSTORY_API_URL={BASE}\r\nSIPSTORY_API_KEY={KEY}\r\n"
    path, backup = _scrubbed(tmp_path, text)
    after = path.read_bytes()
    assert KEY.encode() not in after
    lines = after.split(b"\r\n")
    assert lines[0] == b"A=1" and lines[2] == f"SIPSTORY_API_URL={BASE}".encode()
    assert lines[1].startswith(b"# SIPSTORY_API_KEY moved to the OS keyring")
    assert b'sipstory-keys run "Acme prod"' in lines[1] and lines[3] == lines[1]
    assert after.count(b"\r\n") == text.count("\r\n")  # the line endings kept
    assert backup == path.with_name(".env.bak")
    assert backup.read_bytes() == text.encode()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the user's file keeps its mode


def test_a_second_scrub_keeps_the_first_backup(tmp_path: Path) -> None:
    _path, first = _scrubbed(tmp_path, f"SIPSTORY_API_KEY={KEY}\n")
    _file(tmp_path, f"SIPSTORY_API_KEY={OTHER}\n")
    _path, second = _scrubbed(tmp_path, f"SIPSTORY_API_KEY={OTHER}\n")
    assert (first.name, second.name) == (".env.bak", ".env.bak.1")
    assert KEY in first.read_text() and OTHER in second.read_text()


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    path = _file(tmp_path, f"SIPSTORY_API_KEY={KEY}\n")
    scanned = scan_file(path)
    path.write_text(f"SIPSTORY_API_KEY={KEY}\nNEW=line\n")
    with pytest.raises(ScrubError, match="changed since it was read"):
        scrub(scanned, [(found, "Acme") for found in scanned.found])
    assert path.read_text() == f"SIPSTORY_API_KEY={KEY}\nNEW=line\n"
    assert not path.with_name(".env.bak").exists()


def test_a_link_is_not_scrubbed(tmp_path: Path) -> None:
    real = _file(tmp_path, f"SIPSTORY_API_KEY={KEY}\n", "real.env")
    link = real.with_name(".env")
    link.symlink_to(real)
    scanned = scan_file(link)
    assert [f.key for f in scanned.found] == [KEY]  # read through the link
    with pytest.raises(ScrubError, match="is a link to"):
        scrub(scanned, [(found, "Acme") for found in scanned.found])
    assert real.read_text() == f"SIPSTORY_API_KEY={KEY}\n" and link.is_symlink()
