"""The one way a number becomes text or JSON: pages, exports, widgets, charts and the comparison.

Figures are stored as Decimals (exact, as the source wrote them) and compared as floats (placed on
a question's scale), so both kinds reach here. A Decimal is written with exactly its digits; a
float with at most `digits` significant ones, since its last binary digits mean nothing to a reader.
"""

import math
from decimal import Decimal


def number(value, *, grouping=True, digits=10):
    """A figure as text: 28.500000 → "28.5", 3000 → "3,000", 1e16 → "1e+16", inf → "∞".

    `grouping` adds thousands separators (not in an interchange file, which a program reads back);
    `digits` is the most significant digits a float is given (a chart's tick needs fewer). Minus
    zero reads "0".
    """
    if isinstance(value, Decimal):
        text = format(value, ",f" if grouping else "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    elif math.isinf(value):
        return "∞" if value > 0 else "-∞"
    else:
        text = format(value, f"{',' if grouping else ''}.{digits}g")
    return "0" if text == "-0" else text


def json_number(value):
    """A stored Decimal as a JSON or CSV number: 5.000000 → 5, 28.500000 → 28.5; None stays None."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# The scale words of the press, largest first: a sum reads "USD 1.2 billion", as it is written.
_MONEY_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def money(value, currency, value_high=None):
    """A sum as the press writes it, its currency's code first: 1200000000 USD → "USD 1.2 billion",
    250000 → "USD 250,000", a range 1.2e9–1.5e9 → "USD 1.2–1.5 billion".

    Stored in whole units (the vocabulary has no scaled money units), a sum of a million or more
    is given in the largest scale word that leaves at least 1, with `number`'s digits (a Decimal
    keeps exactly its own). A range shares its scale when both ends have it, else each has its own.
    """
    low_text, low_scale = _scaled(value)
    if value_high is None:
        return f"{currency} {low_text}{low_scale}"
    high_text, high_scale = _scaled(value_high)
    if low_scale == high_scale:
        return f"{currency} {low_text}–{high_text}{high_scale}"
    return f"{currency} {low_text}{low_scale}–{high_text}{high_scale}"


def sum_text(value):
    """A sum without its currency: 1200000000 → "1.2 billion", 250000 → "250,000" (money)."""
    digits, scale = _scaled(value)
    return f"{digits}{scale}"


def _scaled(value):
    """(digits, " scale word" or "") of a sum."""
    for factor, word in _MONEY_SCALES:
        if abs(value) >= factor:
            divisor = Decimal(factor) if isinstance(value, Decimal) else factor
            return number(value / divisor), f" {word}"
    return number(value), ""
