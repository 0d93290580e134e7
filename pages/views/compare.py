"""Two sources compared: the questions both address side by side, then what only one says.

Each shared question is judged on the two sources' claims alone (Question.compare), so the page
says how these two stand to each other; the question's page judges them against every source.
"""

from collections import defaultdict
from itertools import product

from django.http import Http404

from claims import comparison
from claims.comparison import Relation, Verdict
from claims.models import Claim
from sources.models import Source

from .. import display, respond, serialisers
from ..forms import CompareForm

PICKER_LIMIT = 300  # sources listed in the compare page's drop-downs
ONLY_SHOWN = 50  # claims listed under "Only in A" and "Only in B"


def compare(request):
    """The questions two sources both address, side by side, then what only one of them says.

    Queries: 1. the two sources, 2. their public claims with related rows, 3-6. their links
    each way, with the claims at the other ends, 7. the sources for the two pickers (up to
    PICKER_LIMIT; the page only, not its CSV and JSON).
    """
    form = CompareForm(request.GET)
    values = form.values()
    if values["a"] and values["a"] == values["b"]:
        # Before the format is read: the CSV and JSON of this address are this page too.
        context = {"form": form, "choices": _choices(), "a": None, "b": None}
        context["error"] = "Pick two different sources to compare."
        return respond.render_page(request, "claims/compare.html", context, status=400)
    context = {"form": form, "a": None, "b": None}
    result = None
    if values["a"] and values["b"]:
        sources = {
            s.slug: s
            for s in Source.objects.with_related().filter(slug__in=[values["a"], values["b"]])
        }
        if len(sources) != 2:
            raise Http404("No such source.")
        a, b = sources[values["a"]], sources[values["b"]]
        # No actors or metals: the comparison shows figures, quotes and links.
        claims = list(
            Claim.objects.public()
            .filter(source__in=[a, b])
            .with_related()
            .prefetch_related(None)
            .with_links()
            .order_by("ref")
        )
        result = _comparison_of_two(a, b, claims)
        # The first ONLY_SHOWN claims only one source makes are listed; the CSV and JSON have all.
        context.update(a=a, b=b, result=result, only_shown=f":{ONLY_SHOWN}", minus_only=-ONLY_SHOWN)
    return respond.respond(
        request,
        template="claims/compare.html",
        context=lambda: {**context, "choices": _choices()},
        name=f"compare-{values['a']}-{values['b']}" if result else "compare",
        columns=serialisers.COMPARE_COLUMNS,
        records=lambda: serialisers.compare_rows(result) if result else [],
        key="rows",
    )


def _choices():
    """(slug, title) of every source for the pickers; None when there are more than PICKER_LIMIT."""
    # A drop-down of every source is the simplest picker, up to a few hundred: past that the page
    # would carry thousands of options, and the form asks for slugs (shown on each source's page).
    choices = list(
        Source.objects.order_by("title").values_list("slug", "title")[: PICKER_LIMIT + 1]
    )
    return None if len(choices) > PICKER_LIMIT else choices


def _comparison_of_two(a, b, claims):
    by_question = defaultdict(lambda: {"a": [], "b": []})
    unfiled = {"a": [], "b": []}
    for claim in claims:
        side = "a" if claim.source_id == a.pk else "b"
        if claim.question_id:
            by_question[claim.question_id][side].append(claim)
        else:
            unfiled[side].append(claim)
    shared, only = [], {"a": list(unfiled["a"]), "b": list(unfiled["b"])}
    for sides in by_question.values():
        question = (sides["a"] or sides["b"])[0].question
        if sides["a"] and sides["b"]:
            outcome = question.compare(sides["a"] + sides["b"])
            relations = [
                _counted(outcome, x.ref, y.ref) for x, y in product(sides["a"], sides["b"])
            ]
            verdict = _between(relations)
            shared.append(
                {
                    "question": question,
                    "a": sides["a"],
                    "b": sides["b"],
                    "verdict": str(verdict),
                    "badge": display.badge(verdict, series=Relation.SERIES in relations),
                    "unit": outcome.unit,
                }
            )
        else:
            only["a" if sides["a"] else "b"].extend(sides["a"] or sides["b"])
    shared.sort(
        key=lambda item: (
            comparison.VERDICT_ORDER[Verdict(item["verdict"])],
            item["question"].title,
        )
    )
    for side in only.values():
        side.sort(
            key=lambda claim: (
                claim.question is None,
                claim.question.title if claim.question else "",
                claim.ref,
            )
        )
    counts = {
        verdict: sum(1 for item in shared if item["verdict"] == verdict)
        for verdict in ("conflict", "close", "agree")
    }
    return {"shared": shared, "only_a": only["a"], "only_b": only["b"], "counts": counts}


def _counted(outcome, ref_a, ref_b):
    """How two claims stand, where echoes of one origin (or unnamed reports) that agree confirm
    nothing: None, one origin said it."""
    relation = outcome.relation(ref_a, ref_b)
    origin_a, origin_b = outcome.standings[ref_a].origin, outcome.standings[ref_b].origin
    if relation == Relation.AGREE and not comparison.confirms(origin_a, origin_b):
        return None
    return relation


def _between(relations):
    """The worst relation between two sources' claims on a question, as a Verdict: SINGLE when
    they only repeat one origin or refer to different years."""
    for relation in (Relation.CONFLICT, Relation.CLOSE, Relation.AGREE):
        if relation in relations:
            return Verdict(relation.value)
    if None in relations or Relation.SERIES in relations:
        return Verdict.SINGLE
    return Verdict.NOT_COMPARABLE
