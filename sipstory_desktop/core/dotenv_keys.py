"""Sipstory keys written in dotenv files (``.env``), found so they can move to the keyring,
and the files scrubbed of them afterwards, with a backup.

A find is a ``*_API_KEY=`` line whose variable is Sipstory's (``SIPSTORY_API_KEY``, or
``POSTIZ_API_KEY`` for tools that use that name), or whose URL variable beside it
(``PREFIX_API_URL``, ``PREFIX_URL``, ...) points at a Sipstory API (``.../public/v1``).
Other services' keys are left alone, and counted. Files are read with suspicion: at most
:data:`MAX_FILE_BYTES`, a BOM and CRLF endings understood, quoted or not, ``export`` or not.
A file is changed only by :func:`scrub`, only if it is still as it was read, and only after
a backup of it is written (mode 0600).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .fileio import atomic_write
from .keys import masked
from .urls import CLOUD_BASE_URL, UrlError, normalize_base_url

MAX_FILE_BYTES = 1024 * 1024  # a dotenv file is a few KB; anything far larger is not one
SIPSTORY_PREFIXES = ("SIPSTORY", "POSTIZ")
URL_SUFFIXES = ("_API_URL", "_URL", "_BASE_URL", "_API_BASE_URL", "_API_BASE")
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")
_NEWLINE = re.compile(rb"\r\n|\n|\r")


class ScrubError(Exception):
    """A file was not scrubbed; the message says why, and that it was left as it was."""


@dataclass(frozen=True)
class FoundKey:
    """A Sipstory key in a file: where, under which name, and the base URL beside it."""

    path: Path
    lines: tuple[int, ...]  # 1-based; more than one when the same key is set again
    variable: str
    key: str = field(repr=False)
    base_url: str
    url_variable: str | None  # None: no URL beside it, Sipstory Cloud assumed

    @property
    def where(self) -> str:
        return f"{self.path}:{','.join(map(str, self.lines))}"

    @property
    def shown_key(self) -> str:
        return masked(self.key[-4:])


@dataclass(frozen=True)
class ScannedFile:
    """What one file holds: the finds, or why it could not be read."""

    path: Path
    found: tuple[FoundKey, ...] = ()
    others: int = 0  # *_API_KEY lines of other services, left alone
    problem: str = ""  # the file could not be read: why (nothing is found then)
    digest: bytes = field(default=b"", repr=False)  # of the content as read


def scan_files(paths: Iterable[Path]) -> list[ScannedFile]:
    return [scan_file(Path(path)) for path in paths]


def scan_file(path: Path) -> ScannedFile:
    """The Sipstory keys in ``path`` (a problem, not an exception, when it cannot be read)."""
    try:
        data = _read_bounded(path)
    except ScrubError as error:
        return ScannedFile(path, problem=str(error))
    values: dict[str, list[tuple[int, str]]] = {}
    for number, line in enumerate(_lines(data), start=1):
        parsed = parse_line(line)
        if parsed is not None:
            values.setdefault(parsed[0], []).append((number, parsed[1]))
    found: list[FoundKey] = []
    others = 0
    for variable, settings in values.items():
        if not variable.endswith("_API_KEY"):
            continue
        prefix = variable[: -len("_API_KEY")]
        url_variable, url = _url_beside(prefix, values)
        if prefix.upper() not in SIPSTORY_PREFIXES and "/public/v1" not in (url or ""):
            others += 1
            continue
        found.extend(_finds(path, variable, settings, url_variable, url))
    return ScannedFile(path, tuple(found), others, digest=hashlib.sha256(data).digest())


def parse_line(line: str) -> tuple[str, str] | None:
    """``NAME=value`` of a dotenv line (``export`` or not, quoted or not); None for a
    blank line, a comment or anything else."""
    match = _LINE.match(line)
    if match is None or line.lstrip().startswith("#"):
        return None
    name, raw = match.groups()
    if raw[:1] == "'":
        end = _closing(raw, "'")
        value = raw[1:end].replace("\\'", "'").replace("\\\\", "\\") if end else raw
    elif raw[:1] == '"':
        end = _closing(raw, '"')
        value = _unescape(raw[1:end]) if end else raw
    else:
        value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
    return name, value


def scrub(scanned: ScannedFile, moved: Sequence[tuple[FoundKey, str]]) -> Path:
    """Comment the lines of ``moved`` (finds of this file, each with the entry that now
    holds its key) out of the file, with no key left in the comment; returns the backup's
    path. Raises :class:`ScrubError` (the file untouched) when the file changed since it
    was scanned, is a link, or cannot be written."""
    path = scanned.path
    if path.is_symlink():
        raise ScrubError(
            f"{path} is a link to {os.path.realpath(path)}: it was left as it is. Scrub "
            "that file itself if you want it changed."
        )
    data = _read_bounded(path)
    if hashlib.sha256(data).digest() != scanned.digest:
        raise ScrubError(f"{path} changed since it was read: it was left as it is. Look again.")
    notes = {
        number: _moved_note(found.variable, name)
        for found, name in moved
        if found.path == path
        for number in found.lines
    }
    pieces = _NEWLINE.split(data)
    endings = _NEWLINE.findall(data)
    for number, note in notes.items():
        pieces[number - 1] = note.encode("utf-8")
    rewritten = b"".join(p + e for p, e in zip(pieces, [*endings, b""], strict=True))
    backup = _write_backup(path, data)
    try:
        atomic_write(path, rewritten, keep_backup=False, mode=stat.S_IMODE(path.stat().st_mode))
    except OSError as error:
        raise ScrubError(
            f"{path} could not be written ({error.strerror}); it is as it was."
        ) from None
    return backup


def _finds(
    path: Path,
    variable: str,
    settings: list[tuple[int, str]],
    url_variable: str | None,
    url: str | None,
) -> list[FoundKey]:
    try:
        base_url = normalize_base_url(url) if url else CLOUD_BASE_URL
    except UrlError:
        base_url = url or CLOUD_BASE_URL  # shown as found; the check will say
    by_key: dict[str, list[int]] = {}
    for number, value in settings:
        if value:
            by_key.setdefault(value, []).append(number)
    return [
        FoundKey(path, tuple(numbers), variable, key, base_url, url_variable)
        for key, numbers in by_key.items()
    ]


def _url_beside(
    prefix: str, values: dict[str, list[tuple[int, str]]]
) -> tuple[str | None, str | None]:
    for suffix in URL_SUFFIXES:
        settings = values.get(prefix + suffix)
        if settings and settings[-1][1]:
            return prefix + suffix, settings[-1][1]  # the last one counts, as in a shell
    return None, None


def _read_bounded(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise ScrubError(f"{path} is a folder, not a file.") from None
    except FileNotFoundError:
        raise ScrubError(f"{path} does not exist.") from None
    except OSError as error:
        raise ScrubError(f"{path} cannot be read ({error.strerror}).") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScrubError(
            f"{path} is larger than {MAX_FILE_BYTES // 1024} KB: not a dotenv file; "
            "it was not read."
        )
    return data


def _lines(data: bytes) -> list[str]:
    """The lines as :func:`scrub` counts them (a BOM dropped, any line ending)."""
    return [
        line.decode("utf-8", errors="replace")
        for line in _NEWLINE.split(data.removeprefix(b"\xef\xbb\xbf"))
    ]


def _closing(raw: str, quote: str) -> int:
    """Where the quote that opens ``raw`` closes (0: it does not)."""
    index = 1
    while index < len(raw):
        if raw[index] == "\\":
            index += 2
            continue
        if raw[index] == quote:
            return index
        index += 1
    return 0


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _moved_note(variable: str, entry_name: str) -> str:
    name = entry_name.replace('"', "'")
    return (
        f'# {variable} moved to the OS keyring as "{name}": '
        f'sipstory-keys run "{name}" -- COMMAND (or eval "$(sipstory-keys env "{name}")")'
    )


def _write_backup(path: Path, data: bytes) -> Path:
    """``FILE.bak`` (or ``FILE.bak.N`` when taken), mode 0600, holding ``data``."""
    for n in range(100):
        backup = path.with_name(path.name + (".bak" if n == 0 else f".bak.{n}"))
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as error:
            raise ScrubError(
                f"No backup of {path} could be written ({error.strerror}): it was left as it is."
            ) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(backup, 0o600)  # whatever the umask
        return backup
    raise ScrubError(f"Too many backups of {path} already: it was left as it is.")
