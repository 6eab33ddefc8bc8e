"""Reading the attributes of the graph's nodes for display: absent or odd values give defaults."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from kg.model.graph import (
    PERSON,
    TOPIC,
    WORK,
)

__all__ = ["group_of", "kind_of", "label_of", "position_of", "display_text"]

logger = logging.getLogger(__name__)


def group_of(attrs: Mapping[str, Any]) -> str:
    group = attrs.get("group")
    return group if group in (WORK, PERSON, TOPIC) else WORK


def kind_of(attrs: Mapping[str, Any]) -> str:
    kind = attrs.get("kind")
    return kind if isinstance(kind, str) and kind else "Work"





def label_of(attrs: Mapping[str, Any], fallback: str) -> str:
    return display_text(attrs.get("label")) or display_text(attrs.get("title")) or fallback



def position_of(attrs: Mapping[str, Any]) -> int:
    position = attrs.get("position")
    return position if isinstance(position, int) and not isinstance(position, bool) else 1 << 30



def display_text(value: object) -> str | None:
    """A displayable string for a scalar attribute; None for absent, empty or structured values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int)):
        text = str(value).strip()
        return text or None
    if isinstance(value, float) and math.isfinite(value):
        return str(value)
    return None
