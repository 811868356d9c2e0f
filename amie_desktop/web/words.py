""" "One word for today": words from phones wait for the facilitator before the room sees them."""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

MAX_WORD_LETTERS = 30
MAX_WAITING = 500


class WordRefused(ValueError):
    """A word the board will not take, with the reason in plain words for the phone."""


def tidy_word(typed: str) -> str:
    """One word or a short phrase, as typed, without control characters or extra spaces."""
    cleaned = "".join(c for c in typed if unicodedata.category(c)[0] != "C")
    word = " ".join(cleaned.split())
    if not word:
        raise WordRefused("Please type a word, or leave it empty.")
    if len(word) > MAX_WORD_LETTERS or len(word.split()) > 3:
        raise WordRefused(f"Please keep it to a word or two (up to {MAX_WORD_LETTERS} letters).")
    return word


@dataclass(frozen=True)
class WaitingWord:
    number: int
    word: str


@dataclass
class WordBoard:
    """Words sent by phones: waiting for approval, then shown. Safe between the two threads."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _waiting: list[WaitingWord] = field(default_factory=list)
    _shown: Counter[str] = field(default_factory=Counter)
    _numbers: int = 0

    def send(self, typed: str) -> None:
        word = tidy_word(typed)
        with self._lock:
            if len(self._waiting) >= MAX_WAITING:
                raise WordRefused("The facilitator has many words to read. Thank you anyway!")
            self._numbers += 1
            self._waiting.append(WaitingWord(self._numbers, word))

    def waiting(self) -> list[WaitingWord]:
        with self._lock:
            return list(self._waiting)

    def approve(self, number: int) -> None:
        with self._lock:
            for waiting in self._waiting:
                if waiting.number == number:
                    self._waiting.remove(waiting)
                    self._shown[waiting.word.casefold()] += 1
                    return

    def reject(self, number: int) -> None:
        with self._lock:
            self._waiting = [w for w in self._waiting if w.number != number]

    def shown(self) -> list[tuple[str, int]]:
        """Approved words with how many times each was approved, most first."""
        with self._lock:
            return self._shown.most_common()
