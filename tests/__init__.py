"""The test suite of Sipstory Desktop: a package, so that ``tests.support`` is importable.

pytest (its default ``prepend`` import mode) puts the repository's root on ``sys.path`` for
this package's ``conftest.py``, so ``from tests.support import ...`` works from a fresh
clone under ``pytest`` and ``python -m pytest`` alike. The test folders below have no
``__init__.py``: their modules keep their short names (``test_urls``, ``conftest``).
"""
