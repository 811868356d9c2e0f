"""The five HEARD principles of musically inclusive practice, as AMIE words them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

CREDIT = (
    "HEARD is the framework of the Alliance for a Musically Inclusive England (AMIE), "
    "led by Youth Music. Principle names and meanings are quoted from AMIE."
)


@dataclass(frozen=True)
class PrincipleInfo:
    code: str
    name: str
    meaning: str
    colour: str  # a hex colour that passes 4.5:1 against white text


class Principle(Enum):
    """One HEARD principle. The value is its single-letter code."""

    HOLISTIC = "H"
    EQUITABLE = "E"
    AUTHENTIC = "A"
    REPRESENTATIVE = "R"
    DIVERSE = "D"

    @property
    def info(self) -> PrincipleInfo:
        return _INFO[self]

    @property
    def code(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return self.info.name

    @property
    def meaning(self) -> str:
        return self.info.meaning

    @classmethod
    def from_code(cls, code: str) -> Principle:
        try:
            return cls(code.strip().upper()[:1])
        except ValueError:
            raise ValueError(f"{code!r} is not a HEARD principle (use H, E, A, R or D)") from None


# Colours are dark enough for white text at 4.5:1 or better (checked in tests).
_INFO: dict[Principle, PrincipleInfo] = {
    Principle.HOLISTIC: PrincipleInfo(
        "H", "Holistic", "Placing emphasis on personal, social and musical outcomes", "#8A3B12"
    ),
    Principle.EQUITABLE: PrincipleInfo(
        "E", "Equitable", "People facing the biggest barriers receive the most support", "#1F5F8B"
    ),
    Principle.AUTHENTIC: PrincipleInfo(
        "A", "Authentic", "Developed with and informed by the people we do it for", "#2E6B30"
    ),
    Principle.REPRESENTATIVE: PrincipleInfo(
        "R",
        "Representative",
        "The people we work with as participants and colleagues reflect our diverse society",
        "#6A2C8E",
    ),
    Principle.DIVERSE: PrincipleInfo(
        "D", "Diverse", "All musical genres, styles and practices are valued equally", "#A0224E"
    ),
}

PRINCIPLES: tuple[Principle, ...] = tuple(Principle)
