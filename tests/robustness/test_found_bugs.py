"""Bugs the robustness tests found, each pinned by a test that fails until it is fixed.

Each test is ``xfail(strict=True)``: it fails today (so the suite stays green) and turns
into an XPASS error once the bug is fixed, as a reminder to drop the marker.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from requests.structures import CaseInsensitiveDict

from sipstory_desktop.core.classify import classify_answer
from sipstory_desktop.core.client import Answer
from sipstory_desktop.core.config import ConfigError, ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.fileio import backup_path
from sipstory_desktop.core.find_url import classify_probe
from sipstory_desktop.core.paths import AppPaths

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
BASE = "https://sipstory.example.com/api/public/v1"

# --- a damaged config beside a backup written by a newer version ------------------------------

NEWER_BACKUP_BUG = (
    "BUG: ConfigStore._recover_locked sets the damaged config aside before _read_backup "
    "parses the backup, whose newer schema raises ConfigError ('It was left untouched'): "
    "config.json is gone, the next load is silently empty, and later writes overwrite the "
    "newer version's backup"
)
DAMAGED = b'{"schema": 1, "entries": [{"id": "ab'
NEWER = json.dumps(
    {
        "schema": 2,
        "entries": [
            Entry(
                name="Kept", kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1"
            ).to_dict()
        ],
    }
).encode()


def _damaged_home(root: Path) -> AppPaths:
    paths = AppPaths(data_dir=root, log_dir=root / "logs")
    paths.config_file.write_bytes(DAMAGED)
    backup_path(paths.config_file).write_bytes(NEWER)
    return paths


def test_refusing_a_newer_backup_leaves_the_config_untouched_as_promised(tmp_path: Path) -> None:
    paths = _damaged_home(tmp_path)
    with pytest.raises(ConfigError, match="left untouched"):
        ConfigStore(paths).load()
    assert paths.config_file.is_file() and paths.config_file.read_bytes() == DAMAGED


def test_a_damaged_config_with_a_newer_backup_never_becomes_a_silent_empty_list(
    tmp_path: Path,
) -> None:
    paths = _damaged_home(tmp_path)
    with pytest.raises(ConfigError):
        ConfigStore(paths).load()
    store = ConfigStore(paths)
    try:
        entries = store.load()
    except ConfigError:
        entries = None  # still refused: the user is told, nothing is written
    assert entries is None or store.notices, "the second load gives [] without a word"
    if entries is not None:
        for name in ("One", "Two"):  # the user adds keys again; each write makes a backup
            extra = Entry(name=name, kind=EntryKind.CUSTOM, base_url=BASE)
            store.update(lambda current, extra=extra: [*current, extra])
    kept = [p for p in tmp_path.iterdir() if p.is_file() and p.read_bytes() == NEWER]
    assert kept, "the newer version's backup, the only whole copy of the entries, is lost"


# --- server text shown and stored as it came --------------------------------------------------

SERVER_TEXT_BUG = (
    "BUG: classify.py puts server-controlled text (the 'msg'/'message'/'error' of a 4xx "
    "body, the Location header, the Content-Type) into CheckResult.message/location "
    "unfiltered and uncut: terminal escape sequences reach `sipstory-keys check` output "
    "and state.json, and a 60 KB 'msg' is kept whole in every result (find_url and "
    "channels clean the same kind of text with _clean)"
)
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _dirty(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" or ch in _BIDI for ch in text)


def _answer(status: int, headers: dict[str, str], body: bytes) -> Answer:
    return Answer(status, CaseInsensitiveDict(headers), body, False, 5)


_JSON = {"Content-Type": "application/json"}
SERVER_TEXT_CASES = {
    "401 msg with an escape sequence": _answer(
        401, _JSON, json.dumps({"msg": "\x1b[2J\x1b[31mEVIL\x1b[0m"}).encode()
    ),
    "403 message of 60 KB": _answer(403, _JSON, json.dumps({"message": "A" * 60_000}).encode()),
    "402 error with a bidi override": _answer(
        402, _JSON, json.dumps({"error": "pay \u202eecnalab"}).encode()
    ),
    "302 Location with an escape sequence": _answer(
        302, {"Location": "https://elsewhere.example/\x1b[31mred\x1b[0m"}, b""
    ),
    "200 with an escape sequence in the content type": _answer(
        200, {"Content-Type": "text/\x1b[31mplain"}, b"OK"
    ),
}


@pytest.mark.parametrize("case", list(SERVER_TEXT_CASES))
def test_server_text_in_a_check_result_is_clean_and_short(case: str) -> None:
    result = classify_answer(SERVER_TEXT_CASES[case], BASE, now=NOW)
    for text in (result.message, result.hint, result.location or ""):
        assert not _dirty(text), "control characters from the server are kept"
        assert len(text) <= 1000, "the server's text is kept whole"


def test_the_content_type_in_a_probe_detail_is_clean() -> None:
    """``classify_probe`` cleans ``msg``, the title and the Location, not the content type."""
    _, detail = classify_probe(SERVER_TEXT_CASES["200 with an escape sequence in the content type"])
    assert not _dirty(detail)
