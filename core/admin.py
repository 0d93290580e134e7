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
5. No lost update: a Versioned record's form carries the version it was opened at (a hidden
   field), and its save is refused when the record has been saved since by anyone (a curator, an
   import, a revert), checked with the row locked in the transaction of the save. The refusal
   names who changed it and when, links to its history, and shows the form again with the
   record as it is now and the curator's own edits put back in, so that saving again keeps both.
   Inline rows (VersionedInline) are checked the same way, each that would be saved or deleted.
   Reverting an old version from the history is a save like any other.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models.constants import LOOKUP_SEP
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from .models import Versioned, stored_version

# How many of a record's uses the refusal lists, per kind of use.
USES_SHOWN = 20

# The hidden field of a Versioned record's form: the version the form was opened at.
OPENED_VERSION = "opened_version"


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
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        # Django's change view saves in a transaction; simple-history's does not, and the version
        # check (a revert is a save like any other) holds the row's lock until the save commits.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return _with_opened_version(self.model, fieldsets, self.has_change_permission(request, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        historical = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if historical is not None:
            _show_historical_relations(obj, historical)
        if issubclass(self.model, Versioned):
            readonly = self.get_readonly_fields(request, obj)
            kwargs["form"] = _version_checked(kwargs.get("form", self.form), readonly)
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


def shortened(text, length):
    """The start of a long title or name for a list's column, the whole of it in the tooltip:
    a list fits its window however long the names in it are."""
    return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(length))


