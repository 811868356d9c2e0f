"""Contrast ratios: the known WCAG figures, and every pair in the app's theme."""

from __future__ import annotations

import pytest

from amie_desktop.domain.contrast import contrast_ratio
from amie_desktop.ui.theme import LIGHT


def test_known_ratios() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("pair", sorted(LIGHT.pairs()))
def test_every_colour_pair_in_the_theme_passes_aa(pair: str) -> None:
    foreground, background = LIGHT.pairs()[pair]
    assert contrast_ratio(foreground, background) >= 4.5, pair
