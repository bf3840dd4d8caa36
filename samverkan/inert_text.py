"""User text made safe to print: no bidirectional control characters.

A right-to-left override (U+202E) in a title before "gnp.exe" makes it read as "exe.png" in
a PDF or a spreadsheet, so a reader sees a different name than the one stored. The
embedding, override and isolate controls and the directional marks are removed
wherever user text leaves the product as a document; ordinary letters of any script
keep their own direction without them.
"""

import re

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)
