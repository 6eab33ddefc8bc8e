"""The language of a piece of text, from its script: enough to tag a curator's note."""

from __future__ import annotations

import re

__all__ = ["text_language"]

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def text_language(text: str) -> str:
    """BCP 47 tag of a note from its script: ja (kana), ko (Hangul), zh (Han), else en.

    >>> [text_language(t) for t in ("简化证明", "ニューラル", "신경망", "ok")]
    ['zh', 'ja', 'ko', 'en']
    """
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh" if _HAN.search(text) else "en"
