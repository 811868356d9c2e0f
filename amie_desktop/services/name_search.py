"""Finding a name as it was typed: case, accents and a Latin keyboard set aside."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import InstrumentedAttribute

from amie_desktop.domain.text import fold, typed_skeleton


def name_matches(key: InstrumentedAttribute[str], typed: str) -> ColumnElement[bool]:
    """key (a search_key column) holds what was typed, ignoring case and accents, or, typed in
    Latin letters, the name's Latin reading holds it ("oleksandra" finds "Олександра") or its
    consonants match ("noa" finds "נועה"). The station, the register and the workshops list
    search names with this.
    """
    condition = key.contains(fold(typed), autoescape=True)
    skeleton = typed_skeleton(typed)
    if skeleton is not None:
        condition = or_(condition, key.contains(skeleton, autoescape=True))
    return condition
