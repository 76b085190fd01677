"""An AST checker for GUI strings that miss ``tr()``: string literals given to the calls that
put text on screen (``setText``, ``QLabel(...)``, ``QMessageBox.warning``, ...), and calls of
``tr``/``translate`` whose text is not a literal (``pyside6-lupdate`` cannot see those, so
they would never be translated).

A literal without a letter ("", "•", "—", " · ") is not text to translate and is not
flagged. Anything else is either wrapped or named, with its reason, in :data:`ALLOWED`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# Methods whose every string argument is shown to the user.
TEXT_METHODS = frozenset(
    {
        "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle",
        "setPlaceholderText", "setAccessibleName", "setAccessibleDescription",
        "showMessage", "setTitle", "setLabelText", "setInformativeText", "setDetailedText",
        "setHeaderLabels", "setHorizontalHeaderLabels", "setTabText", "setTabToolTip",
        "setSuffix", "setPrefix", "setSpecialValueText", "setFormat", "setHtml",
        "setPlainText", "addAction", "addMenu", "addButton", "addTab", "addRow",
        "setButtonText", "insertRow", "setIconText", "announce", "setNotice",
    }
)  # fmt: skip
# Classes whose constructor's string arguments are shown to the user.
TEXT_CLASSES = frozenset(
    {
        "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction",
        "QMenu", "QToolBar", "QCommandLinkButton", "QMessageBox", "QProgressDialog",
    }
)  # fmt: skip
# QMessageBox's static functions: title and text after the parent.
MESSAGE_BOX_FUNCTIONS = frozenset({"information", "warning", "critical", "question", "about"})
TRANSLATE_FUNCTIONS = frozenset({"tr", "translate"})

# (file relative to sipstory_desktop/gui, the literal or the call): why it is not wrapped.
ALLOWED: dict[tuple[str, str], str] = {
    ("actions.py", "QCoreApplication.translate(_CONTEXT, text)"): (
        "the texts of the ACTIONS and MENUS tables, each marked with QT_TRANSLATE_NOOP"
    ),
    ("entry_model.py", "QCoreApplication.translate('EntryModel', self.HEADERS[column])"): (
        "the column titles of HEADERS, each marked with QT_TRANSLATE_NOOP"
    ),
    ("status_texts.py", "QCoreApplication.translate(_CONTEXT, _LABELS[status])"): (
        "the status labels of _LABELS, each marked with QT_TRANSLATE_NOOP"
    ),
    ("result_texts.py", "QCoreApplication.translate(CONTEXT, template)"): (
        "the check results' templates of core/messages.py, each marked with QT_TRANSLATE_NOOP"
    ),
    ("find_url_dialog.py", "sipstory.example.com"): "an example address, the same in any language",
    (
        "find_url_dialog.py",
        "f'<ul style=\"margin: 0; -qt-list-indent: 1;\">{items}</ul>'",
    ): "markup around hints that are each translated",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _has_letter(text: str) -> bool:
    return any(character.isalpha() for character in text)


def _literal_text(node: ast.expr) -> str | None:
    """The text of ``node`` if it is (or starts from) a string literal with a letter:
    ``"Add"``, ``f"Add {x}"``, ``"Add %s" % x``, ``"Add {}".format(x)``, ``"a" + b``,
    or a list/tuple of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _has_letter(node.value) else None
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        joined = "".join(str(part) for part in parts)
        return ast.unparse(node) if _has_letter(joined) else None
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            return _literal_text(node.func.value)
        if node.func.attr == "join":
            return next((t for a in node.args if (t := _literal_text(a))), None)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return next((t for e in node.elts if (t := _literal_text(e))), None)
    return None


def _shown_arguments(node: ast.Call) -> list[ast.expr]:
    """The arguments of ``node`` that are shown to the user, if it is a text call."""
    name = _callee(node)
    func = node.func
    if (
        name in MESSAGE_BOX_FUNCTIONS
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "QMessageBox"
    ):
        return [*node.args[1:], *(k.value for k in node.keywords)]
    if name in TEXT_METHODS and isinstance(func, ast.Attribute):
        return [*node.args, *(k.value for k in node.keywords)]
    if name in TEXT_CLASSES:
        return [*node.args, *(k.value for k in node.keywords if k.arg != "objectName")]
    return []


def _translate_problem(node: ast.Call) -> str | None:
    """Why lupdate cannot see the text of a tr()/translate() call, or None."""
    name = _callee(node)
    if (
        isinstance(node.func, ast.Name)
        and name.lstrip("_") in TRANSLATE_FUNCTIONS
        and name != "tr"
        and node.args
        and _literal_text(node.args[0]) is not None
    ):
        return f"a literal through {name}(), which lupdate does not know"
    if name not in TRANSLATE_FUNCTIONS:
        return None
    func = node.func
    if name == "translate":
        if not (isinstance(func, ast.Attribute) and func.attr == "translate"):
            return None
        owner = ast.unparse(func.value)
        if owner not in {"QCoreApplication", "QApplication", "QGuiApplication"}:
            return None  # QTransform.translate, QPainter.translate
        wanted = node.args[:2]
        if len(wanted) < 2 or not all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in wanted
        ):
            return "translate() with a context or text that is not a literal"
        return None
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return "tr() outside a class: lupdate puts it in no context, never looked up"
    if not node.args or not (
        isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ):
        return "tr() with a text that is not a literal"
    return None


def findings_in(source: str, path: str) -> list[Finding]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        problem = _translate_problem(node)
        if problem and (path, ast.unparse(node)) not in ALLOWED:
            found.append(Finding(path, node.lineno, f"{problem}: {ast.unparse(node)}"))
        for argument in _shown_arguments(node):
            text = _literal_text(argument)
            if text is not None and (path, text) not in ALLOWED:
                found.append(Finding(path, node.lineno, f"not translated: {text!r}"))
    return found


def untranslated(gui_root: Path) -> list[Finding]:
    """Every finding in the ``.py`` files under ``gui_root``."""
    found = []
    for file in sorted(gui_root.rglob("*.py")):
        relative = file.relative_to(gui_root).as_posix()
        found += findings_in(file.read_text(encoding="utf-8"), relative)
    return found
