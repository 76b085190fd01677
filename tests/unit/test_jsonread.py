"""Reading a JSON document in pieces (the state file): the same as ``json.loads``, fuzzed."""

from __future__ import annotations

import json

from hypothesis import event, example, given
from hypothesis import strategies as st

from sipstory_desktop.core.jsonread import loads_in_pieces
from tests.support.properties import FUZZ, json_documents

_json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
_json_values = json_documents(_json_leaves, items=4, key_size=6, leaves=30)


def _document_texts(draw: st.DrawFn) -> str:
    document = draw(_json_values)
    text = json.dumps(
        document, indent=draw(st.sampled_from([None, 0, 2])), ensure_ascii=draw(st.booleans())
    )
    if draw(st.booleans()):  # damaged: a cut, a character dropped or one added
        where = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["cut", "drop", "add"]))
        if how == "cut":
            text = text[:where]
        elif how == "drop":
            text = text[:where] + text[where + 1 :]
        else:
            text = text[:where] + draw(st.sampled_from(list('{}[],:" \\n0a'))) + text[where:]
    return " " * draw(st.integers(0, 2)) + text


@FUZZ
@given(st.composite(_document_texts)())
@example("")
@example('{"a": {"b": 1,}}')
@example('{"results": {"x": [1, 2]}, "extra": 1} 2')
def test_loads_in_pieces_is_json_loads(text: str) -> None:
    try:
        expected = json.loads(text)
    except ValueError:
        event("damaged")
        try:
            loads_in_pieces(text)
        except ValueError:
            return
        raise AssertionError(f"read what json.loads refuses: {text!r}") from None
    event("valid")
    assert loads_in_pieces(text) == expected
