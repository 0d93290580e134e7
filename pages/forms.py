"""The query parameters of the public pages, as forms.

Every filter is a GET parameter, so a filtered view is a permalink. A value that does not parse or
names nothing (an unknown metal symbol or actor slug) is a bad request (400), never a server error.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest

from claims.models import Claim, Metal
from pages.html import format_html, safe
from sources.models import Actor, Source

ANY = [("", "any")]
# The filters' markup by form and values (_Filters.as_labels), bounded: visitors choose the values.
_LABELS = {}
_LABELS_KEPT = 512


class _Filters(forms.Form):
    def values(self):
        """The cleaned filters; raises BadRequest when a parameter is malformed."""
        if not self.is_valid():
            problems = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in self.errors.items()
            )
            raise BadRequest(f"Bad query parameter ({problems})")
        return self.cleaned_data

    def as_labels(self):
        """Each field in its `<label>`, as the filters box shows them (claims/_filters.html).

        Written once per form and set of values in a process: Django renders each widget through
        its template engine (a fifth of a question page's template time for five inputs), and the
        markup depends on nothing but the form's fields and the values given. Called after
        values() (a bad value is a 400 first), so no field has an error to show.
        """
        key = (type(self), tuple(self.data.get(name, "") for name in self.fields))
        markup = _LABELS.get(key)
        if markup is None:
            markup = safe(
                "".join(
                    format_html("\n    <label>{} {}</label>\n    ", field.label, field)
                    for field in self
                )
            )
            if len(_LABELS) >= _LABELS_KEPT:
                _LABELS.clear()
            _LABELS[key] = markup
        return markup

    # Django calls clean_<field> for the forms that have the field.
    def clean_actor(self):
        return self._existing(Actor, "slug", "actor")

    def clean_metal(self):
        return self._existing(Metal, "symbol", "metal")

    def _existing(self, model, key, name):
        """The record the parameter `name` names by its `key`; None when blank, 400 when none."""
        value = self.cleaned_data.get(name, "")
        if not value:
            return None
        found = model.objects.filter(**{key: value}).first()
        if found is None:
            raise forms.ValidationError(f"No {name} {value!r}.")
        return found


# Metals and actors are typed (a symbol, a slug) rather than picked from a list: a team's database
# holds thousands of actors, and the metal and actor pages link to these filters anyway.
def _metal_field():
    return forms.CharField(required=False, label="Metal (symbol)", max_length=10)


def _actor_field():
    return forms.SlugField(required=False, label="Actor (slug)", max_length=100)


def _year_field():
    return forms.IntegerField(required=False, min_value=1000, max_value=9999, label="Published in")


class ClaimFilters(_Filters):
    metal = _metal_field()
    actor = _actor_field()
    kind = forms.ChoiceField(required=False, choices=ANY + Source.Kind.choices, label="Source kind")
    year = _year_field()
    status = forms.ChoiceField(
        required=False,
        choices=ANY
        + [
            (value, label)
            for value, label in Claim.Status.choices
            if value in settings.PUBLIC_CLAIM_STATUSES
        ],
    )


class SourceFilters(_Filters):
    kind = forms.ChoiceField(required=False, choices=ANY + Source.Kind.choices)
    year = _year_field()
    actor = forms.SlugField(required=False, label="Publisher (slug)", max_length=100)


class QuestionFilters(_Filters):
    metal = _metal_field()
    actor = forms.SlugField(required=False, label="About actor (slug)", max_length=100)


class ActorFilters(_Filters):
    kind = forms.ChoiceField(required=False, choices=ANY + Actor.Kind.choices)


class SearchForm(_Filters):
    q = forms.CharField(required=False, max_length=200, label="Search")


class CompareForm(_Filters):
    a = forms.SlugField(required=False, max_length=120, label="Source A")
    b = forms.SlugField(required=False, max_length=120, label="Source B")
