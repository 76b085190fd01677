"""Desktop integration: installing the menu entry and icons, and the icon files themselves."""

from __future__ import annotations

import itertools
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgRenderer

from sipstory_desktop import APP_ID, desktop_integration
from sipstory_desktop.core.status import Light
from sipstory_desktop.desktop_integration import (
    ICON_SIZES,
    data_dir,
    desktop_entry,
    escape_value,
    exec_quote,
    install,
    installed_files,
    launcher_path,
    uninstall,
)
from sipstory_desktop.gui import icons
from sipstory_desktop.gui.icons import app_icon, checking_svg, status_svg
from sipstory_desktop.gui.lights import paint_light, paint_spinner

RESOURCES = Path(str(files("sipstory_desktop.resources")))
MAKE_ICONS = RESOURCES / "make_icons.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICO_SIZES = {16, 24, 32, 48, 64, 128, 256}
ICNS_SIZES = {
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,
    b"ic11": 32,
    b"ic12": 64,
    b"ic13": 256,
    b"ic14": 512,
}
# Files that update-desktop-database and gtk-update-icon-cache may leave: caches, not ours.
TOOL_CACHES = {"mimeinfo.cache", "icon-theme.cache"}
AWKWARD_PATHS = [
    "/opt/sipstory/bin/sipstory-desktop",
    "/home/ann/My Apps/sipstory desktop/bin/sipstory-desktop",
    "/srv/$HOME/`id`/a\"b'c/sipstory-desktop",
    "/tmp/back\\slash/100%/sipstory-desktop",
    "/tmp/tab\there/semi;colon&(x)|y*?#~<>/sipstory-desktop",
]


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _tree(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def _desktop_groups(data: bytes) -> dict[str, dict[str, str]]:
    """A desktop file's groups and keys (values still escaped)."""
    groups: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], {})
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            assert key not in current, f"duplicate key {key}"
            current[key] = value
    return groups


def _parse_exec(value: str) -> list[str]:
    """Split an Exec value back into arguments, the way the desktop entry spec reads it:
    the string escapes first, then the quoting rules, then ``%%``."""
    unescaped = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            follow = next(chars)
            unescaped.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[follow])
        else:
            unescaped.append(char)
    text = "".join(unescaped)
    arguments: list[str] = []
    index = 0
    while index < len(text):
        if text[index] == " ":
            index += 1
            continue
        if text[index] == '"':
            index += 1
            argument = []
            while text[index] != '"':
                if text[index] == "\\":
                    index += 1
                    assert text[index] in '"`$\\', "only these may be escaped in quotes"
                argument.append(text[index])
                index += 1
            index += 1
            arguments.append("".join(argument).replace("%%", "%"))
        else:
            end = text.find(" ", index)
            end = len(text) if end < 0 else end
            argument_text = text[index:end]
            assert not set(argument_text) & set(" \t\n\"'\\><~|&;$*?#`()"), argument_text
            arguments.append(argument_text.replace("%%", "%"))
            index = end
    return arguments


def _png_size(data: bytes) -> QSize:
    assert data.startswith(PNG_SIGNATURE)
    image = QImage.fromData(data)
    assert not image.isNull()
    return image.size()


# --- install and uninstall ---------------------------------------------------------


def test_install_writes_the_entry_the_metainfo_and_every_icon(data_home: Path) -> None:
    written = install(exec_path="/opt/sipstory/bin/sipstory-desktop")

    assert written == installed_files()
    assert all(path.is_file() for path in written)
    assert _tree(data_home) - {p for p in _tree(data_home) if p.name in TOOL_CACHES} == set(written)
    assert data_home / "applications" / f"{APP_ID}.desktop" in written
    metainfo = data_home / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert metainfo.read_bytes() == (RESOURCES / f"{APP_ID}.metainfo.xml").read_bytes()
    scalable = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (RESOURCES / f"{APP_ID}.svg").read_bytes()
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o644


def test_install_puts_a_png_icon_of_every_size(data_home: Path, qapp: object) -> None:
    install()
    for size in ICON_SIZES:
        png = data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png.read_bytes()) == QSize(size, size)


@pytest.mark.parametrize("exec_path", AWKWARD_PATHS)
def test_exec_is_rewritten_to_the_launcher_and_quoted(data_home: Path, exec_path: str) -> None:
    install(exec_path=exec_path)
    data = (data_home / "applications" / f"{APP_ID}.desktop").read_bytes()
    groups = _desktop_groups(data)

    assert _parse_exec(groups["Desktop Entry"]["Exec"]) == [exec_path]
    assert _parse_exec(groups["Desktop Action demo"]["Exec"]) == [exec_path, "--demo"]
    assert groups["Desktop Entry"]["TryExec"] == escape_value(exec_path)
    # Everything else is as shipped.
    shipped = _desktop_groups((RESOURCES / f"{APP_ID}.desktop").read_bytes())
    for group, keys in shipped.items():
        for key, value in keys.items():
            if key != "Exec":
                assert groups[group][key] == value


