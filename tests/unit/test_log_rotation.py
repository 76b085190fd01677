"""The window's log: rotated at start once it is over the limit, two old logs kept."""

from __future__ import annotations

from pathlib import Path

from sipstory_desktop.gui import app


def test_a_small_log_is_kept_as_it_is(tmp_path: Path):
    log = tmp_path / "sipstory-desktop.log"
    log.write_text("short\n")
    app._rotate(log)
    assert log.read_text() == "short\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sipstory-desktop.log"]


def test_a_missing_log_is_no_error(tmp_path: Path):
    app._rotate(tmp_path / "sipstory-desktop.log")
    assert list(tmp_path.iterdir()) == []


def test_a_full_log_moves_to_1_and_1_to_2_and_the_oldest_goes(tmp_path: Path):
    log = tmp_path / "sipstory-desktop.log"
    log.write_bytes(b"x" * app.LOG_MAX_BYTES)
    (tmp_path / "sipstory-desktop.log.1").write_text("older")
    (tmp_path / "sipstory-desktop.log.2").write_text("oldest")
    app._rotate(log)
    assert not log.exists()
    assert (tmp_path / "sipstory-desktop.log.1").stat().st_size == app.LOG_MAX_BYTES
    assert (tmp_path / "sipstory-desktop.log.2").read_text() == "older"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "sipstory-desktop.log.1",
        "sipstory-desktop.log.2",
    ]
