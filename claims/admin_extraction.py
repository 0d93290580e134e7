"""The review screen: the figures found in a source's text (claims.extraction) as candidate
claims a curator ticks, edits and creates as drafts in one go (claims.services.claims_from_text).

Registered by ClaimAdmin.get_urls as `admin:claims_claim_from_text`; the source's admin page links
to it by that name (sources may not import claims). The candidates are found again on every
request, from the stored text and what the database knows (claims.known): a row is named by its
place in the text, so its quote never comes from the browser, and a row the text no longer has is
refused. Options lists (questions, actors, sources) are rendered once per page from the values
already read, never once per row.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify

from claims.comparison import stated_figure
from sources.models import Actor, Source

from .extraction import Recorded, extract, unrecorded
from .known import known_from_database
from .models import QUALIFIER_CHOICES, UNIT_CHOICES, Claim, Question
from .services import claims_from_text

# How much of a candidate's paragraph is shown either side of its quote.
CONTEXT = 300
NEW = "__new__"  # the question selector's "new question"
FIELDS = ["qualifier", "value", "value_high", "unit", "as_of", "speaker", "cited", "question",
          "new_title"]  # fmt: skip


@dataclass
class Row:
    key: str
    candidate: object
    values: dict
    suggested: list  # (slug, title) of the suggested questions, best first
    figure: str = ""  # the figure as the extraction read it, e.g. "about 91%"
    picked: bool = False
    errors: list = field(default_factory=list)

    @property
    def suggested_slugs(self):
        return [slug for slug, _ in self.suggested]


def review_view(model_admin, request, source_id):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    source = (
        Source.objects.filter(pk=source_id).only("pk", "slug", "title", "text", "published").first()
    )
    if source is None:
        raise Http404("No such source.")
    known = known_from_database()
    recorded = [
        Recorded(quote, qualifier, value, value_high, unit)
        for quote, qualifier, value, value_high, unit in source.claims.filter(
            value__isnull=False
        ).values_list("quote", "qualifier", "value", "value_high", "unit")
    ]
    candidates = extract(source.text, known, published=source.published) if source.text else []
    rows = _rows(candidates, unrecorded(source.text, candidates, recorded), known)
    problems = []
    if request.method == "POST":
        picked = request.POST.getlist("pick")
        by_key = {row.key: row for row in rows}
        unknown = [key for key in picked if key not in by_key]
        for row in rows:
            row.values = {
                name: request.POST.get(f"{row.key}-{name}", "").strip() for name in FIELDS
            }
            row.picked = row.key in picked
        if unknown:
            problems.append(
                "Some ticked rows are not candidates of this source's text any more (the text or "
                "its claims changed since the page was opened): nothing was created; look again."
            )
        elif not picked:
            problems.append("Tick the candidates to create as drafts: none was ticked.")
        else:
            claims = _validated([row for row in rows if row.picked], source, known)
            if claims is not None:
                refs = claims_from_text(source=source, claims=claims, user=request.user)
                model_admin.message_user(
                    request,
                    f"{len(refs)} draft claim{'s' if len(refs) != 1 else ''} created from the "
                    f"text of “{source.title}”: {', '.join(refs[:10])}"
                    f"{' …' if len(refs) > 10 else ''}.",
                    messages.SUCCESS,
                )
                changelist = reverse("admin:claims_claim_changelist")
                return redirect(f"{changelist}?{urlencode({'source': source.slug})}")
            problems.append("Nothing was created: the rows marked below need a correction.")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Find claims in the text of “{source.title}”",
        "opts": model_admin.model._meta,
        "source": source,
        "source_url": reverse("admin:sources_source_change", args=[source.pk]),
        "rows": [(row, _paragraph(source.text, row.candidate)) for row in rows],
        "found": len(candidates),
        "problems": problems,
        "questions": [(q.slug, q.title) for q in known.questions if q.kind != "boolean"],
        "actors": [(a.slug, a.name) for a in known.actors],
        "sources": [(s.slug, s.title) for s in known.sources],
        "qualifiers": QUALIFIER_CHOICES,
        "units": UNIT_CHOICES,
        "new": NEW,
    }
    return TemplateResponse(request, "admin/claims/claim/from_text.html", context)


def _rows(candidates, proposed, known):
    """A row for each proposed candidate, named by its place in the text (and its rank among the
    candidates at that place, so it is the same name on every request for the same text)."""
    titles = {q.slug: q.title for q in known.questions}
    keep = set(map(id, proposed))
    seen, rows = {}, []
    for candidate in candidates:
        place = (candidate.start, candidate.end)
        seen[place] = seen.get(place, -1) + 1
        if id(candidate) not in keep:
            continue
        suggested = [(s.question, titles[s.question]) for s in candidate.questions]
        values = {
            "qualifier": candidate.qualifier if candidate.qualifier != "exact" else "",
            "value": _number(candidate.value),
            "value_high": _number(candidate.value_high),
            "unit": candidate.unit,
            "as_of": candidate.as_of,
            "speaker": candidate.speaker,
            "cited": candidate.cited.source if candidate.cited else "",
            "question": suggested[0][0] if suggested else "",
            "new_title": "",
        }
        key = f"c{candidate.start}-{candidate.end}-{seen[place]}"
        figure = stated_figure(
            candidate.qualifier, candidate.value, candidate.value_high, candidate.unit, ""
        )
        rows.append(Row(key, candidate, values, suggested, figure))
    return rows


def _number(value):
    return "" if value is None else format(value.normalize(), "f")


def _paragraph(text, candidate):
    """The candidate's paragraph (the line it is in, at most CONTEXT characters either side),
    with its quote marked."""
    start = max(text.rfind("\n", 0, candidate.start) + 1, candidate.start - CONTEXT)
    end = text.find("\n", candidate.end)
    end = min(len(text) if end < 0 else end, candidate.end + CONTEXT)
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start > 0 and text[start - 1] != "\n" else "",
        text[start : candidate.start],
        candidate.quote,
        text[candidate.end : end],
        "…" if end < len(text) and text[end] != "\n" else "",
    )


def _validated(rows, source, known):
    """Unsaved claims of the ticked rows, or None after noting each row's problems on it (then
    nothing is to be created). The checks are Claim's own (its fields and constraints) and
    Claim.problems_on the chosen question."""
    actors = {a.slug for a in known.actors}
    sources = {s.slug for s in known.sources}
    question_slugs = [
        row.values["question"] for row in rows if row.values["question"] not in ("", NEW)
    ]
    questions = Question.objects.in_bulk(question_slugs, field_name="slug")
    slugs = {"actors": {}, "sources": {}}
    wanted_actors = {row.values["speaker"] for row in rows} - {""}
    wanted_sources = {row.values["cited"] for row in rows} - {""}
    slugs["actors"] = Actor.objects.in_bulk(wanted_actors & actors, field_name="slug")
    slugs["sources"] = Source.objects.in_bulk(wanted_sources & sources, field_name="slug")
    new_questions, claims, valid = {}, [], True
    for row in rows:
        values, errors = row.values, row.errors
        claim = Claim(source=source, quote=row.candidate.quote, status=Claim.Status.DRAFT)
        claim.qualifier = values["qualifier"]
        for name in ("value", "value_high"):
            text = values[name].replace(",", "")
            try:
                number = Decimal(text) if text else None
                if number is not None and not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(f"{name.replace('_', ' ')}: “{values[name]}” is not a number.")
                number = None
            setattr(claim, name, number)
        claim.unit, claim.as_of = values["unit"], values["as_of"]
        if values["speaker"]:
            claim.speaker = slugs["actors"].get(values["speaker"])
            if claim.speaker is None:
                errors.append(f"speaker: no actor has the slug “{values['speaker']}”.")
        if values["cited"]:
            claim.cited_source = slugs["sources"].get(values["cited"])
            if claim.cited_source is None:
                errors.append(f"cited source: no source has the slug “{values['cited']}”.")
        question = None
        if values["question"] == NEW:
            title = values["new_title"]
            if not title:
                errors.append("question: give the new question a title.")
            else:
                question = new_questions.get(title) or _new_question(
                    title, claim.unit, new_questions
                )
        elif values["question"]:
            question = questions.get(values["question"])
            if question is None:
                errors.append(f"question: no question has the slug “{values['question']}”.")
        try:
            claim.full_clean(
                exclude=["ref", "source", "question", "speaker", "cited_source"],
                validate_unique=False,
            )
        except ValidationError as error:
            errors.extend(
                f"{name.replace('_', ' ')}: {message}"
                for name, found in error.message_dict.items()
                for message in found
            )
        if question is not None and not errors:
            errors.extend(
                f"{name}: {message}" for name, message in claim.problems_on(question).items()
            )
            claim.question = question
        valid = valid and not errors
        claims.append(claim)
    return claims if valid else None


def _new_question(title, unit, made):
    """A new question of that title: a quantity in the row's unit, with a slug from its title
    (made unique with a number); rows naming the same title share it."""
    base = slugify(title)[:110] or "question"
    taken = set(Question.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= {q.slug for q in made.values()}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    made[title] = Question(title=title, slug=slug, kind=Question.Kind.QUANTITY, unit=unit)
    return made[title]
