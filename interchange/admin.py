"""How the admin imports and exports: the interchange formats, read by the command line's code.

`InterchangeAdmin` is the base of every record model's admin: core.admin.RecordAdmin (history,
revert, safe deletes) with django-import-export's admin, changed only where it needs to behave like
`import_data`:

1. Import and export formats are interchange.formats' CSV and XLSX, so an upload is read by
   `read_table` (any separator, BOM or not, XLSX by content) and a file that cannot be read gets
   its plain reason on the form, not "UnicodeDecodeError encountered while trying to read file".
2. The preview (a dry run) lists every problem with its line, column and reason (`result.problems`,
   see interchange/templates/admin/import_export/import.html); with any problem there is nothing
   to confirm.
3. The confirmed import rolls back on any problem, as the preview does (InterchangeResource's
   `import_data`), so a file that went bad between preview and confirmation (someone deleted a
   source it cites) still saves nothing.
4. An export is always a whole interchange file (no choice of columns), so it re-imports.
5. A confirmation imports its preview's upload once (interchange/uploads.py). A second click, a form
   sent again after Back, an expired preview or hidden fields that name no format, resource or
   upload of ours get a message and import nothing; so does a database kept busy by other imports
   for longer than SQLite's busy timeout, and then the preview can be confirmed again.
6. An import made in the admin records "import of <file name>" as the change reason of every history
   row it writes, and the curator as its user; it queues behind any other import (core/locks.py).
   Its admin log entries are written in its own transaction, so once it has committed nothing is
   left to fail: written afterwards they could wait for the next import longer than SQLite's busy
   timeout and report a saved import as an error.
7. An import file over settings.IMPORT_MAX_UPLOAD_SIZE is refused with a message, before reading it.
8. Every confirmed import is an ImportBatch (interchange/batches.py); `ImportBatchAdmin` lists them,
   read-only, and offers "Undo this import" (interchange.services.batch_undo) to a user allowed to
   undo imports and to change and delete the records of its files.
"""

from datetime import timedelta

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ExportForm
from import_export.signals import post_import

from core.admin import RecordAdmin
from core.history import change_reason
from core.locks import is_busy, lock_for_import

from .formats import INTERCHANGE_FORMATS, FileProblem
from .models import ImportBatch, ImportRecord
from .services import batch_undo
from .undo import UndoRefused
from .uploads import PreviewUpload, UploadClaimed, UploadGone, is_upload_name

# What a curator is told when a confirmation imports nothing (docs/operations.md lists them).
CONFIRMING_ALREADY = (
    "This import is already being confirmed (the form was sent twice): nothing more was "
    "imported. Its rows appear in this list when it has finished."
)
CONFIRMED_OR_EXPIRED = (
    "This import was already confirmed, or its preview has expired: nothing was imported now. "
    "If its rows are not in the list, upload the file again."
)
NOT_A_PREVIEW = (
    "This confirmation was not made by a preview: nothing was imported. Upload the file again."
)
CHANGED_SINCE_PREVIEW = (
    "Nothing was imported: the file no longer imports as previewed (a record it refers to may "
    "have changed since). Upload it again to see why."
)
BUSY_CONFIRMING = (
    "The database is busy with other imports: nothing was imported. Go back to the preview and "
    "confirm it again in a minute."
)
BUSY_PREVIEWING = (
    "The database is busy with other imports: the file was not previewed. Upload it again in a "
    "minute."
)
BUSY_UNDOING = "The database is busy with other imports: nothing was undone. Try again in a minute."


class ConfirmForm(ConfirmImportForm):
    """The preview's hidden fields, checked: a format or resource the admin does not offer, or a
    file name interchange.uploads did not make, makes the form invalid instead of a server error."""

    format = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput())
    resource = forms.TypedChoiceField(
        coerce=int, empty_value=0, required=False, widget=forms.HiddenInput()
    )

    def __init__(self, *args, format_count, resource_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(str(i), str(i)) for i in range(format_count)]
        self.fields["resource"].choices = [(str(i), str(i)) for i in range(resource_count)]

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not is_upload_name(name):
            raise forms.ValidationError("not an upload of this site")
        return name