class VersionedInline:
    """An inline of Versioned records whose save is refused when the row changed since the form
    was opened, as RecordAdmin refuses it for the page's own record: a mixin, first among an
    inline's bases (`class ClaimLinkInline(VersionedInline, admin.TabularInline)`).

    Only the rows that would be written are checked: a changed row (on its own line of the
    table), a deleted one (above the table, since Django shows no errors of a deleted row). An
    unchanged row is not saved, so whatever changed it meanwhile is kept; nor is it put through
    the form's own checks, which would take that change for the curator's.
    """

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return _with_opened_version(self.model, fieldsets, self.has_change_permission(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        readonly = self.get_readonly_fields(request, obj)
        kwargs["form"] = _version_checked(kwargs.get("form", self.form), readonly, inline=True)
        formset = kwargs.get("formset", self.formset)
        kwargs["formset"] = type(formset.__name__, (VersionCheckedFormSet, formset), {})
        return super().get_formset(request, obj, **kwargs)


class OpenedVersionField(forms.IntegerField):
    """The version of the record a form was opened at: hidden, and never an edit (a row whose
    form differs only by it is unchanged, and is not saved)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm(forms.ModelForm):
    """The part of a Versioned record's admin form that refuses a save from an old version.

    RecordAdmin and VersionedInline put it before the admin's own form class (see
    _version_checked); it checks when the form is validated, which Django's change view does in
    the transaction of the save.
    """

    opened_version = OpenedVersionField()
    # The change page saves its record whether or not the form changed; an inline only the rows
    # whose form changed or that are deleted (VersionCheckedFormSet checks those).
    always_saved = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is None:
            return
        if getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
            # An old version shown to be reverted: the revert is a save of today's record.
            opened = type(self.instance)._base_manager.filter(pk=self.instance.pk)
            self.initial[OPENED_VERSION] = opened.values_list("version", flat=True).first()
        else:
            self.initial[OPENED_VERSION] = self.instance.version

    def full_clean(self):
        self._row_checked, self._row_untouched = None, False
        super().full_clean()
        if not self.is_bound or self.instance.pk is None:
            return
        if self._row_checked is not None:  # an inline row, checked before the form's own checks
            refusal = self._row_checked
        elif self.always_saved:
            refusal = _refuse_if_changed_since(self)
        else:
            return
        if refusal:
            self.add_error(None, refusal)

    def _clean_form(self):
        # An inline row is checked first: one its curator left as it was opened, though it looks
        # changed because someone changed the record since, is not saved, so the form's own checks
        # (clean(), and the model's in _post_clean) have nothing to check there. They would judge
        # the other curator's change as this one's (a claim set back to draft, posted as checked,
        # asking to confirm its quote) and refuse the whole page.
        if not self.always_saved and self.instance.pk is not None:
            deleting = self.cleaned_data.get("DELETE", False)
            if self.has_changed() and not deleting:
                self._row_checked = _refuse_if_changed_since(self, untouched_kept=True) or ""
                self._row_untouched = not self.has_changed()
                if self._row_untouched:
                    return
        super()._clean_form()

    def _post_clean(self):
        if not self._row_untouched:
            super()._post_clean()


class VersionCheckedFormSet:
    """The rows an inline deletes are checked as its changed rows are (VersionCheckedForm): a
    row changed since the page was opened is not deleted unseen."""

    def clean(self):
        super().clean()
        refusals = []
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", {})
            if form.instance.pk is not None and cleaned.get("DELETE"):
                refusal = _refuse_if_changed_since(form)
                if refusal:
                    refusals.append(refusal)
        if refusals:
            raise ValidationError(refusals)


def _version_checked(form_class, readonly_fields, *, inline=False):
    """`form_class` with the version check (VersionCheckedForm) before it.

    Like ModelAdmin.get_form, a declared field the admin shows read-only is removed (set to None):
    the admin only does that for the form it builds itself, and this one replaces it.
    """
    attrs = dict.fromkeys(f for f in readonly_fields if f in form_class.declared_fields)
    if inline:
        attrs["always_saved"] = False
    if issubclass(form_class, VersionCheckedForm):
        return type(form_class.__name__, (form_class,), attrs) if attrs else form_class
    return type(form_class.__name__, (VersionCheckedForm, form_class), attrs)


def _with_opened_version(model, fieldsets, may_change):
    """`fieldsets` with the hidden version field at the end of the first, for a Versioned model
    and a user who may change the record (a form's fields outside its fieldsets are not rendered
    at all); without it for one who may only view it, whose page shows every field as text."""
    if not issubclass(model, Versioned):
        return fieldsets
    fieldsets = [
        (name, {**options, "fields": [f for f in options["fields"] if f != OPENED_VERSION]})
        for name, options in fieldsets
    ]
    if may_change:
        (name, options), *rest = fieldsets
        fieldsets = [(name, {**options, "fields": [*options["fields"], OPENED_VERSION]}), *rest]
    return fieldsets


def _refuse_if_changed_since(form, *, untouched_kept=False):
    """Why `form`'s record may not be saved (it changed since the form was opened), or None.

    1. Lock the record's row and read its version (core.models.stored_version); the lock is held
       until the save commits, so nobody can change the row between this check and the save.
    2. The same version as the form's: nothing to refuse.
    3. Otherwise put the record as it is now into the form, with the curator's edits (the fields
       whose value differs from the opened version's) on top, and the current version, so that
       the form shown again saves both changes; and say who changed it, when, and where to see it.
    4. With `untouched_kept` (an inline row, saved only when its form changed), a row the curator
       did not edit is not refused: it only looked changed because it was posted as it was when
       the page was opened. It is marked unchanged, so that it is not saved and keeps the other
       change.
    """
    record = form.instance
    model = type(record)
    opened = form.cleaned_data.get(OPENED_VERSION)
    stored = stored_version(record)
    if stored is not None and opened == stored:
        return None
    name = capfirst(model._meta.verbose_name)
    history = model.history.filter(**{model._meta.pk.attname: record.pk})
    latest = history.select_related("history_user").order_by("-history_date", "-history_id")
    changed = _who_and_when(latest.first())
    if stored is None:
        return f"{name} “{record}” was deleted{changed} after you opened it: nothing was saved."
    base = history.filter(version=opened).order_by("-history_date", "-history_id").first()
    if opened is not None and base is not None:
        edited, clashes = _put_back_edits(form, base, model._base_manager.get(pk=record.pk))
        if untouched_kept and not edited:
            # Read by has_changed(), which the formset asks before saving a row (a cached property).
            form.changed_data = []
            return None
        kept = (
            "The form now shows it as it is, with your edits put back in: check them and save "
            "again."
        )
        if clashes:
            kept += f" You both changed {', '.join(clashes)}: the form has your value."
    else:
        kept = (
            "The form still shows your version of every field: compare it with the history "
            "before saving again."
        )
    _set_opened_version(form, stored)
    return format_html(
        "{} “{}” was changed{} after you opened it: nothing was saved. {} "
        '<a href="{}">See what changed</a>.',
        name,
        record,
        changed,
        kept,
        _history_url(model, record.pk),
    )


def _who_and_when(record):
    """Who made a history record and when, as in ' by alice (import of claims.csv) on 2 December
    2026, 05:40'; nothing without a record."""
    if record is None:
        return ""
    user = record.history_user
    who = f" by {user.get_username()}" if user is not None else " by someone"
    if record.history_change_reason:
        who += f" ({record.history_change_reason})"
    when = date_format(timezone.localtime(record.history_date), "j F Y, H:i")
    return f"{who} on {when}"


def _history_url(model, pk):
    opts = model._meta
    for options in (opts, opts.concrete_model._meta):
        try:
            return reverse(f"admin:{options.app_label}_{options.model_name}_history", args=[pk])
        except NoReverseMatch:
            continue
    return ""


def _put_back_edits(form, base, current):
    """Rewrite `form`'s data as `current` (the record now) with the edits the curator made to
    `base` (the history record of the version the form was opened at) kept: a field is taken
    from `current` when the curator left it as it was and someone else changed it. Returns the
    labels of the fields the curator changed, and of those both changed, differently (the form
    keeps the curator's value).

    Fields are compared as a browser posts them, each version rendered by the form's own widgets.
    A field of several inputs (MultiWidget) or a file is left as posted.
    """
    old = base.instance
    _show_historical_relations(old, base)
    before = type(form)(instance=old, prefix=form.prefix)
    now = type(form)(instance=current, prefix=form.prefix)
    data = form.data.copy()
    edited, clashes = [], []
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
        if (
            name == OPENED_VERSION
            or name not in before.fields
            or isinstance(widget, forms.MultiWidget)
            or isinstance(field, forms.FileField)
        ):
            continue
        key, label = form.add_prefix(name), str(field.label or name)
        mine = _comparable(form.data.getlist(key))
        was, theirs = _as_posted(before[name]), _as_posted(now[name])
        if mine != _comparable(was):
            edited.append(label)
        if _comparable(was) == _comparable(theirs):
            continue  # only the curator changed it, or nobody did
        if mine == _comparable(was):
            data.setlist(key, theirs)
        elif mine != _comparable(theirs):
            clashes.append(label)
    form.data = data
    return edited, clashes


def _as_posted(bound_field):
    """The values a browser sends for `bound_field` as its form shows it."""
    value = bound_field.value()
    widget = bound_field.field.widget
    widget = getattr(widget, "widget", widget)
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if value else []
    shown = widget.format_value(value)
    if shown is None:
        return []
    return [str(v) for v in shown] if isinstance(shown, (list, tuple)) else [str(shown)]


def _comparable(values):
    """Posted values as a form reads them: line breaks as one, outer spaces and empties dropped,
    and order not mattering (the choices of a multiple select)."""
    return sorted(v.replace("\r\n", "\n").strip() for v in values if v.strip())


def _set_opened_version(form, version):
    data = form.data.copy()
    data[form.add_prefix(OPENED_VERSION)] = str(version)
    form.data = data


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
