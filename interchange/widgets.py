"""How each cell of an interchange file reads and writes: natural keys, `|` lists, strict values.

A resource declares one widget per column. On import, the engine (interchange/engine/) calls a
value widget's `clean`, which raises ValueError with the offending value in plain words where
django-import-export's own widgets are lenient or terse (its decimal widget raises an error that
is not a ValueError, a traceback to a curator); the engine reports it on the row's line and column.
The natural-key widgets only name the related model and key: the engine resolves those columns
through its key maps (interchange/engine/keys.py) and never calls their `clean`. On export every
widget's `render` writes the cell.
"""

import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation

from import_export import widgets

from core import numbers
from core.text import LIST_SEPARATOR, lines


def split_list(value):
    if value in (None, ""):
        return []
    return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]


def text_cell(value):
    """A cell's text without surrounding spaces ("" for an empty cell)."""
    return "" if value is None else str(value).strip()


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's natural key (a slug or a symbol).

    `label` names the related record in a message ("actor 'x' does not exist").
    """

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or model._meta.verbose_name

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class NaturalKeyListWidget(widgets.ManyToManyWidget):
    """A many-to-many relation written as `|`-separated natural keys (each must exist)."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, separator=LIST_SEPARATOR, field=field, **kwargs)
        self.label = label or model._meta.verbose_name

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # Sorted so that an export is the same file however the relation was written.
        return LIST_SEPARATOR.join(sorted(str(getattr(item, self.field)) for item in value.all()))


class ChoiceWidget(widgets.CharWidget):
    """One of a field's choices, written as its code (`t`, `more_than`, `checked`).

    An unknown value is an error that suggests the nearest code, matching labels as well as
    codes, so "tonnes" suggests "t" and "More than" suggests "more_than".
    """

    def __init__(self, choices, label, default=""):
        super().__init__()
        self.choices = list(choices)
        self.label = label
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = text_cell(value)
        if not text:
            return self.default
        codes = [code for code, _ in self.choices]
        if text in codes:
            return text
        raise ValueError(f"{self.label} '{text}' is unknown — {self._hint(text)}")

    def _hint(self, text):
        names = {}
        for code, label in self.choices:
            names.setdefault(code.lower(), code)
            names.setdefault(str(label).lower(), code)
            names.setdefault(code.lower().replace("_", " "), code)
        if text.lower() in names:  # a label or a code in other capitals: "tonnes", "Checked"
            suggestions = [names[text.lower()]]
        else:
            close = difflib.get_close_matches(text.lower(), list(names), n=3, cutoff=0.6)
            suggestions = list(dict.fromkeys(names[name] for name in close))
        if suggestions:
            return "did you mean " + " or ".join(f"'{code}'" for code in suggestions) + "?"
        return "use one of " + ", ".join(f"'{code}'" for code, _ in self.choices)


class NumberWidget(widgets.DecimalWidget):
    """A decimal figure written with a point and no thousands separators: `28.5`, `-5`, `3000`."""

    def __init__(self, label):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = text_cell(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            hint = ""
            if "," in text:
                hint = ": use a point for decimals and no thousands separators (28.5, 3000)"
            raise ValueError(f"{self.label} '{text}' is not a number{hint}")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, Decimal):
            # 28.500000 → 28.5 and 3000.000000 → 3000: the figure as a curator writes it.
            return numbers.number(value, grouping=False)
        return str(value)


class FlagWidget(widgets.CharWidget):
    """A yes/no mark, written `yes` when set and left empty when not, so a column of marks reads
    at a glance; `no`, `true`, `false`, `1` and `0` are read too, as spreadsheets write them."""

    _READ = {
        "": False,
        "no": False,
        "false": False,
        "0": False,
        "yes": True,
        "true": True,
        "1": True,
    }

    def __init__(self, label):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = text_cell(value).lower()
        if text not in self._READ:
            raise ValueError(
                f"{self.label} '{text_cell(value)}' is not a mark: use 'yes' or leave it empty"
            )
        return self._READ[text]

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else ""


_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class IntegerWidget(widgets.IntegerWidget):
    def __init__(self, label):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = text_cell(value)
        if not text:
            return None
        # ASCII digits only: str.isdigit() also takes "²" (int() then fails) and "١٢" (read as 12).
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError(f"{self.label} '{text}' is not a whole number")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.DateWidget):
    """A full date in ISO form, `2025-11-04` (the only form that reads the same everywhere)."""

    def __init__(self, label):
        super().__init__(format="%Y-%m-%d")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = text_cell(value)
        if not text:
            return None
        day = text[:10] if "T" in text else text  # a spreadsheet's date and time
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                raise ValueError
            return datetime.date.fromisoformat(day)
        except ValueError:
            raise ValueError(f"{self.label} '{text}' is not a date: use YYYY-MM-DD") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class LinesWidget(widgets.CharWidget):
    """Text stored one item per line (aliases, authors), written `|`-separated in a CSV cell.

    The model's field (core.text.LinesField) refuses an item holding `|`, so every list a
    cell is written from reads back as the same items.
    """

    def clean(self, value, row=None, **kwargs):
        return "\n".join(split_list(value))

    def render(self, value, obj=None, **kwargs):
        return LIST_SEPARATOR.join(lines(value or ""))


class TextWidget(widgets.CharWidget):
    """Text where an empty cell means blank, never NULL (the models use blank strings for none).

    Control characters and line breaks are the model field's to normalise or refuse
    (core/text.py), as in a form: the import engine runs the model's field validation.
    """

    def clean(self, value, row=None, **kwargs):
        # Not stripped: a source's stored text must stay what was imported, spaces included.
        return "" if value is None else str(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(TextWidget):
    """A short code or name (slug, country, language, date): surrounding spaces are dropped."""

    def clean(self, value, row=None, **kwargs):
        return text_cell(value)
