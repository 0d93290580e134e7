"""Import/export widgets for the interchange format: natural keys, `|`-separated lists, strict values.

django-import-export's own widgets are lenient where a curator needs to be told: its many-to-many
widget silently drops keys it cannot find, its foreign key widget reports a bare "matching query
does not exist", and its decimal widget raises an error that is not a ValueError (so it shows as a
traceback). Every widget here raises ValueError with the offending value in plain words;
import-export reports a widget's ValueError against the row and the column it came from.
"""

import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation

from import_export import widgets

from core.text import LIST_SEPARATOR as SEPARATOR
from core.text import lines

from .problems import missing_message


def split_list(value):
    if value in (None, ""):
        return []
    return [item.strip() for item in str(value).split(SEPARATOR) if item.strip()]


def text_cell(value):
    """A cell's text without surrounding spaces ("" for an empty cell)."""
    return "" if value is None else str(value).strip()


_text = text_cell


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's natural key (a slug or a symbol).

    Found records are remembered for the life of one resource (one import), so a file of ten
    thousand claims citing fifty sources looks each source up once. Misses are not remembered: a
    row further down the same file may create the record.
    """

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or model._meta.verbose_name
        self.found = {}
        # Set by the resource for a self-reference (an actor's parent): key → line in this file.
        self.keys_in_file = {}

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        if key not in self.found:
            try:
                self.found[key] = self.model.objects.get(**{self.field: key})
            except self.model.DoesNotExist:
                raise ValueError(missing_message(self.label, [key], self.keys_in_file)) from None
        return self.found[key]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class NaturalKeyListWidget(widgets.ManyToManyWidget):
    """A many-to-many relation written as `|`-separated natural keys; every key must exist."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, separator=SEPARATOR, field=field, **kwargs)
        self.label = label or model._meta.verbose_name
        self.keys_in_file = {}

    def clean(self, value, row=None, **kwargs):
        keys = list(dict.fromkeys(split_list(value)))
        if not keys:
            return self.model.objects.none()
        found = list(self.model.objects.filter(**{f"{self.field}__in": keys}))
        missing = [key for key in keys if key not in {getattr(obj, self.field) for obj in found}]
        if missing:
            raise ValueError(missing_message(self.label, missing, self.keys_in_file))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # Sorted so that an export is the same file however the relation was written.
        return SEPARATOR.join(sorted(str(getattr(item, self.field)) for item in value.all()))


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
        text = _text(value)
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
        text = _text(value)
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
        # 28.500000 → 28.5 and 3000.000000 → 3000: the figure as a curator writes it.
        text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
        return "0" if text in ("-0", "0") else text


class IntegerWidget(widgets.IntegerWidget):
    def __init__(self, label):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        if not text.lstrip("-").isdigit():
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
        text = _text(value)
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
        return SEPARATOR.join(lines(value or ""))


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
        return _text(value)