@pytest.mark.parametrize(
    ("argument", "quoted"),
    [
        ("/usr/bin/sipstory-desktop", "/usr/bin/sipstory-desktop"),
        ("/opt/My Apps/sipstory-desktop", '"/opt/My Apps/sipstory-desktop"'),
        ("/a$b", '"/a\\$b"'),
        ("/a`b", '"/a\\`b"'),
        ('/a"b', '"/a\\"b"'),
        ("/a\\b", '"/a\\\\b"'),
        ("/a'b", '"/a\'b"'),
        ("/100%", "/100%%"),
        ("", '""'),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(argument: str, quoted: str) -> None:
    assert exec_quote(argument) == quoted


def test_the_spec_examples_of_backslash_and_dollar_in_a_quoted_argument() -> None:
    # "to unambiguously represent a literal backslash character in a quoted argument in a
    # desktop entry file requires the use of four successive backslash characters";
    # a literal dollar sign is ("\\$").
    assert escape_value(exec_quote("/a b\\c")) == '"/a b\\\\\\\\c"'
    assert escape_value(exec_quote("/a b$c")) == '"/a b\\\\$c"'


def test_without_an_exec_path_the_entry_is_installed_as_shipped(data_home: Path) -> None:
    install()
    installed = (data_home / "applications" / f"{APP_ID}.desktop").read_bytes()
    assert installed == (RESOURCES / f"{APP_ID}.desktop").read_bytes()
    assert desktop_entry() == installed
    assert "TryExec" not in _desktop_groups(installed)["Desktop Entry"]


def test_a_relative_exec_path_gets_no_try_exec() -> None:
    groups = _desktop_groups(desktop_entry("sipstory-desktop"))
    assert groups["Desktop Entry"]["Exec"] == "sipstory-desktop"
    assert "TryExec" not in groups["Desktop Entry"]


def test_uninstall_removes_exactly_what_install_wrote(data_home: Path) -> None:
    others = [
        data_home / "applications" / "org.example.Other.desktop",
        data_home / "metainfo" / "org.example.Other.metainfo.xml",
        data_home / "icons" / "hicolor" / "48x48" / "apps" / "org.example.Other.png",
        data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}-symbolic.svg",
        data_home / "unrelated.txt",
    ]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.name)

    written = install(exec_path="/opt/sipstory/bin/sipstory-desktop")
    removed = uninstall()

    assert removed == written
    assert not any(path.exists() for path in written)
    left = {path for path in _tree(data_home) if path.name not in TOOL_CACHES}
    assert left == set(others)
    assert all(path.read_text() == path.name for path in others)
    assert uninstall() == []


