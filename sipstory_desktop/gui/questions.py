"""The one way the app asks the user to confirm something: a yes/no question, or a
destructive action against Cancel. Small on purpose: the window imports it at start."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    default_no: bool = True,
    details: str = "",
    action: str = "",
    action_name: str = "",
) -> bool:
    """Ask ``text`` in a modal box titled ``title``; True when the user agrees.

    By default a question with Yes and No (``QMessageBox.question``; ``details``, if any,
    follow the text after a blank line). With ``action``, a warning whose yes is a
    destructive button labelled ``action`` (object name ``action_name``) and whose no is
    Cancel, also the Escape button; ``details`` are its informative text. No (or Cancel) is
    the default button unless ``default_no`` is False.
    """
    if not action:
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        question = f"{text}\n\n{details}" if details else text
        answer = QMessageBox.question(parent, title, question, yes | no, no if default_no else yes)
        return answer == yes
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    if details:
        box.setInformativeText(details)
    accept = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    if action_name:
        accept.setObjectName(action_name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if default_no else accept)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept
