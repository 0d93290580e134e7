"""CSV interchange for metals, questions and claims (see docs/csv-format.md).

A claim's `links` are a late column (interchange/engine/late.py): a link may name a claim further
down the file, so they are checked and written once every row of claims.csv is in.
"""

import functools
import itertools
from collections import deque
from decimal import Decimal

from import_export import fields

from core.history import current_change_context
from core.text import LIST_SEPARATOR, SpacedText
from interchange.engine.keys import any_of
from interchange.engine.late import LateColumn
from interchange.engine.write import insert, insert_history
from interchange.problems import clause
from interchange.resources import InterchangeResource, parents_first
from interchange.widgets import (
    ChoiceWidget,
    CodeWidget,
    FlagWidget,
    IntegerWidget,
    NaturalKeyListWidget,
    NaturalKeyWidget,
    NumberWidget,
    TextWidget,
    split_list,
)
from sources.models import Actor, Source

from .comparison import ANSWER_CHOICES, LINK_CHOICES, QUALIFIER_CHOICES, UNIT_CHOICES
from .models import Claim, ClaimLink, Metal, Question, quote_fields, stranded_message


class MetalResource(InterchangeResource):
    symbol = fields.Field(attribute="symbol", column_name="symbol", widget=CodeWidget())
    atomic_number = fields.Field(
        attribute="atomic_number",
        column_name="atomic_number",
        widget=IntegerWidget("atomic_number"),
    )
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=ChoiceWidget(Metal.Category.choices, "category"),
    )
    members = fields.Field(
        attribute="members",
        column_name="members",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )

    required_columns = ("symbol", "name", "category")
    constraint_messages = {
        "metal_group_has_no_atomic_number": (
            "atomic_number",
            "an element needs an atomic number and a group (category 'group') has none",
        ),
        "metal_atomic_number_range": ("atomic_number", "an atomic number is from 1 to 118"),
        "metal_atomic_number_unique": (
            "atomic_number",
            "another metal already has this atomic number",
        ),
    }

    class Meta:
        model = Metal
        import_id_fields = ("symbol",)
        fields = ("symbol", "name", "atomic_number", "category", "members")

    def with_related(self, queryset):
        return queryset.prefetch_related("members")

    streams_export = False

    def iter_queryset(self, queryset):
        # Elements in the table's order (by atomic number), then groups, each group after the
        # groups it contains, so the file imports top to bottom.
        metals = list(queryset)
        metals.sort(key=lambda metal: metal.is_group)
        return parents_first(metals, lambda metal: [m.pk for m in metal.members.all()])


class QuestionResource(InterchangeResource):
    slug = fields.Field(attribute="slug", column_name="slug", widget=CodeWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget(Question.Kind.choices, "kind", default=Question.Kind.QUANTITY),
    )
    unit = fields.Field(
        attribute="unit", column_name="unit", widget=ChoiceWidget(UNIT_CHOICES, "unit")
    )
    subjects = fields.Field(
        attribute="subjects",
        column_name="subjects",
        widget=NaturalKeyListWidget(Actor, "slug", "actor"),
    )
    metals = fields.Field(
        attribute="metals",
        column_name="metals",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )
    # An empty tolerance cell means "none": figures must overlap to agree.
    tolerance = fields.Field(
        attribute="tolerance",
        column_name="tolerance",
        widget=NumberWidget("tolerance"),
        default=Decimal(0),
    )
    # An empty bound is no bound on that side; an empty drift is 0: figures of different years
    # must then overlap to agree, as figures of one year must.
    lower_bound = fields.Field(
        attribute="lower_bound", column_name="lower_bound", widget=NumberWidget("lower_bound")
    )
    upper_bound = fields.Field(
        attribute="upper_bound", column_name="upper_bound", widget=NumberWidget("upper_bound")
    )
    drift = fields.Field(
        attribute="drift", column_name="drift", widget=NumberWidget("drift"), default=Decimal(0)
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget()
    )

    required_columns = ("slug", "title")
    constraint_messages = {
        "question_tolerance_not_negative": ("tolerance", "the tolerance cannot be negative"),
        "question_yes_no_has_no_unit": ("unit", "a yes/no question (kind 'boolean') has no unit"),
        "question_bounds_in_order": (
            "upper_bound",
            "the upper bound must be above the lower bound",
        ),
        # Named on the kind: it is why both bound cells must be empty, whichever one is filled.
        "question_yes_no_has_no_bounds": (
            "kind",
            "a yes/no question (kind 'boolean') has no bounds: leave lower_bound and upper_bound "
            "empty",
        ),
        "question_drift_not_negative": ("drift", "the drift cannot be negative"),
    }

    class Meta:
        model = Question
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "kind",
            "unit",
            "subjects",
            "metals",
            "tolerance",
            "lower_bound",
            "upper_bound",
            "drift",
            "description",
        )

    def with_related(self, queryset):
        return queryset.prefetch_related("subjects", "metals")

    def row_check(self):
        """New bounds must not leave a recorded claim outside them (Question.clean, as in the
        admin's form): a query for each question row with bounds, which are few."""

        def problems(question):
            stranded = question.stranded_claims()
            return {"lower_bound": stranded_message(stranded)} if stranded else {}

        return problems