def test_prefix_installs_under_prefix_share(data_home: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "stage" / "usr"
    written = install(prefix=prefix)
    assert data_dir(prefix) == prefix / "share"
    assert all(path.is_relative_to(prefix / "share") for path in written)
    assert (prefix / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    assert not data_home.exists()
    assert uninstall(prefix=prefix) == written


def test_the_data_dir_is_xdg_data_home_else_local_share(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert data_dir() == tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")  # invalid: the spec says ignore it
    assert data_dir() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert data_dir() == tmp_path / ".local" / "share"


def _fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exit_code: int) -> Path:
    """update-desktop-database and gtk-update-icon-cache stand-ins that log their arguments."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    log = tmp_path / "tools.log"
    for name in ("update-desktop-database", "gtk-update-icon-cache"):
        tool = bin_dir / name
        tool.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit {exit_code}\n')
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return log


def test_caches_are_refreshed_and_failing_tools_are_no_error(
    data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _fake_tools(tmp_path, monkeypatch, exit_code=1)
    theme = data_home / "icons" / "hicolor"
    theme.mkdir(parents=True)
    (theme / "index.theme").write_text("[Icon Theme]\nName=Hicolor\nDirectories=\n")

    assert len(install()) == len(installed_files())
    calls = log.read_text().splitlines()
    assert f"update-desktop-database -q {data_home / 'applications'}" in calls
    assert f"gtk-update-icon-cache -q -f -t {theme}" in calls

    log.unlink()
    assert len(uninstall()) == len(installed_files())
    assert len(log.read_text().splitlines()) == 2


def test_no_icon_cache_is_made_where_the_theme_dir_has_none(
    data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _fake_tools(tmp_path, monkeypatch, exit_code=0)
    install()
    assert [line.split()[0] for line in log.read_text().splitlines()] == ["update-desktop-database"]


def test_missing_tools_are_skipped(data_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert len(install()) == len(installed_files())
    assert len(uninstall()) == len(installed_files())


# --- finding the launcher ------------------------------------------------------------


def test_the_launcher_is_the_script_beside_this_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "sipstory-desktop"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", "")
    assert launcher_path() == str(script)


def test_the_launcher_is_found_on_path_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = elsewhere / "sipstory-desktop"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(elsewhere))
    assert launcher_path() == str(script)
    monkeypatch.setenv("PATH", "")
    assert launcher_path() is None


def test_the_launcher_of_a_frozen_app_is_its_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Sipstory Desktop/sipstory-desktop")
    monkeypatch.delenv("APPIMAGE", raising=False)
    assert launcher_path() == "/opt/Sipstory Desktop/sipstory-desktop"
    monkeypatch.setenv("APPIMAGE", "/home/ann/Apps/Sipstory_Desktop-x86_64.AppImage")
    assert launcher_path() == "/home/ann/Apps/Sipstory_Desktop-x86_64.AppImage"


# --- the command -----------------------------------------------------------------------


def test_main_installs_and_uninstalls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    prefix = tmp_path / "prefix"
    launcher = "/opt/sipstory/bin/sipstory-desktop"
    assert desktop_integration.main(["install", "--prefix", str(prefix), "--exec", launcher]) == 0
    out = capsys.readouterr().out
    assert out.count("installed ") == len(installed_files(prefix))
    entry = _desktop_groups((prefix / "share" / "applications" / f"{APP_ID}.desktop").read_bytes())
    assert entry["Desktop Entry"]["Exec"] == launcher

    assert desktop_integration.main(["uninstall", "--prefix", str(prefix)]) == 0
    assert capsys.readouterr().out.count("removed ") == len(installed_files(prefix))
    assert not any(path.exists() for path in installed_files(prefix))
    assert desktop_integration.main(["uninstall", "--prefix", str(prefix)]) == 0
    assert "nothing to remove" in capsys.readouterr().out
    assert not data_home.exists()


def test_main_needs_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        desktop_integration.main([])
    assert exit_info.value.code == 2


def test_runs_as_a_module_without_importing_qt(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    code = (
        "import sys\n"
        "from sipstory_desktop import desktop_integration\n"
        f"code = desktop_integration.main(['install', '--prefix', {str(prefix)!r}])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
        "sys.exit(code)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert all(path.is_file() for path in installed_files(prefix))
    command = [sys.executable, "-m", "sipstory_desktop.desktop_integration", "uninstall"]
    module = subprocess.run(
        [*command, "--prefix", str(prefix)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert module.stdout.count("removed ") == len(installed_files(prefix))


# --- the generated icon files -------------------------------------------------------


def test_the_hicolor_pngs_have_their_sizes_and_a_transparent_corner(qapp: object) -> None:
    for size in ICON_SIZES:
        png = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        image = QImage.fromData(png.read_bytes())
        assert image.size() == QSize(size, size), png
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded plate leaves the corner
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_the_ico_container_parses(qapp: object) -> None:
    data = (RESOURCES / "icons" / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    assert count == len(ICO_SIZES)
    sizes = set()
    end = 6 + 16 * count
    for index in range(count):
        width, height, colours, zero, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        size = width or 256
        assert (height or 256) == size
        assert (colours, zero, planes, bits) == (0, 0, 1, 32)
        assert offset == end, "entries follow the directory and each other"
        png = data[offset : offset + length]
        assert len(png) == length
        assert _png_size(png) == QSize(size, size)
        sizes.add(size)
        end = offset + length
    assert end == len(data)
    assert sizes == ICO_SIZES


def test_the_icns_container_parses(qapp: object) -> None:
    data = (RESOURCES / "icons" / f"{APP_ID}.icns").read_bytes()
    magic, total = struct.unpack_from(">4sI", data, 0)
    assert magic == b"icns"
    assert total == len(data)
    seen = {}
    offset = 8
    while offset < total:
        kind, length = struct.unpack_from(">4sI", data, offset)
        assert length > 8
        assert offset + length <= total
        seen[kind] = _png_size(data[offset + 8 : offset + length])
        offset += length
    assert offset == total
    assert seen == {kind: QSize(size, size) for kind, size in ICNS_SIZES.items()}


def _images_equal_enough(first: bytes, second: bytes) -> bool:
    """Same size, and no channel of any pixel more than a few steps apart (another Qt
    version may antialias an edge a little differently)."""
    one = QImage.fromData(first).convertToFormat(QImage.Format.Format_ARGB32)
    two = QImage.fromData(second).convertToFormat(QImage.Format.Format_ARGB32)
    if one.size() != two.size():
        return False
    pixels_one, pixels_two = bytes(one.constBits()), bytes(two.constBits())
    return (
        pixels_one == pixels_two
        or max(abs(a - b) for a, b in zip(pixels_one, pixels_two, strict=True)) <= 24
    )


def test_make_icons_is_idempotent_and_the_committed_files_are_current(
    tmp_path: Path, qapp: object
) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, str(MAKE_ICONS), "--out", str(out)]
    first = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert first.returncode == 0, first.stderr
    made = {path.relative_to(out): path.read_bytes() for path in _tree(out)}
    second = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert second.returncode == 0, second.stderr
    assert {path.relative_to(out): path.read_bytes() for path in _tree(out)} == made
    assert "wrote" not in second.stdout
    assert second.stdout.count("unchanged") == len(made)

    expected = {
        *(Path(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png") for n in ICON_SIZES),
        Path(f"icons/{APP_ID}.ico"),
        Path(f"icons/{APP_ID}.icns"),
        *(Path(f"status/{name}.svg") for name in ("green", "amber", "red", "grey", "checking")),
    }
    assert set(made) == expected
    # What is committed is what the script makes from the committed SVG.
    for relative, data in made.items():
        committed = (RESOURCES / relative).read_bytes()
        if relative.suffix == ".png":
            assert _images_equal_enough(committed, data), f"run make_icons.py: {relative}"
        elif relative.suffix == ".svg":
            assert committed == data, f"run make_icons.py: {relative}"


# --- icons.py ---------------------------------------------------------------------------


def test_app_icon_has_every_size(qapp: object) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert {QSize(n, n) for n in ICON_SIZES} <= set(icon.availableSizes())
    assert icon.pixmap(QSize(48, 48)).size() == QSize(48, 48)


def test_app_icon_falls_back_to_the_svg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    shutil.copy(RESOURCES / f"{APP_ID}.svg", tmp_path)
    monkeypatch.setattr(icons, "_resources", lambda: tmp_path)
    icon = app_icon()
    assert {QSize(n, n) for n in ICON_SIZES} <= set(icon.availableSizes())
    image = icon.pixmap(QSize(64, 64)).toImage()
    assert image.pixelColor(32, 32).alpha() == 255


Paint = Callable[[QPainter, QRectF], None]


def _render_on_white(paint: Paint, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint(painter, QRectF(0, 0, size, size))
    finally:
        painter.end()
    return image


def _mean_difference(one: QImage, two: QImage) -> float:
    total = 0
    for y, x in itertools.product(range(one.height()), range(one.width())):
        a, b = one.pixelColor(x, y), two.pixelColor(x, y)
        total += max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))
    return total / (one.width() * one.height())


def _svg_painter(svg: bytes) -> Paint:
    renderer = QSvgRenderer(QByteArray(svg))
    assert renderer.isValid()

    def paint(painter: QPainter, rect: QRectF) -> None:
        renderer.render(painter, rect)

    return paint


def _light_painter(light: Light, palette: QPalette) -> Paint:
    def paint(painter: QPainter, rect: QRectF) -> None:
        paint_light(painter, rect, light, palette)

    return paint


def test_status_svgs_render_differ_and_match_the_painted_lights(qapp: object) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#308cc6"))
    size = 64
    rendered = {}
    for light in Light:
        svg = _render_on_white(_svg_painter(status_svg(light)), size)
        painted = _render_on_white(_light_painter(light, palette), size)
        assert _mean_difference(svg, painted) < 2.0, light
        rendered[light.value] = svg
    spinner = _render_on_white(_svg_painter(checking_svg()), size)
    painted_spinner = _render_on_white(
        lambda painter, rect: paint_spinner(painter, rect, 0, palette), size
    )
    assert _mean_difference(spinner, painted_spinner) < 2.0
    rendered["checking"] = spinner

    for (one, first), (two, second) in itertools.combinations(rendered.items(), 2):
        assert _mean_difference(first, second) > 10.0, (one, two)


def test_status_svgs_are_plain_svg(qapp: object) -> None:
    for light in Light:
        svg = status_svg(light)
        assert svg.startswith(b"<?xml")
        assert b"<svg" in svg
        for unsupported in (b"<filter", b"<mask", b"<style", b"<foreignObject"):
            assert unsupported not in svg
    app_svg = (RESOURCES / f"{APP_ID}.svg").read_bytes()
    for unsupported in (b"<filter", b"<mask", b"<style", b"<clipPath", b"<foreignObject"):
        assert unsupported not in app_svg
