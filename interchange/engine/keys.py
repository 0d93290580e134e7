"""Natural keys and links: how the engine turns a slug or a symbol into an id without a query per row.

A file refers to other records by their natural keys; each related table's keys are read once per
file into a `KeyMap`, and each foreign key or many-to-many column of a resource becomes a
`Relation` resolved through one. `any_of` and `through` are shared with the streamed export
(interchange/resources.py), which reads the same links the other way.
"""

from django.db import connection
from django.db.models.expressions import RawSQL


class KeyMap:
    """Natural key → id for one model, loaded in one query when first needed."""

    def __init__(self, model, key):
        self.model, self.key = model, key
        self._ids = None

    @property
    def ids(self):
        if self._ids is None:
            self._ids = dict(self.model._default_manager.values_list(self.key, "pk").iterator())
        return self._ids


class Relation:
    """A foreign key or many-to-many column of a resource, resolved through a KeyMap."""

    def __init__(self, resource_field, model_field, keymap, label, is_self):
        self.column = resource_field.column_name
        self.attribute = resource_field.attribute
        self.model_field = model_field
        self.keymap = keymap
        self.label = label
        self.is_self = is_self


def any_of(values, model_field):
    """`values` of `model_field` for an `__in` lookup of a batch's worth of keys or ids.

    On PostgreSQL, one array parameter unnested: the planner looks each value up in the index,
    where an IN list of thousands of values makes it scan the whole table, once per batch (and
    Django prepares each value of such a list one by one).
    """
    if connection.vendor != "postgresql":
        return values
    db_type = model_field.rel_db_type(connection)
    return RawSQL(f"SELECT unnest(%s::{db_type}[])", [list(values)])


def through(model_field):
    """The link model of a many-to-many field and the attnames of its two foreign keys."""
    link_model = model_field.remote_field.through
    source = link_model._meta.get_field(model_field.m2m_field_name()).attname
    target = link_model._meta.get_field(model_field.m2m_reverse_field_name()).attname
    return link_model, source, target
