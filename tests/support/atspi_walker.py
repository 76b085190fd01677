"""What a screen reader sees of a running app, over AT-SPI: run with the *system* Python.

``python3-pyatspi`` (Debian) lives in the system's Python, which the project's venv
cannot import; the tests run this file as ``/usr/bin/python3 atspi_walker.py ...`` on
the session bus of the test's AT-SPI fixture (``tests/support/real_parts.py``) and read
the JSON it prints on stdout.

    atspi_walker.py tree APP [--window TITLE]
        Every node of APP's accessible tree (of its window titled TITLE only, when
        given), depth first: role, name, description, states, relations, actions,
        and the path of child indices from the application.
    atspi_walker.py press APP NAME [--window TITLE] [--path I,J,...] [--listen EVENT]
                    [--timeout S]
        Do the Press (or Click, Toggle) action of the first showing node named NAME
        (with --path, of the node at that path of child indices from the application,
        showing or not, which must be named NAME); with --listen, print the EVENT
        signals (such as ``object:announcement``) that arrive within S seconds after it,
        stopping at the first that has a text.

APP not found, or nothing named NAME: exit status 3, with the reason on stderr.
"""

import argparse
import json
import sys
import time

import pyatspi
from gi.repository import GLib

_PRESS_ACTIONS = ("press", "click", "activate", "toggle")


def _relation_name(relation_type):
    """``ATSPI_RELATION_LABELLED_BY`` -> ``labelled-by``."""
    return relation_type.value_nick


def _actions(node):
    try:
        action = node.queryAction()
    except NotImplementedError:
        return []
    return [action.getName(i) for i in range(action.nActions)]


def _relations(node):
    relations = {}
    for relation in node.getRelationSet():
        targets = [relation.getTarget(i) for i in range(relation.getNTargets())]
        relations[_relation_name(relation.getRelationType())] = [t.name for t in targets if t]
    return relations


def _describe(node, path):
    return {
        "path": path,
        "role": node.getRoleName(),
        "name": node.name or "",
        "description": node.description or "",
        "states": sorted(pyatspi.stateToString(s) for s in node.getState().getStates()),
        "relations": _relations(node),
        "actions": _actions(node),
        "children": node.childCount,
    }


def _walk(node, path, out, depth=0):
    out.append(_describe(node, path))
    if depth > 40:  # a cycle in a broken tree: stop rather than loop
        return
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        if child is not None:
            _walk(child, [*path, index], out, depth + 1)


def find_app(name, timeout=30.0):
    """The application named ``name`` on the desktop, waiting for it to appear."""
    deadline = time.monotonic() + timeout
    while True:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.name == name:
                return app
        if time.monotonic() > deadline:
            _fail(f"no application named {name!r} on the AT-SPI bus")
        time.sleep(0.2)


def _name_of(node):
    """``node``'s name, or None for one that went away while asked."""
    try:
        return node.name
    except Exception:  # a vanished object answers with a GLib or D-Bus error
        return None


def _windows(app, title, timeout=30.0):
    """The top-level windows of ``app`` (those titled ``title`` when given)."""
    deadline = time.monotonic() + timeout
    while True:
        # Each child asked once: a window closing (the last dialog) may be gone by a
        # second question, or answer no name while it goes.
        windows = []
        for index in range(app.childCount):
            child = app.getChildAtIndex(index)
            if child is not None:
                windows.append((index, child))
        if title is None:
            return windows
        found = [(i, w) for i, w in windows if _name_of(w) == title]
        if found:
            return found
        if time.monotonic() > deadline:
            _fail(f"no window titled {title!r}: {[_name_of(w) for _, w in windows]}")
        time.sleep(0.2)


def _find_named(node, name, path):
    """The first showing node named ``name`` under ``node`` that can be pressed."""
    states = node.getState()
    if node.name == name and states.contains(pyatspi.STATE_SHOWING) and _press_index(node) >= 0:
        return node
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        if child is not None:
            found = _find_named(child, name, [*path, index])
            if found is not None:
                return found
    return None


def _press_index(node):
    names = [a.lower() for a in _actions(node)]
    for wanted in _PRESS_ACTIONS:
        if wanted in names:
            return names.index(wanted)
    return -1


def _fail(message):
    print(message, file=sys.stderr)
    sys.exit(3)


def tree(args):
    app = find_app(args.app)
    out = []
    for index, window in _windows(app, args.window):
        _walk(window, [index], out)
    json.dump(out, sys.stdout)


def _at_path(app, path, name):
    node = app
    for index in path:
        node = node.getChildAtIndex(index) if 0 <= index < node.childCount else None
        if node is None:
            _fail(f"nothing at {path}")
    if node.name != name or _press_index(node) < 0:
        _fail(f"{node.getRoleName()} {node.name!r} at {path}: not {name!r} to press")
    return node


def press(args):
    app = find_app(args.app)
    target = None
    if args.path:
        target = _at_path(app, [int(i) for i in args.path.split(",")], args.name)
    for index, window in [] if target else _windows(app, args.window):
        target = _find_named(window, args.name, [index])
        if target is not None:
            break
    if target is None:
        _fail(f"nothing showing named {args.name!r} that can be pressed")
    heard = []

    def on_event(event):
        text = event.any_data if isinstance(event.any_data, str) else ""
        heard.append({"type": event.type, "source": event.source.name, "text": text})
        if text:
            pyatspi.Registry.stop()

    def do_press():
        target.queryAction().doAction(_press_index(target))
        return False

    if not args.listen:
        do_press()
        json.dump([], sys.stdout)
        return
    pyatspi.Registry.registerEventListener(on_event, args.listen)
    # The app learns of a new listener from the registry's signal: give it a moment.
    GLib.timeout_add(500, do_press)
    GLib.timeout_add(int(args.timeout * 1000), lambda: pyatspi.Registry.stop() and False)
    pyatspi.Registry.start()
    json.dump(heard, sys.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    walk = commands.add_parser("tree")
    walk.add_argument("app")
    walk.add_argument("--window")
    walk.set_defaults(run=tree)
    push = commands.add_parser("press")
    push.add_argument("app")
    push.add_argument("name")
    push.add_argument("--window")
    push.add_argument("--path")
    push.add_argument("--listen")
    push.add_argument("--timeout", type=float, default=30.0)
    push.set_defaults(run=press)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
