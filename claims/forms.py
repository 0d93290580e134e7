"""The admin's claim form, and the forms of the curators' bulk actions (claims/admin_curation.py).

The checks of a claim against its question live in the model (Claim.clean); what the form adds
is what needs the curator at the keyboard: the confirmation asked for before a claim whose quote
is not in its source's text is marked checked, and the second-checker rule.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect

from core.text import quote_in

from .models import Claim, Question

# The field asking to confirm a check whose quote is not found: hidden until it must be ticked.
CONFIRM = "confirm_quote_missing"

QUOTE_MISSING_WARNING = (
    "The quote is not in the source's stored text. Check it against the document (the stored "
    "text may be an excerpt), then tick “confirm” to mark the claim checked anyway."
)


def _confirm_field():
    return forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="Confirm: checked although the quote is not in the source's text",
    )


def ask_to_confirm(form):
    """Show the form's confirmation checkbox (hidden until then), unticked."""
    form.fields[CONFIRM].widget = forms.CheckboxInput()
    if form.is_bound:
        # A bound form shows what was posted: the box comes unticked, to be ticked knowingly.
        form.data = form.data.copy()
        form.data.pop(CONFIRM, None)


class ClaimForm(forms.ModelForm):
    """A claim, as a curator edits it in the admin (CurationAdmin.form)."""

    confirm_quote_missing = _confirm_field()
    #: The user saving the form (set by CurationAdmin.get_form), for the second-checker rule.
    curator = None

    # No Meta: the admin makes the form's class with its model and the fields it shows.

    def clean(self):
        cleaned = super().clean()
        claim = self.instance
        status = cleaned.get("status", claim.status)
        before = self.initial.get("status") if claim.pk else None
        self.quote_missing_confirmed = False
        if status != Claim.Status.CHECKED:
            return cleaned
        if before != Claim.Status.CHECKED:
            problem = claim.checker_problem(self.curator)
            if problem:
                self.add_error("status" if "status" in self.fields else None, problem)
        # Asked again when the quote or the source of a checked claim changes.
        if before != Claim.Status.CHECKED or {"quote", "source"} & set(self.changed_data):
            source = cleaned.get("source", claim.source if claim.source_id else None)
            quote = cleaned.get("quote", claim.quote)
            if source is not None and quote_in(quote, source.text) is False:
                if cleaned.get("confirm_quote_missing"):
                    self.quote_missing_confirmed = True
                else:
                    ask_to_confirm(self)
                    self.add_error(CONFIRM, QUOTE_MISSING_WARNING)
        return cleaned


class QuestionChoiceForm(forms.Form):
    """The question to file claims under: picked from a searchable list (the admin's own
    autocomplete, through the claim's question field and QuestionAdmin's search)."""

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here: the widget needs the admin site, and a field binds its widget's choices.
        self.fields["question"] = forms.ModelChoiceField(
            queryset=Question.objects.all(),
            widget=AutocompleteSelect(Claim._meta.get_field("question"), admin_site),
        )


class QuoteMissingForm(forms.Form):
    """The confirmation asked before claims whose quote is not found are marked checked."""

    confirm_quote_missing = _confirm_field()


class StatusChoiceForm(QuoteMissingForm):
    """The status to give claims, with the confirmation a check may need."""

    status = forms.ChoiceField(choices=Claim.Status.choices)

    field_order = ["status", CONFIRM]
