"""Pure language detection from the script of recognized text, as Baidu-style codes.

Baidu documents no table for the ``language`` field; observed values are ``-1``
for Chinese text and ``3`` for mixed Chinese/English. This service uses:

====  ==========================================================
code  meaning
====  ==========================================================
-1    Chinese (also the default when no letters were recognized)
0     English (Latin letters only)
1     Japanese (kana present)
2     Korean (mostly hangul)
3     mixed Chinese/English
====  ==========================================================
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["CHINESE", "ENGLISH", "JAPANESE", "KOREAN", "MIXED_CHINESE_ENGLISH", "detect_language"]

CHINESE = -1
ENGLISH = 0
JAPANESE = 1
KOREAN = 2
MIXED_CHINESE_ENGLISH = 3

MINORITY_SHARE = 0.1
"""Chinese text with Latin letters is mixed when the smaller script has this share of the letters."""


def _script(char: str) -> str | None:
    """The script of one character: "han", "kana", "hangul", "latin" or None."""
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
        return "kana"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF:
        return "han"
    if char.isalpha() and (char.isascii() or unicodedata.name(char, "").startswith("LATIN")):
        return "latin"
    return None


def detect_language(texts: Sequence[str]) -> int:
    """The Baidu-style language code (see the module table) of the recognized ``texts``."""
    counts = {"han": 0, "kana": 0, "hangul": 0, "latin": 0}
    for text in texts:
        for char in text:
            script = _script(char)
            if script is not None:
                counts[script] += 1
    han, kana, hangul, latin = counts["han"], counts["kana"], counts["hangul"], counts["latin"]
    if kana and kana >= MINORITY_SHARE * (han + kana):
        return JAPANESE
    if hangul and hangul >= han + kana:
        return KOREAN
    if han and latin:
        return MIXED_CHINESE_ENGLISH if min(han, latin) >= MINORITY_SHARE * (han + latin) else _major(han, latin)
    if latin and not han:
        return ENGLISH
    return CHINESE


def _major(han: int, latin: int) -> int:
    return CHINESE if han >= latin else ENGLISH
