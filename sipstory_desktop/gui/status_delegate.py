"""Delegates of the entry list: the status light with its text, and the row's Test button."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QIcon, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

from ..core.status import Status
from .lights import cached_light_pixmap, cached_spinner_pixmap
from .roles import Role

AnyIndex = QModelIndex | QPersistentModelIndex

_MARGIN = 4  # logical pixels between the cell's edge and what is painted in it
_SPACING = 6  # logical pixels between the light and the status text
_BUTTON_PADDING = 12  # logical pixels each side of the button's label


def status_of(index: AnyIndex) -> Status:
    """The :class:`Status` of a row; unknown or missing counts as ``UNCHECKED``.

    Qt hands a ``Status`` back as a plain string (it is a ``str`` enum), so both are read.
    """
    value = index.data(Role.STATUS)
    if isinstance(value, str):
        try:
            return Status(value)
        except ValueError:
            return Status.UNCHECKED
    return Status.UNCHECKED


def is_checking(index: AnyIndex) -> bool:
    """Whether a check of the row's entry is running."""
    return bool(index.data(Role.CHECKING))


def is_group(index: AnyIndex) -> bool:
    """Whether the row is a group row rather than an entry."""
    return bool(index.data(Role.IS_GROUP))


class StatusDelegate(QStyledItemDelegate):
    """Paints the LIGHT column: a status light, or a spinner while checking, and the text.

    The light is a square about the text height, at the start of the cell and vertically
    centred; group rows get the same light as entries. The window turns the spinner by
    calling :meth:`advance_spinner` from a timer and repainting the checking rows.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spinner_angle = 0

    @property
    def spinner_angle(self) -> int:
        """Where the spinner's arc starts, in degrees clockwise (0 to 359)."""
        return self._spinner_angle

    @spinner_angle.setter
    def spinner_angle(self, angle: int) -> None:
        self._spinner_angle = angle % 360

    def advance_spinner(self, step: int = 30) -> None:
        """Turn the spinner on by ``step`` degrees (the caller repaints)."""
        self.spinner_angle = self._spinner_angle + step

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """Paint the background, the light or spinner, and the elided status text."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        draw_item_background(painter, opt)
        light_rect, text_rect = self._layout(opt)
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = light_rect.width()
        if is_checking(index):
            pixmap = cached_spinner_pixmap(self._spinner_angle, side, ratio, _spinner_palette(opt))
        else:
            pixmap = cached_light_pixmap(status_of(index).light, side, ratio, opt.palette)
        painter.drawPixmap(light_rect.topLeft(), pixmap)
        _draw_text(painter, opt, text_rect, text)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        """Room for the light and the longest status text, or this row's if longer."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        metrics = QFontMetrics(opt.font)
        longest = self.tr("Rate limited · again at 23:59")
        text_width = max(metrics.horizontalAdvance(longest), metrics.horizontalAdvance(opt.text))
        side = _light_side(metrics)
        width = 2 * _MARGIN + side + _SPACING + text_width
        height = max(super().sizeHint(option, index).height(), side + 2)
        return QSize(width, height)

    def _layout(self, opt: QStyleOptionViewItem) -> tuple[QRect, QRect]:
        """The light's square and the text's rectangle in the cell, mirrored right to left."""
        cell = opt.rect
        side = min(_light_side(QFontMetrics(opt.font)), cell.height())
        light = QRect(cell.left() + _MARGIN, 0, side, side)
        light.moveTop(cell.top() + (cell.height() - side) // 2)
        text = QRect(cell)
        text.setLeft(light.right() + 1 + _SPACING)
        text.setRight(cell.right() - _MARGIN)
        return (
            QStyle.visualRect(opt.direction, cell, light),
            QStyle.visualRect(opt.direction, cell, text),
        )


class TestButtonDelegate(QStyledItemDelegate):
    """Paints the ACTION column: a small "Test" push button on every entry row.

    The button looks disabled while the entry is being checked; group rows get no
    button. A left click on an enabled button emits :attr:`clicked`.

    Signals:
        clicked(QModelIndex): the Test button of that row (the index as clicked) was clicked.
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name

    clicked = Signal(QModelIndex)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pressed: QPersistentModelIndex | None = None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """Paint the background and, on entry rows, the button."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        draw_item_background(painter, opt)
        if is_group(index):
            return
        button = self._button_option(opt, index)
        QApplication.style().drawControl(QStyle.ControlElement.CE_PushButton, button, painter)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        """Room for the button and a margin around it."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        button = self._button_size(opt)
        base = super().sizeHint(option, index)
        return QSize(button.width() + 2 * _MARGIN, max(base.height(), button.height() + 2))

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        """Turn a left press and release on an enabled button into :attr:`clicked`."""
        kinds = (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        )
        if event.type() not in kinds or not isinstance(event, QMouseEvent):
            return super().editorEvent(event, model, option, index)
        if not self._hits_button(event, option, index):
            self._pressed = None
            return super().editorEvent(event, model, option, index)
        return self._button_mouse_event(event, index)

    def button_rect(self, option: QStyleOptionViewItem) -> QRect:
        """Where the button is in the cell ``option.rect``: centred, at most the cell's size."""
        cell = option.rect.adjusted(_MARGIN, 1, -_MARGIN, -1)
        size = self._button_size(option).boundedTo(cell.size())
        rect = QRect(0, 0, size.width(), size.height())
        rect.moveCenter(cell.center())
        return rect

    def _button_mouse_event(self, event: QMouseEvent, index: AnyIndex) -> bool:
        """Handle a left-button event inside an enabled button."""
        if event.type() == QEvent.Type.MouseButtonPress:
            # Let the view select the row as well; remember the press for the release.
            self._pressed = QPersistentModelIndex(index)
            return False
        if event.type() == QEvent.Type.MouseButtonDblClick:
            return True  # no expanding, collapsing or editing by double-clicking the button
        pressed, self._pressed = self._pressed, None
        if pressed is not None and pressed == QPersistentModelIndex(index):
            self.clicked.emit(_plain_index(index))
        return True

    def _hits_button(
        self, event: QMouseEvent, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        """Whether ``event`` is a left-button event on the enabled button of ``index``."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        if is_group(index) or is_checking(index):
            return False
        return self.button_rect(option).contains(event.position().toPoint())

    def _button_option(self, opt: QStyleOptionViewItem, index: AnyIndex) -> QStyleOptionButton:
        """The style option of the button in the cell described by ``opt``."""
        enabled = not is_checking(index) and bool(opt.state & QStyle.StateFlag.State_Enabled)
        button = QStyleOptionButton()
        button.direction = opt.direction
        button.fontMetrics = QFontMetrics(opt.font)
        button.rect = self.button_rect(opt)
        button.text = self.tr("Test")
        button.state = QStyle.StateFlag.State_Raised | (opt.state & QStyle.StateFlag.State_Active)
        if enabled:
            button.state |= QStyle.StateFlag.State_Enabled
        # Styles paint the label in the palette's current group: disabled must be said there too.
        palette = QPalette(opt.palette)
        palette.setCurrentColorGroup(
            _colour_group(opt) if enabled else QPalette.ColorGroup.Disabled
        )
        button.palette = palette
        return button

    def _button_size(self, opt: QStyleOptionViewItem) -> QSize:
        """The button's size: the style's, but no wider than its label needs."""
        metrics = QFontMetrics(opt.font)
        label = self.tr("Test")
        button = QStyleOptionButton()
        button.fontMetrics = metrics
        button.text = label
        content = QSize(metrics.horizontalAdvance(label), metrics.height())
        size = QApplication.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, button, content
        )
        return QSize(min(size.width(), content.width() + 2 * _BUTTON_PADDING), size.height())


def draw_item_background(painter: QPainter, opt: QStyleOptionViewItem) -> None:
    """Draw the cell's selection, hover and focus background through the style, no content."""
    background = QStyleOptionViewItem(opt)
    background.text = ""
    background.icon = QIcon()
    background.features &= ~(
        QStyleOptionViewItem.ViewItemFeature.HasDisplay
        | QStyleOptionViewItem.ViewItemFeature.HasDecoration
        | QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    )
    style = opt.widget.style() if opt.widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, opt.widget)


def _draw_text(painter: QPainter, opt: QStyleOptionViewItem, rect: QRect, text: str) -> None:
    """Draw ``text`` elided into ``rect``, in the (highlighted) text colour of the cell."""
    if not text or rect.width() <= 0:
        return
    metrics = QFontMetrics(opt.font)
    elided = metrics.elidedText(text, opt.textElideMode, rect.width())
    alignment = QStyle.visualAlignment(
        opt.direction, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    painter.save()
    try:
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(_colour_group(opt), _text_role(opt)))
        painter.drawText(rect, int(alignment | Qt.TextFlag.TextSingleLine), elided)
    finally:
        painter.restore()


def _colour_group(opt: QStyleOptionViewItem) -> QPalette.ColorGroup:
    """The palette group of the cell: disabled, inactive (window not active) or normal."""
    if not opt.state & QStyle.StateFlag.State_Enabled:
        return QPalette.ColorGroup.Disabled
    if not opt.state & QStyle.StateFlag.State_Active:
        return QPalette.ColorGroup.Inactive
    return QPalette.ColorGroup.Normal


def _spinner_palette(opt: QStyleOptionViewItem) -> QPalette:
    """The cell's palette; on a selected cell, with the highlight turned to the text's colour.

    The spinner is painted in the highlight colour, which is the selection's background.
    """
    if not opt.state & QStyle.StateFlag.State_Selected:
        return opt.palette
    palette = QPalette(opt.palette)
    text = palette.color(_colour_group(opt), QPalette.ColorRole.HighlightedText)
    palette.setColor(QPalette.ColorRole.Highlight, text)
    return palette


def _text_role(opt: QStyleOptionViewItem) -> QPalette.ColorRole:
    """Highlighted text on a selected cell, plain text otherwise."""
    if opt.state & QStyle.StateFlag.State_Selected:
        return QPalette.ColorRole.HighlightedText
    return QPalette.ColorRole.Text


def _plain_index(index: AnyIndex) -> QModelIndex:
    """``index`` as a QModelIndex (views hand delegates those; a persistent one is converted)."""
    if isinstance(index, QModelIndex):
        return index
    return index.sibling(index.row(), index.column())


def _light_side(metrics: QFontMetrics) -> int:
    """The side of the light's square: the text height and two pixels."""
    return metrics.height() + 2
