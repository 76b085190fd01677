"""The GUI's translations: ``.ts`` sources made by ``pyside6-lupdate`` from sipstory_desktop/gui
(and the check results' texts of sipstory_desktop/core/messages.py),
compiled to ``.qm`` by ``pyside6-lrelease``, both in resources/translations/ (shipped in the
package and the bundle).

    python packaging/translations.py --update   # after changing GUI strings: .ts, then .qm
    python packaging/translations.py --release  # .qm from the .ts (after translating)

The ``.ts`` files hold no source locations (``-locations none``): moving code changes
nothing in them, so they only change when a string does, and merges stay small.
A pseudo-locale (every text bracketed, lengthened and accented) is made on demand by
:func:`make_pseudo_qm` for the layout test; it is never shipped.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sipstory_desktop" / "gui"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("de",)
# English is the source language: its .ts holds only the texts with plural forms
# ("%n key(s)" -> "1 key", "2 keys"); lupdate -pluralonly.
PLURAL_ONLY = ("en",)
BASENAME = "sipstory_desktop"


def ts_file(language: str) -> Path:
    return TRANSLATIONS / f"{BASENAME}_{language}.ts"


def qm_file(language: str) -> Path:
    return TRANSLATIONS / f"{BASENAME}_{language}.qm"


def tool(name: str) -> str:
    """``pyside6-lupdate`` or ``pyside6-lrelease``: next to this Python first, else on PATH."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found (it comes with PySide6)")
    return found


# The core's texts that the window translates (check results' messages and hints,
# marked with QT_TRANSLATE_NOOP): the rest of core/ says nothing to translate.
CORE_SOURCES = (ROOT / "sipstory_desktop" / "core" / "messages.py",)


def source_files(root: Path = SOURCES) -> list[str]:
    extra = CORE_SOURCES if root == SOURCES else ()
    return sorted(str(path) for path in (*root.rglob("*.py"), *extra))


def lupdate(ts: Path, language: str, *, every_message: bool = False) -> None:
    """Bring ``ts`` in line with the sources: new messages added, vanished ones dropped
    (only those with plural forms for English, unless ``every_message``)."""
    plural_only = ["-pluralonly"] if language in PLURAL_ONLY and not every_message else []
    subprocess.run(
        [tool("lupdate"), *source_files(), "-no-obsolete", "-locations", "none",
         *plural_only, "-target-language", language, "-ts", str(ts)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(
        [tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True
    )


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    translations: tuple[str, ...]  # one, or one per plural form
    unfinished: bool


def read_ts(ts: Path) -> list[Message]:
    messages = []
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314 (our own files)
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = translation.findall("numerusform")
            texts = tuple(f.text or "" for f in forms) if forms else (translation.text or "",)
            messages.append(
                Message(
                    context=name,
                    source=message.findtext("source") or "",
                    comment=message.findtext("comment") or "",
                    numerus=message.get("numerus") == "yes",
                    translations=texts,
                    unfinished=translation.get("type") in {"unfinished", "vanished", "obsolete"},
                )
            )
    return messages


# Pseudo-locale: letters swapped for accented ones, each text in [brackets] and about a
# third longer, placeholders (%1, %n, %s, {name}), tags and entities left as they are.
_ACCENTED = str.maketrans(
    "aceinouyAEINOUCYszSZ", "áçéîñöûýÁÉÎÑÖÛÇÝšžŠŽ"
)  # fmt: skip
_KEPT = re.compile(r"(<[^>]*>|&[#\w]+;|%L?\d+|%n|%[-+ #0-9.]*[sdifxr%]|\{[^}]*\}|\n)")
_FILLER = "ĥŵŷĵ"
PSEUDO_OPEN, PSEUDO_CLOSE = "[", "]"
PSEUDO_GROWTH = 0.35


def pseudo(text: str) -> str:
    """``Check all`` -> ``[Çĥéçk áll ĥŵŷ]``: what the layout test renders."""
    parts = _KEPT.split(text)
    out = "".join(part if _KEPT.fullmatch(part) else part.translate(_ACCENTED) for part in parts)
    letters = sum(len(part) for part in parts if not _KEPT.fullmatch(part))
    extra = math.ceil(letters * PSEUDO_GROWTH)
    run = (_FILLER * (extra // len(_FILLER) + 1))[:extra]
    filler = " ".join(run[i : i + 6] for i in range(0, len(run), 6))  # words, as text wraps
    return f"{PSEUDO_OPEN}{out}{' ' + filler if filler else ''}{PSEUDO_CLOSE}"


def make_pseudo_qm(directory: Path) -> Path:
    """A ``.qm`` of the pseudo-locale for every message of the sources, in ``directory``."""
    template = directory / "pseudo.ts"
    lupdate(template, "en", every_message=True)
    tree = ET.parse(template)  # noqa: S314 (made just now by lupdate)
    root = tree.getroot()
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        for form in forms or [translation]:
            form.text = pseudo(source)
        if message.get("numerus") == "yes" and len(forms) < 2:
            for _ in range(2 - len(forms)):
                ET.SubElement(translation, "numerusform").text = pseudo(source)
    tree.write(template, encoding="utf-8", xml_declaration=True)
    qm = directory / "pseudo.qm"
    lrelease(template, qm)
    return qm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="lupdate the .ts, then lrelease")
    parser.add_argument("--release", action="store_true", help="lrelease the .ts into .qm")
    args = parser.parse_args(argv)
    if not (args.update or args.release):
        parser.error("say --update or --release")
    for language in (*LANGUAGES, *PLURAL_ONLY):
        if args.update:
            lupdate(ts_file(language), language)
        lrelease(ts_file(language), qm_file(language))
        unfinished = sum(m.unfinished for m in read_ts(ts_file(language)))
        print(f"{ts_file(language).relative_to(ROOT)}: {unfinished} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