# Refs or ids per query when a file's links are resolved and written: a batch's worth.
_PER_QUERY = 2000


class ClaimLinksWidget(LateColumn):
    """A claim's outgoing links as `kind:ref` items separated by `|`: `qualifies:edm-x|corrects:y`.

    A late column (interchange/engine/late.py): a link may name a claim further down the file, and
    a cycle is only known once every row is read, so the cells are checked against the whole file
    and the database once all of claims.csv is written. A row's cell replaces the claim's
    outgoing links (an empty cell removes them); links that stay are kept as they are.
    """

    _kind = ChoiceWidget(LINK_CHOICES, "link kind")

    def parse(self, cell, key):
        links = set()
        for item in split_list(cell):
            kind, colon, ref = (part.strip() for part in item.partition(":"))
            if not (colon and kind and ref):
                raise ValueError(
                    f"link '{item}' is not kind:ref (e.g. qualifies:another-claim), "
                    f"with kind one of {', '.join(ClaimLink.Kind.values)}"
                )
            kind = self._kind.clean(kind)
            if ref == key:
                raise ValueError(
                    f"link '{item}' points at the claim itself: a claim links to others"
                )
            links.add((kind, ref))
        return tuple(sorted(links))

    def current(self, ids):
        links = {}
        rows = ClaimLink.objects.filter(claim_id__in=any_of(ids, Claim._meta.pk)).order_by()
        for owner, kind, ref in rows.values_list("claim_id", "kind", "target__ref"):
            links.setdefault(owner, []).append((kind, ref))
        return {owner: tuple(sorted(pairs)) for owner, pairs in links.items()}

    def check(self, importer, rows):
        """The targets' ids ({claim id: {(kind, target id)}}), and [(line, message)] for each link
        to a claim that is not there and each cycle the file's links would close."""
        ids = _claim_ids({ref for *_, links in rows for _, ref in links})
        problems, resolved = [], {}
        for line, _, owner, links in rows:
            for kind, ref in links:
                if ref not in ids:
                    problems.append((line, _missing(kind, ref, importer.lines)))
            resolved[owner] = {(kind, ids[ref]) for kind, ref in links if ref in ids}
        problems.extend(_cycles(rows, resolved, ids))
        problems.sort(key=lambda problem: problem[0])
        return resolved, problems

    def write(self, importer, resolved):
        """Replace the outgoing links of the claims in `resolved`, with a history row for each
        link deleted (-) or added (+); a link that stays is left as it is.

        The claims' versions are not bumped here: a row whose links change counts as changed
        (check.check_row), so the engine has bumped it with the row, once, and the version an
        import's batch records for its undo is the one the claim keeps."""
        attnames = [f.attname for f in ClaimLink._meta.concrete_fields]
        old = []
        for owners in _chunks(resolved):
            links = ClaimLink.objects.filter(claim_id__in=any_of(owners, Claim._meta.pk))
            old.extend(links.order_by().values(*attnames))
        gone = [v for v in old if (v["kind"], v["target_id"]) not in resolved[v["claim_id"]]]
        kept = {(v["claim_id"], v["kind"], v["target_id"]) for v in old}
        now = importer.now
        new = [
            ClaimLink(claim_id=owner, kind=kind, target_id=target, created=now, updated=now)
            for owner, wanted in resolved.items()
            for kind, target in sorted(wanted)
            if (owner, kind, target) not in kept
        ]
        for chunk in _chunks(v["id"] for v in gone):
            # Links removed are few (a cell that changes): deleted as the admin deletes them,
            # simple-history writing each one's history row with the import's reason and user.
            ClaimLink.objects.filter(pk__in=any_of(chunk, ClaimLink._meta.pk)).delete()
        insert(ClaimLink, new)
        insert_history(importer, ClaimLink.history.model, [("+", link.__dict__) for link in new])

    def cells(self, ids):
        return {owner: _links_cell(links) for owner, links in self.current(ids).items()}

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _links_cell((link.kind, link.target.ref) for link in value.all())


def _chunks(items):
    """`items` in lists of _PER_QUERY."""
    items = iter(items)
    while chunk := list(itertools.islice(items, _PER_QUERY)):
        yield chunk


def _links_cell(links):
    # Sorted so that an export is the same file however the links were written.
    return LIST_SEPARATOR.join(sorted(f"{kind}:{ref}" for kind, ref in links))


def _claim_ids(refs):
    """{ref: id} of the claims among `refs`, a batch's worth of refs per query."""
    ids = {}
    ref_field = Claim._meta.get_field("ref")
    for chunk in _chunks(refs):
        claims = Claim.objects.filter(ref__in=any_of(chunk, ref_field)).order_by()
        ids.update(claims.values_list("ref", "pk"))
    return ids


def _missing(kind, ref, lines):
    if ref in lines:
        return (
            f"link '{kind}:{ref}' names the claim on line {lines[ref]}, which is not imported: "
            "see its problems"
        )
    return (
        f"link '{kind}:{ref}': claim '{ref}' does not exist, neither in this file nor in the "
        "database"
    )


def _cycles(rows, resolved, ids):
    """(line, message) for each cycle of one kind of link that the file's links would close.

    Over the links as they will be once the file is in: the database's, except the outgoing
    links of the claims the file gives links (its `resolved`). A cycle the database has already,
    through no link of the file, is not the file's to answer for.
    """
    # The rule of ClaimLink.objects.cycle_through, checked here over a whole file at once.
    kinds = {kind for wanted in resolved.values() for kind, _ in wanted} - ClaimLink.MAY_BE_MUTUAL
    if not kinds:
        return []
    graphs = {kind: {} for kind in kinds}
    stored = ClaimLink.objects.filter(kind__in=kinds).order_by()
    for kind, owner, target in stored.values_list("kind", "claim_id", "target_id").iterator():
        if owner not in resolved:
            graphs[kind].setdefault(owner, set()).add(target)
    # The file's links of each kind, by line: (line, owner, ref, target id).
    in_file = {kind: [] for kind in kinds}
    for line, _, owner, links in rows:
        for kind, ref in links:
            if kind in kinds and ref in ids:
                graphs[kind].setdefault(owner, set()).add(ids[ref])
                in_file[kind].append((line, owner, ref, ids[ref]))
    found = []  # (line, kind, ref, path of ids)
    for kind in sorted(kinds):
        graph = graphs[kind]
        for component in _strongly_connected(graph):
            closing = [link for link in in_file[kind] if {link[1], link[3]} <= component]
            if not closing:
                continue
            # Reported on the last of its links in the file: the one that closes it, read top down.
            line, owner, ref, target = max(closing)
            found.append((line, kind, ref, [owner, *_path(graph, target, owner, component)]))
    if not found:
        return []
    names = {claim_id: ref for ref, claim_id in ids.items()}
    names.update((owner, key) for _, key, owner, _ in rows)
    unnamed = {claim_id for *_, path in found for claim_id in path} - set(names)
    names.update(Claim.objects.filter(pk__in=unnamed).values_list("pk", "ref"))
    return [
        (
            line,
            f"link '{kind}:{ref}' closes a cycle of {kind} links "
            f"({_cycle_text([names[claim_id] for claim_id in path])}): only disputes may come "
            "back to where they started",
        )
        for line, kind, ref, path in found
    ]


