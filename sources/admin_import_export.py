"""How the admin imports and exports: the interchange formats, read by the command line's code.

`InterchangeAdminMixin` goes first in the bases of every record model's admin. It changes only what
django-import-export's admin needs to behave like `import_data`:

1. Import and export formats are sources.formats' CSV and XLSX, so an upload is read by
   `read_table` (any separator, BOM or not, XLSX by content) and a file that cannot be read gets
   its plain reason on the form, not "UnicodeDecodeError encountered while trying to read file".
2. The preview (a dry run) lists every problem with its line, column and reason (`result.problems`,
   see templates/admin/import_export/import.html); with any problem there is nothing to confirm.
3. The confirmed import rolls back on a validation error too, so a file that went bad between
   preview and confirmation (someone deleted a source it cites) still saves nothing.
4. An export is always a whole interchange file (no choice of columns), so it re-imports.
"""

from django.http import HttpResponse
from import_export.forms import ExportForm

from .citations import to_bibtex, to_csl_json
from .formats import INTERCHANGE_FORMATS, FileProblem


class InterchangeAdminMixin:
    import_formats = INTERCHANGE_FORMATS
    export_formats = INTERCHANGE_FORMATS
    export_form_class = ExportForm
    import_error_display = ("message",)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileProblem):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_csl_json(modeladmin, request, queryset):
    """Admin action: the selected sources as CSL-JSON (for Zotero, Pandoc, citeproc)."""
    sources = queryset.select_related("publisher").order_by("slug")
    return _download(
        to_csl_json(sources), "sources.json", "application/vnd.citationstyles.csl+json"
    )


export_csl_json.short_description = "Export selected sources as CSL-JSON"
export_csl_json.allowed_permissions = ("view",)


def export_bibtex(modeladmin, request, queryset):
    """Admin action: the selected sources as BibTeX (keys are the sources' slugs)."""
    sources = queryset.select_related("publisher").order_by("slug")
    return _download(to_bibtex(sources), "sources.bib", "application/x-bibtex; charset=utf-8")


export_bibtex.short_description = "Export selected sources as BibTeX"
export_bibtex.allowed_permissions = ("view",)
