"""Icons, the .desktop file and the AppStream metainfo; installed as ``sipstory_desktop.resources``.

Read them with ``importlib.resources.files("sipstory_desktop.resources")`` so that they are
found installed, in an editable checkout and in the frozen bundle alike.
"""
