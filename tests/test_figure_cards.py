"""The figure cards' accents: every colour a card is drawn in has a name in the card palette, so
the page CSS colours its bar (a colour outside the palette would silently fall back to navy)."""

from __future__ import annotations

from analytics.core.labels import LIGHT_COLOURS, STATUS_COLOURS
from ui.page import TARGET_STATES
from ui.verdicts import ABOVE_CITY
from ui.widgets import ACCENTS, CARD_CSS, accent_name


def test_every_card_colour_is_in_the_palette_and_its_css() -> None:
    used = {*STATUS_COLOURS.values(), *LIGHT_COLOURS.values()}
    used |= {colour for _, colour in (*TARGET_STATES.values(), *ABOVE_CITY.values())}
    assert used <= set(ACCENTS.values())
    for colour in used:
        name = accent_name(colour)
        assert ACCENTS[name] == colour
        assert f'[class*="st-key-kpi-card-{name}-"] {{border-left-color:{colour} !important;}}' in CARD_CSS


def test_a_colour_outside_the_palette_is_drawn_navy() -> None:
    assert accent_name("#123456") == "navy"
    assert accent_name(STATUS_COLOURS["far_behind"]) == "red"
