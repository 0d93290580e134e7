"""Import/export widgets for the interchange format: natural keys, `|`-separated lists, strict lookups.

django-import-export's own many-to-many widget silently drops keys it cannot find, and its foreign
key widget reports a bare "matching query does not exist". A curator needs to know *which* slug is
wrong, so both lookups here raise ValueError with the missing key in plain words; import-export
reports a widget's ValueError against the row and column it came from.
"""

from import_export import widgets

SEPARATOR = "|"


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's natural key (a slug or a symbol)."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or model._meta.verbose_name

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        try:
            return self.model.objects.get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(f"{self.label} '{value}' does not exist") from None


class NaturalKeyListWidget(widgets.ManyToManyWidget):
    """A many-to-many relation written as `|`-separated natural keys; every key must exist."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, separator=SEPARATOR, field=field, **kwargs)
        self.label = label or model._meta.verbose_name

    def clean(self, value, row=None, **kwargs):
        keys = split_list(value)
        if not keys:
            return self.model.objects.none()
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
        missing = sorted(set(keys) - {getattr(obj, self.field) for obj in found})
        if missing:
            names = ", ".join(f"'{key}'" for key in missing)
            raise ValueError(f"{self.label} {names} does not exist")
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return SEPARATOR.join(sorted(str(getattr(item, self.field)) for item in value.all()))


class LinesWidget(widgets.CharWidget):
    """Text stored one item per line (aliases, authors), written `|`-separated in a CSV cell."""

    def clean(self, value, row=None, **kwargs):
        return "\n".join(split_list(value))

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(line.strip() for line in (value or "").splitlines() if line.strip())


class TextWidget(widgets.CharWidget):
    """Text where an empty cell means blank, never NULL (the models use blank strings for none)."""

    def clean(self, value, row=None, **kwargs):
        # Not stripped: a source's stored text must stay byte for byte what was imported.
        return "" if value is None else str(value)


def split_list(value):
    if value in (None, ""):
        return []
    return [item.strip() for item in str(value).split(SEPARATOR) if item.strip()]
