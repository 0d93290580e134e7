"""The admin every record model shares: history and revert, safe deletes.

`RecordAdmin` is django-simple-history's admin (a History page listing who changed what and when,
each version viewable and, for a curator, revertible). interchange.admin.InterchangeAdmin adds
django-import-export's import and export to it; the two override different templates (object
history vs. change list and change form), so both render (tests/core/test_history.py checks it).
On top of simple-history's admin:

1. Deleting a record still in use is refused on the delete page with the list of records that use
   it. Foreign keys are PROTECT already; many-to-many links (a claim's metals, a question's subjects)
   would otherwise be dropped silently, so they count as uses too.
2. Reverting to an old version needs permission to change the record, not only to view its history;
   a malformed record or version id in a history URL is a 404, not a server error.
3. An old version's form shows that version's many-to-many links (simple-history's form would show
   today's), so reverting a claim brings back the metals and actors it was about then.
4. A changelist filter whose value no database column can hold (an id past 64 bits, a number of a
   million digits) is answered as Django answers any bad lookup, the list flagged `?e=1`, where
   it would otherwise fail in the database as the list is counted (a 500).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

# How many of a record's uses the refusal lists, per kind of use.
USES_SHOWN = 20


class RecordAdmin(SimpleHistoryAdmin):
    def changelist_view(self, request, extra_context=None):
        if not _lookups_fit(self.model, request.GET):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        _require_valid_id(self.opts.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _require_valid_id(self.opts.pk, object_id)
        _require_valid_id(self.model.history.model._meta.pk, version_id)
        # simple-history saves a POSTed old version for anyone who may *view* history; reverting is
        # a change, so only those who may change the record may do it (a reader gets 403).
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        historical = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if historical is not None:
            _show_historical_relations(obj, historical)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
            # Reverting: forget the old links shown in the form, so that saving the form compares
            # the old version's links with today's rows and changes what differs.
            obj._prefetched_objects_cache = {}
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [*protected, *self._many_to_many_uses(objs)]
        return to_delete, model_count, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ProtectedError, RestrictedError):
            # Someone filed a claim under the record between the confirmation page and the POST.
            self.message_user(
                request,
                "It was not deleted: it is still in use. Reload the delete page to see by what.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    def render_delete_form(self, request, context):
        if context.get("protected"):
            self.message_user(
                request,
                f"This {self.opts.verbose_name} cannot be deleted while other records use it "
                "(listed below). Remove it from them, or delete them, first.",
                messages.ERROR,
            )
        return super().render_delete_form(request, context)

    def _many_to_many_uses(self, objs):
        """Links to the records that refer to one of `objs` through a many-to-many field."""
        uses = []
        for relation in self.opts.get_fields():
            if not (relation.many_to_many and relation.auto_created):
                continue  # only reverse m2m relations: other records pointing at these
            related_model = relation.related_model
            related_name = relation.field.name
            users = related_model._default_manager.filter(
                **{f"{related_name}__in": list(objs)}
            ).distinct()
            for user in users[:USES_SHOWN]:
                uses.append(self._link(user, related_name))
        return uses

    def _link(self, obj, via):
        opts = obj._meta
        label = f"{capfirst(opts.verbose_name)} ({via})"
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
            )
        except NoReverseMatch:
            return format_html("{}: {}", label, obj)
        return format_html('{}: <a href="{}">{}</a>', label, url, obj)


def _show_historical_relations(obj, historical):
    """Make the form for an old version read its m2m links from the history, not from today's rows.

    A form reads an m2m field through the related manager's `.all()`, which returns a prefetched
    result when there is one: so the version's links are put in the prefetch cache.
    """
    cache = getattr(obj, "_prefetched_objects_cache", {})
    for field in historical._history_m2m_fields:
        target = field.m2m_reverse_field_name()
        ids = getattr(historical, field.name).values_list(target, flat=True)
        cache[field.name] = field.related_model._default_manager.filter(pk__in=list(ids))
    obj._prefetched_objects_cache = cache


# Query parameters of a changelist that are not lookups of the model's fields.
_NOT_LOOKUPS = {"q", "o", "p", "all", ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR, "_changelist_filters"}


def _lookups_fit(model, params):
    """Whether every filter value in `params` fits the column it is compared with."""
    for key, values in params.lists():
        if key in _NOT_LOOKUPS:
            continue
        field = _lookup_field(model, key)
        if field is None:
            continue
        for value in values:
            parts = value.split(",") if key.endswith(f"{LOOKUP_SEP}in") else [value]
            if not all(_fits(field, part) for part in parts):
                return False
    return True


def _lookup_field(model, key):
    """The field a changelist lookup such as `publisher`, `value__gte` or `source__id` compares
    with (a relation's primary key for a relation); None for `isnull` and anything else."""
    opts, field = model._meta, None
    parts = key.split(LOOKUP_SEP)
    for part in parts:
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            break  # a lookup such as "gte", or no field at all: Django's own checks answer it
        if field.is_relation:
            if field.related_model is None:
                return None
            opts = field.related_model._meta
            field = opts.pk
    return None if parts[-1] == "isnull" else field


def _fits(field, text):
    try:
        value = field.to_python(text)
    except ValidationError:
        return True  # not a value of the field at all: Django's own check refuses it
    if isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**63
    if isinstance(value, Decimal):
        # PostgreSQL's numeric overflows somewhere past 131,072 digits; no figure has a thousand.
        return value.is_finite() and -1000 < value.adjusted() < 1000
    return True


def _require_valid_id(pk_field, value):
    """Raise 404 for an id the primary key cannot hold ("abc", "1.5", a 30-digit number)."""
    try:
        number = pk_field.to_python(unquote(value))
    except ValidationError:
        raise Http404("No such record.") from None
    if isinstance(number, int) and not -(2**63) <= number < 2**63:
        raise Http404("No such record.")
