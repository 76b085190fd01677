"""The frozen bundle from packaging/build.sh, as users get it.

Runs when SIPSTORY_BUNDLE names the bundle directory (CI builds it and sets it); without
it these tests are skipped with a hint. Frozen sipstory-keys stores a key in the real
Secret Service and checks it against a local server; frozen sipstory-desktop --demo opens
its window on a real X server and quits with Ctrl+Q.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from pathlib import Path

import pytest

from sipstory_desktop import __version__
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.real_parts import launch_and_quit, read_all_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bundle() -> Path:
    location = os.environ.get("SIPSTORY_BUNDLE")
    if not location:
        pytest.skip("no bundle: build it with packaging/build.sh and set SIPSTORY_BUNDLE")
    path = Path(location).resolve()
    if not (path / "sipstory-desktop").is_file() or not (path / "sipstory-keys").is_file():
        pytest.fail(f"SIPSTORY_BUNDLE={location} holds no sipstory-desktop and sipstory-keys")
    return path


def test_frozen_cli_stores_a_key_in_the_secret_service_and_checks_it(
    bundle: Path, secret_service: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = {**os.environ, **secret_service, "SIPSTORY_DESKTOP_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    keys = str(bundle / "sipstory-keys")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [keys, *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"sipstory-keys {__version__}"

    key = secrets.token_hex(32)
    with SipstoryTestServer() as server:
        server.add_key(key)
        added = run("add", "Frozen", "--base-url", server.api_base, stdin=key + "\n")
        assert added.returncode == 0, added.stderr
        assert "GNOME Keyring (Secret Service)" in added.stdout
        checked = run("check", "--json")
        assert checked.returncode == 0, checked.stderr
        [result] = json.loads(checked.stdout)
        assert result["status"] == "connected"
        used = run(  # the key in a command's environment, masked in its output
            "run", "Frozen", "--check", "--", "sh", "-c",
            'test "$SIPSTORY_API_URL" = "$1" && echo "key $SIPSTORY_API_KEY"; exit 7',
            "sh", server.api_base,
        )  # fmt: skip
        assert used.returncode == 7, used.stderr
        assert used.stdout == f"key ••••{key[-4:]}\n"
        lines = run("env", "Frozen", "--shell", "fish")
        assert lines.returncode == 0 and f"set -gx SIPSTORY_API_KEY '{key}'" in lines.stdout
        removed = run("remove", "Frozen")
        assert removed.returncode == 0
    outputs = added.stdout + added.stderr + checked.stdout + checked.stderr + used.stdout
    assert key not in outputs + used.stderr
    assert key.encode() not in read_all_files(home)


def test_frozen_window_opens_on_x11_and_quits_with_ctrl_q(
    bundle: Path, x_display: str, tmp_path: Path
) -> None:
    screenshot = tmp_path / "frozen-demo.png"
    status = launch_and_quit(
        [str(bundle / "sipstory-desktop"), "--demo"], x_display, tmp_path, screenshot
    )
    assert status == 0
    assert screenshot.stat().st_size > 10_000


def test_frozen_app_installs_its_menu_entry_pointing_at_itself(
    bundle: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    app = str(bundle / "sipstory-desktop")
    done = subprocess.run(
        [app, "--install-desktop"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share" / "applications" / "tech.sipstory.Desktop.desktop"
    assert f"Exec={app}\n" in entry.read_text()
    assert (tmp_path / "share/icons/hicolor/256x256/apps/tech.sipstory.Desktop.png").is_file()
    undone = subprocess.run(
        [app, "--uninstall-desktop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert undone.returncode == 0
    assert not entry.exists()


def test_frozen_window_without_a_display_says_so(bundle: Path, tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["SIPSTORY_DESKTOP_HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [str(bundle / "sipstory-desktop")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "found no display" in done.stderr


def test_the_bundle_holds_our_translations_and_qts_for_our_languages_only(
    bundle: Path,
) -> None:
    inside = bundle / "_internal"
    ours = {p.name for p in (inside / "sipstory_desktop/resources/translations").glob("*.qm")}
    shipped = {p.name for p in (ROOT / "resources/translations").glob("*.qm")}
    assert shipped and ours == shipped
    qt = {p.name for p in inside.rglob("translations/*.qm") if "sipstory_desktop" not in p.parts}
    # Qt's standard buttons in our languages; not every Qt module's every language.
    languages = {name.removesuffix(".qm").rsplit("_", 1)[1] for name in shipped}
    assert qt == {f"qtbase_{language}.qm" for language in languages} & _qt_translations()


def test_frozen_window_speaks_the_system_language(
    bundle: Path, x_display: str, tmp_path: Path
) -> None:
    """LANGUAGE=de: the frozen app finds our German and Qt's (logged at start)."""
    german = {"LANGUAGE": "de", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"}
    german["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # no real keys
    screenshot = tmp_path / "frozen-german.png"
    status = launch_and_quit(
        [str(bundle / "sipstory-desktop")], x_display, tmp_path, screenshot, german
    )
    assert status == 0
    log = (tmp_path / "home" / "logs" / "sipstory-desktop.log").read_text()
    assert "translations: qtbase_de.qm, sipstory_desktop_de.qm" in log


def _qt_translations() -> set[str]:
    import PySide6

    return {p.name for p in (Path(PySide6.__file__).parent / "Qt" / "translations").glob("*.qm")}