class InterchangeAdmin(RecordAdmin, ImportExportModelAdmin):
    import_formats = INTERCHANGE_FORMATS
    export_formats = INTERCHANGE_FORMATS
    export_form_class = ExportForm
    import_error_display = ("message",)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileProblem):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_dataset(self, dataset, form, request, **kwargs):
        name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name") or "a file"
        with transaction.atomic(), change_reason(f"import of {name}", user=request.user):
            lock_for_import()
            result = super().process_dataset(dataset, form, request, **kwargs)
            self.generate_log_entries(result, request)
        return result

    def process_result(self, result, request):
        """django-import-export's, less the log entries: process_dataset has written them."""
        self.add_success_message(result, request)
        post_import.send(sender=None, model=self.model)
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist"
            )
        )

    # ----------------------------------------------------------------------- preview

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        # When an upload made now expires: the preview page says until when it can be confirmed.
        context["preview_expires"] = timezone.now() + timedelta(
            seconds=settings.IMPORT_PREVIEW_MAX_AGE
        )
        return context

    def write_to_tmp_storage(self, import_file, input_format):
        # Streamed to a file of its own, where django-import-export gathers it in memory first.
        return PreviewUpload.save(import_file.chunks())

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file")
        if upload is not None and upload.size > settings.IMPORT_MAX_UPLOAD_SIZE:
            self.message_user(
                request,
                # Not the name first: the admin capitalises a message's first letter.
                f"The file {upload.name} is {filesizeformat(upload.size)}; an import file may be "
                f"at most {filesizeformat(settings.IMPORT_MAX_UPLOAD_SIZE)}. Split it, or import "
                "it with `python manage.py import_data` on the server.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        try:
            response = super().import_action(request, **kwargs)
        except OperationalError as error:
            if not is_busy(error):
                raise
            _discard_upload(request)
            self.message_user(request, BUSY_PREVIEWING, messages.ERROR)
            return HttpResponseRedirect(request.path)
        if "confirm_form" not in (getattr(response, "context_data", None) or {}):
            _discard_upload(request)  # nothing to confirm: the file had problems, or no file
        return response

    # ----------------------------------------------------------------------- confirmation

    def get_confirm_form_class(self, request):
        return ConfirmForm

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["format_count"] = len(self.get_import_formats())
        kwargs["resource_count"] = len(self.get_import_resource_classes(request))
        return kwargs

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Import the previewed upload, once; anything else gets a message and imports nothing."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self._import_refused(request, NOT_A_PREVIEW, messages.ERROR)
        input_format = self.get_import_formats()[form.cleaned_data["format"]](
            encoding=self.from_encoding
        )
        upload = PreviewUpload(form.cleaned_data["import_file_name"])
        try:
            with upload.claimed() as data:
                dataset = input_format.create_dataset(data)
                result = self.process_dataset(dataset, form, request, **kwargs)
        except UploadClaimed:
            self.message_user(request, CONFIRMING_ALREADY, messages.WARNING)
            return HttpResponseRedirect(self._admin_url("changelist"))
        except UploadGone:
            return self._import_refused(request, CONFIRMED_OR_EXPIRED, messages.WARNING)
        except OperationalError as error:
            if not is_busy(error):
                raise
            return self._import_refused(request, BUSY_CONFIRMING, messages.ERROR)
        if result.has_errors() or result.has_validation_errors():
            return self._import_refused(request, CHANGED_SINCE_PREVIEW, messages.ERROR)
        return self.process_result(result, request)

    def _import_refused(self, request, message, level):
        self.message_user(request, message, level)
        return HttpResponseRedirect(self._admin_url("import"))

    def _admin_url(self, view):
        app_label, model_name = self.get_model_info()
        return reverse(f"{self.admin_site.name}:{app_label}_{model_name}_{view}")


def _discard_upload(request):
    name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
    if name:
        PreviewUpload(name).remove()


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """The imports, newest first, read-only; each with "Undo this import" while it stands."""

    list_display = (
        "name",
        "created",
        "user",
        "files",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "state",
    )
    list_display_links = ("name",)
    list_filter = (("undone", admin.EmptyFieldListFilter),)
    list_select_related = ("user", "undone_by")
    search_fields = ("files", "model_labels")
    show_full_result_count = False
    fields = (
        "created",
        "user",
        "files",
        "model_labels",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "undone",
        "undone_by",
    )
    readonly_fields = fields
    change_form_template = "admin/interchange/importbatch/change_form.html"

    @admin.display(description="import", ordering="pk")
    def name(self, batch):
        return f"#{batch.pk}"

    @admin.display(description="state")
    def state(self, batch):
        if batch.undone is None:
            return "imported"
        return f"undone by {batch.undone_by or 'a command'}"

    # Written by imports only, never by hand: a batch is a record of what happened.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_undo_permission(self, request, batch):
        """Whether the user may undo `batch`: the undo permission, and change and delete of every
        model its files hold (it deletes what the import created and restores what it changed)."""
        user = request.user
        if not user.has_perm("interchange.undo_importbatch"):
            return False
        for label in filter(None, (m.strip() for m in batch.model_labels.split(","))):
            opts = apps.get_model(label)._meta
            for action in ("change", "delete"):
                if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
                    return False
        return True

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="interchange_importbatch_undo",
            )
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "may_undo": batch is not None
            and batch.undone is None
            and self.has_undo_permission(request, batch),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def undo_view(self, request, object_id):
        """GET: what the undo will do, to confirm; POST: undo, or say why not (nothing changed)."""
        # Who may undo no import at all is refused before the import is looked up; an address
        # that names none ("abc", a number no import has) is not found.
        if not self.has_view_permission(request) or not request.user.has_perm(
            "interchange.undo_importbatch"
        ):
            raise PermissionDenied
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404("No such import.")
        if not self.has_view_permission(request, batch) or not self.has_undo_permission(
            request, batch
        ):
            raise PermissionDenied
        reasons = []
        if request.method == "POST":
            try:
                done = batch_undo(batch=batch, user=request.user)
            except UndoRefused as refusal:
                reasons = refusal.reasons
            except OperationalError as error:
                if not is_busy(error):
                    raise
                self.message_user(request, BUSY_UNDOING, messages.ERROR)
                return HttpResponseRedirect(request.path)
            else:
                self.message_user(request, f"{batch} is undone: {_undone_text(done)}.")
                return HttpResponseRedirect(
                    reverse("admin:interchange_importbatch_change", args=[batch.pk])
                )
        elif batch.undone is not None:
            reasons = ["it was undone already"]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Undo {batch}",
            "batch": batch,
            "records": _record_counts(batch),
            "reasons": reasons,
        }
        return TemplateResponse(
            request,
            "admin/interchange/importbatch/undo.html",
            context,
            status=409 if reasons else 200,
        )


def _record_counts(batch):
    """[(model's verbose name plural, action label, count)] of the batch's records: one query."""
    rows = (
        ImportRecord.objects.filter(batch=batch)
        .values("content_type", "action")
        .annotate(count=Count("id"))
        .order_by("content_type", "action")
    )
    labels = dict(ImportRecord.Action.choices)
    types = ContentType.objects.in_bulk({row["content_type"] for row in rows})
    return [
        (
            types[row["content_type"]].model_class()._meta.verbose_name_plural,
            labels[row["action"]],
            row["count"],
        )
        for row in rows
    ]


def _undone_text(done):
    parts = [
        f"{count} {apps.get_model(label)._meta.verbose_name_plural} {verb}"
        for verb, counts in (
            ("deleted", done.deleted),
            ("restored", done.restored),
            ("made again", done.recreated),
        )
        for label, count in counts.items()
    ]
    return ", ".join(parts) or "nothing to do"
