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