def _cycle_text(refs):
    """The cycle as "a → b → c → a", its middle left out when long, so a message stays readable."""
    if len(refs) > 9:
        refs = [*refs[:4], f"… {len(refs) - 7:,} more …", *refs[-3:]]
    return " → ".join(refs)


def _strongly_connected(graph):
    """The sets of nodes of `graph` ({node: {next nodes}}) that a cycle runs through: its strongly
    connected components of more than one node (Tarjan's algorithm, without recursion, so that a
    chain of thousands of links stays within Python's stack)."""
    order, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = itertools.count()

    def visit(node):
        order[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        return (node, iter(graph.get(node, ())))

    for root in graph:
        if root in order:
            continue
        work = [visit(root)]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in order:
                    work.append(visit(successor))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], order[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
    return components


def _path(graph, start, end, within):
    """The nodes of a shortest path from `start` to `end` through the nodes `within`."""
    previous = {start: None}
    todo = deque([start])
    while todo and end not in previous:
        node = todo.popleft()
        for successor in graph.get(node, ()):
            if successor in within and successor not in previous:
                previous[successor] = node
                todo.append(successor)
    path = [end]
    while path[-1] != start:
        path.append(previous[path[-1]])
    return path[::-1]


#: How many source texts an import holds at once while it sets its claims' quote-found flags.
SOURCE_TEXTS_AT_ONCE = 50


class ClaimResource(InterchangeResource):
    ref = fields.Field(attribute="ref", column_name="ref", widget=CodeWidget())
    source = fields.Field(
        attribute="source", column_name="source", widget=NaturalKeyWidget(Source, "slug", "source")
    )
    quote = fields.Field(attribute="quote", column_name="quote", widget=TextWidget())
    paraphrase = fields.Field(attribute="paraphrase", column_name="paraphrase", widget=TextWidget())
    question = fields.Field(
        attribute="question",
        column_name="question",
        widget=NaturalKeyWidget(Question, "slug", "question"),
    )
    speaker = fields.Field(
        attribute="speaker", column_name="speaker", widget=NaturalKeyWidget(Actor, "slug", "actor")
    )
    cited_source = fields.Field(
        attribute="cited_source",
        column_name="cited_source",
        widget=NaturalKeyWidget(Source, "slug", "source"),
    )
    unattributed = fields.Field(
        attribute="unattributed", column_name="unattributed", widget=FlagWidget("unattributed")
    )
    about = fields.Field(
        attribute="about", column_name="about", widget=NaturalKeyListWidget(Actor, "slug", "actor")
    )
    metals = fields.Field(
        attribute="metals",
        column_name="metals",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )
    qualifier = fields.Field(
        attribute="qualifier",
        column_name="qualifier",
        widget=ChoiceWidget(QUALIFIER_CHOICES, "qualifier"),
    )
    value = fields.Field(attribute="value", column_name="value", widget=NumberWidget("value"))
    value_high = fields.Field(
        attribute="value_high", column_name="value_high", widget=NumberWidget("value_high")
    )
    unit = fields.Field(
        attribute="unit", column_name="unit", widget=ChoiceWidget(UNIT_CHOICES, "unit")
    )
    as_of = fields.Field(attribute="as_of", column_name="as_of", widget=CodeWidget())
    answer = fields.Field(
        attribute="answer", column_name="answer", widget=ChoiceWidget(ANSWER_CHOICES, "answer")
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(Claim.Status.choices, "status", default=Claim.Status.DRAFT),
    )
    note = fields.Field(attribute="note", column_name="note", widget=TextWidget())
    links = fields.Field(attribute="links", column_name="links", widget=ClaimLinksWidget())

    required_columns = ("ref", "source", "quote")
    constraint_messages = {
        "claim_value_high_not_below_value": ("value_high", "value_high is below value"),
        "claim_between_has_both_values": (
            "value_high",
            "qualifier 'between' needs both value and value_high, and only 'between' has a "
            "value_high",
        ),
        "claim_qualifier_needs_value": ("qualifier", "a qualifier needs a value"),
        "claim_answer_or_value": ("answer", "a claim has an answer or a value, not both"),
    }

    class Meta:
        model = Claim
        import_id_fields = ("ref",)
        fields = (
            "ref",
            "source",
            "quote",
            "paraphrase",
            "question",
            "speaker",
            "cited_source",
            "unattributed",
            "about",
            "metals",
            "qualifier",
            "value",
            "value_high",
            "unit",
            "as_of",
            "answer",
            "status",
            "note",
            "links",
        )

    def with_related(self, queryset):
        # The export renders slugs only: a source's full text is never needed. (Lookups by name,
        # not Prefetch objects: import-export applies this twice to the admin's export.)
        return (
            queryset.select_related("source", "question", "speaker", "cited_source")
            .defer("source__text", "cited_source__text")
            .prefetch_related("about", "metals", "links__target")
        )

    def row_check(self):
        """A claim's figure must stand on its question (Claim.problems_on: a unit of the question's
        dimension, taken from it when the row gives none, a value within its bounds), as in the
        admin's form. And
        with a second checker required, the importing user may not check the claims they
        recorded (Claim.checker_problem). What the checks read is read once per file, when the
        first row needs it."""
        _, user = current_change_context()  # the importing user, as the engine finds them

        @functools.cache
        def questions():
            return {question.pk: question for question in Question.objects.defer("description")}

        @functools.cache
        def unchecked():
            # The stored claims this file may newly check: those not checked yet.
            rows = Claim.objects.exclude(status=Claim.Status.CHECKED).filter(created_by=user)
            return set(rows.values_list("pk", flat=True))

        def problems(claim):
            found = {}
            if claim.question_id is not None:
                question = questions()[claim.question_id]
                found = claim.problems_on(question)
            refused = claim.status == Claim.Status.CHECKED and claim.checker_problem(user)
            if refused and (claim.pk is None or claim.pk in unchecked()):
                found["status"] = refused
            # The messages are the form's sentences; an import's are clauses after "line N,
            # column value:", without a capital or a stop.
            return {field: clause(message) for field, message in found.items()}

        return problems

    def before_write(self, rows, user):
        """What the engine's bulk write must store beside the file's cells (its rows skip
        Claim.save), for a batch's (claim, stored values or None) rows: the quote-found flag and
        anchor (models.quote_fields), where the quote or the source is new or changed, with the
        texts of the sources those rows cite read in one query; and who checked the claim and when, where its status
        becomes checked."""
        quoted = {}  # source id → the claims to look for their quote in its text
        for claim, original in rows:
            if original is None or (claim.quote, claim.source_id) != (
                original["quote"],
                original["source_id"],
            ):
                claim.quote_found = None  # no text to look in, unless the source has one
                quoted.setdefault(claim.source_id, []).append(claim)
        quoted.pop(None, None)
        if quoted:
            texts = (
                Source.objects.filter(pk__in=any_of(sorted(quoted), Source._meta.pk))
                .order_by()
                .values_list("pk", "text")
            )
            # Streamed, a few texts at a time: a text may be a book's length.
            for source_id, text in texts.iterator(chunk_size=SOURCE_TEXTS_AT_ONCE):
                spaced = SpacedText(text) if text else None
                for claim in quoted[source_id]:
                    for name, value in quote_fields(claim, spaced).items():
                        setattr(claim, name, value)
        for claim, original in rows:
            claim.note_status_change(None if original is None else original["status"], by=user)
