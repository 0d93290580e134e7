"""What was said, about what: metals, the questions sources are compared on, and claims.

The models store what a source says as it says it; what may be stored (units, qualifiers, kinds,
answers) and how it is compared come from claims.comparison, which knows no database. The
querysets here read claims the way the pages and summaries need them: `figures()` as plain
values for comparing thousands at once, the others as the few model instances a page shows.
"""

from collections import namedtuple
from functools import cache
from itertools import islice
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls.converters import SlugConverter
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.dataversion import Version
from core.fields import PartialDateField
from core.links import page_url
from core.models import Timestamped, Versioned
from core.prepared import Prepared
from core.search import text_search
from core.text import (
    ANCHOR_CONTEXT,
    LONG_TEXT_HELP,
    LongTextField,
    SpacedText,
    validate_one_line,
)
from sources.models import Actor, Source

from . import comparison
from .comparison import (
    ANSWER_CHOICES,
    KIND_CHOICES,
    LINK_CHOICES,
    QUALIFIER_CHOICES,
    UNIT_CHOICES,
    VERDICT_LABELS,
    VERDICT_ORDER,
)

# A symbol is the key of its metal's page (/metals/<symbol>/) and an item of the |-separated lists
# in CSV files: it takes the characters of the `slug` path converter the URL pattern uses.
METAL_SYMBOL = RegexValidator(
    rf"^{SlugConverter.regex}\Z",
    "Use only letters, digits, hyphens and underscores, e.g. Nd or LREE: the symbol is part of "
    "the metal's web address.",
    code="invalid_symbol",
)


def _ids_linked_to(model, field, targets):
    """Ids of the `model` rows whose many-to-many `field` links to one of `targets` (a queryset
    of ids), read from the link table alone: filtering on `field__in` would join it to the rows
    and give a row per link."""
    link = model._meta.get_field(field)
    rows = link.remote_field.through.objects.filter(
        **{f"{link.m2m_reverse_field_name()}__in": targets}
    )
    return rows.values(link.m2m_column_name())


class MetalQuerySet(models.QuerySet):
    def related_to(self, metal):
        """The metal, the groups it belongs to and, for a group, its members."""
        return self.filter(Q(pk=metal.pk) | Q(members=metal) | Q(groups=metal))

    def with_claim_counts(self):
        return self.annotate(
            claim_count=models.Count(
                "claims",
                filter=Q(claims__status__in=settings.PUBLIC_CLAIM_STATUSES),
                distinct=True,
            )
        )


class Metal(Versioned):
    """An element, or a named group of elements (“rare earth elements”, “light REE”).

    Groups live in the same table as elements so a claim can be about either; a group lists its
    members, and a metal's page shows claims about the metal and about every group it belongs to.
    """

    class Category(models.TextChoices):
        LIGHT_REE = "light_ree", "light rare earth element"
        HEAVY_REE = "heavy_ree", "heavy rare earth element"
        RARE_METAL = "rare_metal", "other rare metal"
        OTHER = "other", "other metal"
        GROUP = "group", "group of elements"

    symbol = models.CharField(
        max_length=10,
        validators=[METAL_SYMBOL],
        help_text="Chemical symbol (Nd), or a short code for a group (REE, LREE, HREE).",
    )
    name = models.CharField(
        max_length=100,
        validators=[validate_one_line],
        help_text="English name, e.g. “neodymium”.",
    )
    atomic_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Atomic number of an element; blank for a group."
    )
    category = models.CharField(
        max_length=20,
        choices=Category.choices,
        help_text="Light or heavy REE, other rare metal, or group.",
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        help_text="For a group: the elements it contains.",
    )

    objects = MetalQuerySet.as_manager()
    # Every change: who, when, what, m2m relations included (see core/history.py).
    history = HistoricalRecords(m2m_fields=["members"])

    class Meta:
        ordering = [F("atomic_number").asc(nulls_first=True), "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["symbol"], name="metal_symbol_unique"),
            models.UniqueConstraint(
                fields=["atomic_number"],
                condition=Q(atomic_number__isnull=False),
                name="metal_atomic_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(atomic_number__isnull=True)
                | Q(atomic_number__gte=1, atomic_number__lte=118),
                name="metal_atomic_number_range",
            ),
            models.CheckConstraint(
                condition=Q(category="group", atomic_number__isnull=True)
                | (~Q(category="group") & Q(atomic_number__isnull=False)),
                name="metal_group_has_no_atomic_number",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.symbol})"

    def get_absolute_url(self):
        return page_url("metal_detail", self.symbol)

    @property
    def is_group(self):
        return self.category == self.Category.GROUP


class QuestionQuerySet(models.QuerySet):
    def with_related(self):
        return self.prefetch_related("subjects", "metals")

    def about_metal(self, metal):
        """Questions about the metal, a group it belongs to or, for a group, one of its members."""
        related = Metal.objects.related_to(metal).values("pk")
        return self.filter(pk__in=_ids_linked_to(Question, "metals", related))

    def about_actor(self, actor):
        """Questions whose subjects include the actor, its parent or its children."""
        family = Actor.objects.family(actor).values("pk")
        return self.filter(pk__in=_ids_linked_to(Question, "subjects", family))


class Question(Timestamped):
    """One thing sources can be compared on, e.g. “Russia's rare-earth reserves”.

    The question, not the claim, fixes the unit the figures are compared in and how far apart two
    figures may be and still count as close: the same 2 points mean little for tonnes but a lot for
    a rank.
    """

    # The kinds comparison knows (KIND_CHOICES), as an enum: Question.Kind.QUANTITY.
    Kind = models.TextChoices(
        "Kind", [(code.upper(), (code, label)) for code, label in KIND_CHOICES]
    )

    slug = models.SlugField(max_length=120, help_text="Stable key used in URLs and CSV files.")
    title = models.CharField(
        max_length=300,
        validators=[validate_one_line],
        help_text="The question, e.g. “Russia's rare-earth reserves”.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.QUANTITY,
        help_text="Quantity (a figure in a unit), rank (1st, 2nd …) or yes/no.",
    )
    unit = models.CharField(
        max_length=10,
        choices=UNIT_CHOICES,
        blank=True,
        help_text="Unit every claim is converted to before comparing (blank for yes/no questions).",
    )
    subjects = models.ManyToManyField(
        Actor, blank=True, related_name="questions", help_text="The actors the question is about."
    )
    metals = models.ManyToManyField(
        Metal, blank=True, related_name="questions", help_text="The metals the question is about."
    )
    tolerance = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        default=0,
        help_text="How far apart two figures may be, in the question's unit, and still count as close "
        "(e.g. 2 for two percentage points).",
    )
    lower_bound = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="The lowest value the measure can take, if it has one (0 for a share of a "
        "whole); figures are clipped to it and a figure below it is refused. A rank starts at 1 "
        "without it.",
    )
    upper_bound = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="The highest value the measure can take, if it has one (100 for a share of a "
        "whole in percent).",
    )
    drift = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        default=0,
        help_text="How much the measure may change in a year, in the question's unit: figures a "
        "few years apart agree when no further apart than drift × years (0: they must overlap).",
    )
    description = LongTextField(
        blank=True, help_text="What exactly is measured, and any caveats. " + LONG_TEXT_HELP
    )

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["subjects", "metals"])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="question_slug_unique"),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0), name="question_tolerance_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="boolean") | Q(unit=""), name="question_yes_no_has_no_unit"
            ),
            models.CheckConstraint(condition=Q(drift__gte=0), name="question_drift_not_negative"),
            models.CheckConstraint(
                condition=Q(lower_bound__isnull=True)
                | Q(upper_bound__isnull=True)
                | Q(lower_bound__lt=F("upper_bound")),
                name="question_bounds_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind="boolean")
                | Q(lower_bound__isnull=True, upper_bound__isnull=True),
                name="question_yes_no_has_no_bounds",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("question_detail", self.slug)

    @property
    def bounds(self):
        """The values the measure can take: see comparison.scale_bounds."""
        return comparison.scale_bounds(self.kind, self.lower_bound, self.upper_bound)

    def figure_problems(self, *, qualifier="", value=None, value_high=None, unit=""):
        """Why a claim stating this figure cannot stand on this question, as {field: message}
        ({} when it can): the one check of a claim against its question (its unit's dimension,
        then its bounds: comparison.figure_problems), for the admin's form and imports alike."""
        figure = comparison.Figure(
            "", qualifier=qualifier, value=value, value_high=value_high, unit=unit
        )
        return comparison.figure_problems(
            figure, kind=self.kind, unit=self.unit, bounds=self.bounds
        )

    def stranded_claims(self):
        """Refs of the stored claims of this question that its kind, unit and bounds (as they
        are on this instance, perhaps not yet saved) would leave outside its bounds: new bounds
        must not leave a recorded figure outside them, silently out of every comparison."""
        if self.pk is None or self.bounds == comparison.NO_BOUNDS:
            return []
        rows = Claim.objects.filter(question_id=self.pk, value__isnull=False).values_list(
            "ref", "qualifier", "value", "value_high", "unit"
        )
        return [
            ref
            for ref, qualifier, value, value_high, unit in rows.order_by("ref")
            if comparison.bounds_problem(
                comparison.Figure("", qualifier, value, value_high, unit),
                kind=self.kind,
                unit=self.unit,
                bounds=self.bounds,
            )
        ]

    def clean(self):
        super().clean()
        stranded = self.stranded_claims()
        if stranded:
            raise ValidationError({"lower_bound": f"{stranded_message(stranded).capitalize()}."})

    def compare_figures(self, figures, *, focus=None):
        """compare() of comparison.Figures (from ClaimQuerySet.figures)."""
        return comparison.compare_question(
            figures,
            kind=self.kind,
            unit=self.unit,
            tolerance=self.tolerance,
            drift=self.drift,
            bounds=self.bounds,
            focus=focus,
        )

    def compare(self, claims):
        """Compare the given claims of this question (already fetched, see ClaimQuerySet)."""
        return self.compare_figures([claim.figure() for claim in claims])


def stranded_message(refs, shown=5):
    """Why new bounds are refused: the claims they would leave outside."""
    named = ", ".join(refs[:shown]) + (
        f" and {len(refs) - shown} more" if len(refs) > shown else ""
    )
    return (
        f"these bounds leave recorded figures outside them ({named}): correct or refile those "
        "claims first"
    )


class ClaimFigure(NamedTuple):
    """A claim as ClaimQuerySet.figures reads it: what comparing it needs, and nothing more."""

    question_id: int | None
    source_id: int
    figure: comparison.Figure
    extra: tuple  # a named tuple of the columns figures() was asked for by name
    origin_label: str
    credit: str  # who said it and where, as claim_credit() words it


class LinkRefs(NamedTuple):
    """The links of some claims (ClaimQuerySet.public_link_refs), by the refs of those claims."""

    # ref -> [(kind, ref of the claim at the other end)], by kind then ref, as Claim.public_links
    # and Claim.public_linked_from list them: to and from public claims only.
    outgoing: dict
    incoming: dict
    # ref -> the refs of the claims it corrects, by ref (whatever their status), as
    # ClaimQuerySet.corrections gives them.
    corrections: dict


class ClaimQuerySet(models.QuerySet):
    def public(self):
        """What readers of the public pages see: see PUBLIC_CLAIM_STATUSES in settings."""
        return self.filter(status__in=settings.PUBLIC_CLAIM_STATUSES)

    def for_question(self, question):
        return self.filter(question=question)

    def filed(self):
        return self.filter(question__isnull=False)

    def about_metal(self, metal):
        """Claims about the metal, a group it belongs to or, for a group, one of its members."""
        related = Metal.objects.related_to(metal).values("pk")
        return self.filter(pk__in=_ids_linked_to(Claim, "metals", related))

    def by_or_about_actor(self, actor):
        """Claims the actor, its parent or a child said, published or is the subject of."""
        family = Actor.objects.family(actor).values("pk")
        # One indexed lookup per role, joined by UNION: an OR across the three would make the
        # database read every claim.
        said = Claim.objects.filter(speaker__in=family).order_by().values("pk")
        published = Claim.objects.filter(source__publisher__in=family).order_by().values("pk")
        about = _ids_linked_to(Claim, "about", family).order_by()
        return self.filter(pk__in=said.union(published, about))

    def search(self, text):
        """Claims whose quote or paraphrase match: see core.search.text_search."""
        return text_search(self, text, ("quote", "paraphrase"))

    def filter_public(self, *, metal=None, actor=None, kind="", year=None, status=""):
        """The filters every public claim list takes as query parameters; empty ones are skipped.

        `year` is the source's year of publication, `kind` the source's kind.
        """
        queryset = self
        if metal is not None:
            queryset = queryset.about_metal(metal)
        if actor is not None:
            queryset = queryset.by_or_about_actor(actor)
        if kind:
            queryset = queryset.filter(source__kind=kind)
        if year:
            queryset = queryset.filter(source__published__startswith=f"{year:04d}")
        if status:
            queryset = queryset.filter(status=status)
        return queryset

    def figures(self, *, chunk_size=None, corrections=None, **extra):
        """A ClaimFigure per claim, read as plain values, in the queryset's order.

        Two queries and no model instances, for comparing hundreds of thousands of claims at once
        (summaries, the question and source pages): the claims with their sources, then the
        actors their origins are read from (the speakers and both sources' publishers, with
        their chains of parents four levels deep, as in with_related(); a deeper chain, rare,
        costs a query for its actor). The origin is as Claim.origin computes it. Reading the
        actors apart, by id, keeps the claims' query to a few joins: Django took 3.5 ms to compile
        it with the three chains joined in, and runs this one and the actors' in less.
        `extra` names more columns to read, as name=lookup (e.g. title="source__title"): they come
        as ClaimFigure.extra, a named tuple with those names. `corrections` are these claims'
        (corrections(), as public_link_refs() reads them too): one query more when not given.
        With `chunk_size` the rows stream
        through a server-side cursor (all the claims of a large database), and the actors not yet
        read are read for each chunk; without, they come in one round trip, which is faster for a
        page's few hundred. The claims of listed_on() are read by a prepared query.
        """
        extra_of = _extra_type(tuple(extra))._make
        actors = {}  # actor id -> _NamedActor
        own = _FIGURE_COLUMNS
        if corrections is None:
            corrections = self.corrections()
        # A column asked for again in `extra` is read once: Django's cost is per column.
        read = tuple(dict.fromkeys((*own, *extra.values())))
        extra_at = [read.index(lookup) for lookup in extra.values()]
        head = len(own)
        if chunk_size:
            rows = self.values_list(*read).iterator(chunk_size=chunk_size)
            batches = iter(lambda: list(islice(rows, chunk_size)), [])
        else:
            batches = [_FIGURE_ROWS.rows(self, read)]
        for batch in batches:
            _read_actors(actors, {key for row in batch for key in row[head - 3 : head]})
            for row in batch:
                (
                    question_id,
                    source_id,
                    ref,
                    qualifier,  # FIGURE_FIELDS
                    value,
                    value_high,
                    unit,
                    answer,
                    as_of,
                    unattributed,
                    source_slug,
                    source_title,
                    source_published,
                    cited_slug,
                    cited_title,
                    cited_published,
                    speaker_id,
                    cited_publisher_id,
                    publisher_id,
                ) = row[:head]
                speaker, cited_publisher, publisher = (
                    actors[key].top if key is not None else None
                    for key in (speaker_id, cited_publisher_id, publisher_id)
                )
                origin = comparison.origin_of(
                    ref=ref,
                    unattributed=unattributed,
                    speaker=speaker,
                    cited_publisher=cited_publisher,
                    cited_source=(cited_slug, cited_title) if cited_slug else None,
                    publisher=publisher,
                    source=(source_slug, source_title),
                )
                reporter = comparison.origin_of(
                    publisher=publisher, source=(source_slug, source_title)
                )
                figure = comparison.Figure(
                    ref,
                    qualifier,
                    value,
                    value_high,
                    unit,
                    as_of,
                    answer,
                    origin.key,
                    cited_published or "",
                    source_published,
                    corrections.get(ref, ()),
                )
                publisher_name = actors[publisher_id].name if publisher_id is not None else None
                yield ClaimFigure(
                    question_id,
                    source_id,
                    figure,
                    extra_of(row[at] for at in extra_at),
                    origin.label,
                    claim_credit(origin, reporter, publisher_name or source_title),
                )

    def corrections(self):
        """ref -> the refs of the claims each of these claims corrects (one query; links are
        few), for comparison.superseded."""
        found = {}
        for ref, target in _CORRECTIONS.rows(self):
            found.setdefault(ref, []).append(target)
        return {ref: tuple(targets) for ref, targets in found.items()}

    def with_links(self):
        """Each claim's links both ways, with the claims at their other end named as labels
        need (for_labels): Claim.public_links and Claim.public_linked_from read them."""
        others = Claim.objects.for_labels()
        return self.prefetch_related(
            Prefetch(
                "links",
                queryset=ClaimLink.objects.prefetch_related(
                    Prefetch("target", queryset=others)
                ).order_by("kind", "target__ref"),
            ),
            Prefetch(
                "linked_from",
                queryset=ClaimLink.objects.prefetch_related(
                    Prefetch("claim", queryset=others)
                ).order_by("kind", "claim__ref"),
            ),
        )

    def public_link_refs(self):
        """A LinkRefs of these claims, as plain values (two queries, no instances: for the CSV and
        JSON of hundreds of claims). The corrections are read with the links out, which saves
        figures() its own query for them (figures(corrections=…))."""
        public = settings.PUBLIC_CLAIM_STATUSES
        outgoing, incoming, corrections = {}, {}, {}
        for ref, kind, other, status in _LINKS_OUT.rows(self):
            if kind == ClaimLink.Kind.CORRECTS:
                corrections.setdefault(ref, []).append(other)
            if status in public:
                outgoing.setdefault(ref, []).append((kind, other))
        for ref, kind, other in _LINKS_IN.rows(self):
            incoming.setdefault(ref, []).append((kind, other))
        return LinkRefs(
            outgoing, incoming, {ref: tuple(targets) for ref, targets in corrections.items()}
        )

    def counted_per(self, field):
        """How many of these claims each outer row has, by the claims' foreign key `field`.

        A subquery expression to annotate with, e.g. Source.objects.annotate(
        claim_count=Claim.objects.counted_per("source")). The database counts only the rows a page
        shows, where annotating Count("claims") grouped every claim first (2 s on the admin's
        list of sources at a million claims).
        """
        counts = (
            self.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counts), 0)

    def for_labels(self):
        """Just what naming a claim beside others and linking to it need (pages.display.claim_label):
        the figure, and the actors and sources its origin and credit are read from."""
        return self.select_related(*_ORIGIN_JOINS).only(*_LABEL_FIELDS)

    def for_rows(self, *more):
        """What a row of the question or source page shows of a claim (pages.rows): its figure,
        date, status, quote, note and quote-found flag, its speaker and cited source, and the
        columns `more` names, no other. None of the chains of actors for_labels joins: the origin
        and the names of the claims beside a row are read as plain values (figures()), and the
        chains took half of the 5.5 ms a source page took to load its claims."""
        return self.select_related("source", "speaker", "cited_source").only(
            "ref",
            "status",
            "quote",
            *FIGURE_FIELDS,
            "as_of",
            "note",
            "quote_found",
            "source__slug",
            "speaker__slug",
            "speaker__name",
            "speaker__description",
            "cited_source__slug",
            "cited_source__title",
            *more,
        )

    def for_list(self):
        """What a table of claims shows (question, source, publisher, speaker): no more joins."""
        return self.select_related("source__publisher", "question", "speaker").defer("source__text")

    def with_origins(self):
        """The speaker and both sources' publishers with their parents, joined: what a claim's
        origin and credit are read from (Claim.origin_label, Claim.credit)."""
        # Three levels of parents cover minister → ministry → government, which is what the
        # origin of a claim needs; deeper chains still work, one query per extra level.
        return self.select_related(*_ORIGIN_JOINS)

    def without_source_texts(self):
        """No stored text of the claims' joined sources: a whole article each, read again for
        every claim of the source, which no list or export of claims shows."""
        return self.defer("source__text", "cited_source__text")

    def with_related(self):
        return (
            self.with_origins()
            .with_links()
            .select_related("question")
            .prefetch_related(
                Prefetch("about", queryset=Actor.objects.order_by("name")),
                Prefetch("metals", queryset=Metal.objects.all()),
            )
        )


class ClaimLinkQuerySet(models.QuerySet):
    def cycle_through(self, kind, claim_id, target_id):
        """Whether a new `kind` link from claim to target would close a cycle of that kind:
        whether the target already reaches the claim by such links. Disputes may be mutual."""
        if kind in ClaimLink.MAY_BE_MUTUAL:
            return False
        edges = {}
        for source, target in self.filter(kind=kind).values_list("claim_id", "target_id"):
            edges.setdefault(source, []).append(target)
        seen, todo = set(), [target_id]
        while todo:
            current = todo.pop()
            if current == claim_id:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(edges.get(current, ()))
        return False


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def listed_on(self, **owner):
        """The public claims of one question (question=…) or one source (source=…), in the order
        its page lists them (_LISTED).

        Until another method changes the queryset, its figures(), corrections() and
        public_link_refs() read them with prepared queries (core.prepared): the first request
        after a write renders the page anew, and Django's building and compiling of these
        queries took most of its time. A QuerySet's copies do not carry the mark: any filter,
        order or slice after this one reads through the ORM as always. A manager's method, not
        a queryset's: the prepared queries start from the whole table, which only a manager's
        own queryset is; a related manager's (question.claims) is filtered, and is read through
        the ORM.
        """
        ((name, record),) = owner.items()
        column = f"{name}_id"
        claims = self.get_queryset()
        listed = _listed(claims, column, record.pk)
        if not claims.query.where:
            listed._listed_on = (column, record.pk)
        return listed


class Claim(Timestamped):
    """One statement in one source.

    The figure is stored as stated (“28.5” “Mt”, qualifier “about”) and converted to the question's
    unit only when compared, so a curator can always check the record against the quote. `ref` is
    the natural key for CSV, stable across databases.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        CHECKED = "checked", "checked"
        DISPUTED = "disputed", "disputed"
        RETRACTED = "retracted", "retracted"

    # The answers comparison knows (ANSWER_CHOICES), as an enum: Claim.Answer.YES.
    Answer = models.TextChoices(
        "Answer", [(code.upper(), (code, label)) for code, label in ANSWER_CHOICES]
    )

    ref = models.SlugField(
        max_length=120,
        help_text="Stable reference, the claim's key in CSV files, e.g. “edm-russia-ree-reserves”.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The document the claim is in.",
    )
    quote = LongTextField(help_text="The statement, verbatim from the source. " + LONG_TEXT_HELP)
    paraphrase = LongTextField(
        blank=True, help_text="A short restatement in plain words. " + LONG_TEXT_HELP
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The question this claim answers; blank until a curator files it.",
    )
    speaker = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="Who asserts it (“Manturov said”); blank when it is the source's own statement.",
    )
    cited_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citing_claims",
        help_text="The document the claim is attributed to, e.g. “(IEA, October 23, 2025)”.",
    )
    unattributed = models.BooleanField(
        default=False,
        help_text="The document attributes it to unnamed others (“some reports claim”): it rests "
        "on unnamed reports and never confirms another claim.",
    )
    about = models.ManyToManyField(
        Actor, blank=True, related_name="claims_about", help_text="The actors the claim is about."
    )
    metals = models.ManyToManyField(
        Metal,
        blank=True,
        related_name="claims",
        help_text="The metals or groups the claim is about.",
    )
    qualifier = models.CharField(
        max_length=20,
        choices=QUALIFIER_CHOICES,
        blank=True,
        help_text="How the figure is hedged: exact, about, nearly, more than … (blank means exact).",
    )
    value = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True, help_text="The figure as stated."
    )
    value_high = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Upper figure of a “between” claim.",
    )
    unit = models.CharField(
        max_length=10, choices=UNIT_CHOICES, blank=True, help_text="Unit of the figure as stated."
    )
    as_of = PartialDateField(
        help_text="The time the figure refers to (YYYY, YYYY-MM or YYYY-MM-DD), e.g. 2030 for a target."
    )
    answer = models.CharField(
        max_length=3,
        choices=Answer.choices,
        blank=True,
        help_text="The answer to a yes/no question.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Curation status: draft until checked against the source.",
    )
    quote_found = models.BooleanField(
        null=True,
        editable=False,
        help_text="Whether the quote is in the source's stored text, ignoring whitespace (blank "
        "when the source has no text): kept up to date when either changes, so lists never read "
        "texts.",
    )
    # Where the quote is in the source's text, by the words around it (core.text.Anchor): derived
    # like quote_found and kept with it, so a re-extracted text keeps each anchor where its words
    # are unchanged. Not in the CSV files (the quote and the text are, and these follow them).
    quote_prefix = models.CharField(
        max_length=ANCHOR_CONTEXT,
        blank=True,
        default="",
        db_default="",
        editable=False,
        validators=[validate_one_line],  # collapsed whitespace: one line, as the rule wants
        help_text="The source's text just before the quote, whitespace collapsed.",
    )
    quote_suffix = models.CharField(
        max_length=ANCHOR_CONTEXT,
        blank=True,
        default="",
        db_default="",
        editable=False,
        validators=[validate_one_line],  # collapsed whitespace: one line, as the rule wants
        help_text="The source's text just after the quote, whitespace collapsed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The curator who recorded the claim (in the admin, or by importing a file).",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The curator who last set the status to checked.",
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the status was last set to checked."
    )
    note = LongTextField(
        blank=True,
        help_text="The team's note on the claim (why it is filed as it is, caveats): public, shown "
        "to readers with the claim on every page and in the CSV and JSON. " + LONG_TEXT_HELP,
    )

    objects = ClaimManager()
    history = HistoricalRecords(m2m_fields=["about", "metals"])

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(fields=["ref"], name="claim_ref_unique"),
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=F("value")),
                name="claim_value_high_not_below_value",
            ),
            models.CheckConstraint(
                condition=Q(qualifier="between", value__isnull=False, value_high__isnull=False)
                | (~Q(qualifier="between") & Q(value_high__isnull=True)),
                name="claim_between_has_both_values",
            ),
            models.CheckConstraint(
                condition=Q(qualifier="") | Q(value__isnull=False),
                name="claim_qualifier_needs_value",
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(value__isnull=True),
                name="claim_answer_or_value",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "status"], name="claim_question_status_idx"),
            models.Index(fields=["status", "-updated"], name="claim_status_updated_idx"),
            # The "to check" queue: drafts, oldest first (claims/admin_curation.py).
            models.Index(fields=["status", "created"], name="claim_status_created_idx"),
        ]

    def __str__(self):
        return self.ref

    def get_absolute_url(self):
        return page_url("claim_detail", self.ref)

    def public_links(self):
        """(kind, claim) of each link from this claim to a public one (after with_links())."""
        return [
            (link.kind, link.target)
            for link in self.links.all()
            if link.target.status in settings.PUBLIC_CLAIM_STATUSES
        ]

    def public_linked_from(self):
        """(kind, claim) of each link to this claim from a public one (after with_links())."""
        return [
            (link.kind, link.claim)
            for link in self.linked_from.all()
            if link.claim.status in settings.PUBLIC_CLAIM_STATUSES
        ]

    def clean(self):
        # The figure against its question: the same check imports make (ClaimResource.row_check).
        super().clean()
        if self.question_id is None:
            return
        problems = self.problems_on(self.question)
        if problems:
            raise ValidationError(problems)

    def problems_on(self, question):
        """Why the claim's figure cannot stand on `question`, as {field: message} ({} when it can),
        once it has taken the question's unit if it states none: the one check of the form, the
        imports (ClaimResource.row_check) and the bulk filing (services.claims_file)."""
        self.take_question_unit(question)
        return question.figure_problems(
            qualifier=self.qualifier, value=self.value, value_high=self.value_high, unit=self.unit
        )

    def take_question_unit(self, question):
        """A figure stated without a unit is in its question's unit: "70" under a share in percent
        is 70 %. (A claim with no figure, a caveat or an answer, takes none.)"""
        if not self.unit and self.value is not None and question.unit:
            self.unit = question.unit

    def note_status_change(self, status_before, *, by, now=None):
        """Record who checked the claim and when, if its status has just become checked (from
        `status_before`, None for a new claim): by the admin's form, its bulk actions and imports."""
        if self.status == self.Status.CHECKED and status_before != self.Status.CHECKED:
            self.checked_by = by
            self.checked_at = now or timezone.now()

    def checker_problem(self, user):
        """Why `user` may not mark this claim checked, or None: with
        settings.CLAIMS_REQUIRE_SECOND_CHECKER, another curator than the one who recorded it
        (created_by; for a claim not saved yet, the user saving it) must check it."""
        if not settings.CLAIMS_REQUIRE_SECOND_CHECKER or user is None:
            return None
        creator_id = self.created_by_id if self.pk else user.pk
        if creator_id is not None and creator_id == user.pk:
            return (
                "Another curator must check this claim: you recorded it, and the team requires "
                "a second checker."
            )
        return None

    @property
    def origin(self):
        """The key of the independent origin the claim rests on: see comparison.origin_of."""
        return self._origin().key

    @property
    def origin_label(self):
        """How a reader names the origin: an actor's name, a source's title or "unnamed reports"."""
        return self._origin().label

    @property
    def credit(self):
        """Who said it and where it was reported: see claim_credit()."""
        source = self.source
        publisher = _named_root(source.publisher) if source.publisher_id else None
        reporter = comparison.origin_of(publisher=publisher, source=(source.slug, source.title))
        who = source.publisher.name if source.publisher_id else source.title
        return claim_credit(self._origin(), reporter, who)

    def _origin(self):
        cited = self.cited_source if self.cited_source_id else None
        source = self.source
        return comparison.origin_of(
            ref=self.ref,
            unattributed=self.unattributed,
            speaker=_named_root(self.speaker) if self.speaker_id else None,
            cited_publisher=_named_root(cited.publisher) if cited and cited.publisher_id else None,
            cited_source=(cited.slug, cited.title) if cited else None,
            publisher=_named_root(source.publisher) if source.publisher_id else None,
            source=(source.slug, source.title),
        )

    def figure(self):
        cited = self.cited_source if self.cited_source_id else None
        return comparison.Figure(
            ref=self.ref,
            qualifier=self.qualifier,
            value=self.value,
            value_high=self.value_high,
            unit=self.unit,
            as_of=self.as_of,
            answer=self.answer,
            origin=self.origin,
            cited_published=cited.published if cited else "",
            source_published=self.source.published,
            corrects=tuple(
                sorted(
                    link.target.ref
                    for link in self.links.all()
                    if link.kind == ClaimLink.Kind.CORRECTS
                )
            ),
        )

    def find_quote(self, spaced=None):
        """Set the quote-found flag and the anchor's context from the source's stored text now
        (or `spaced`, that text as a core.text.SpacedText): see quote_fields."""
        if spaced is None:
            spaced = SpacedText(self.source.text) if self.source.text else None
        for name, value in quote_fields(self, spaced).items():
            setattr(self, name, value)

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        claim._quote_read = claim._quote_and_source()
        return claim

    def _quote_and_source(self):
        """What the stored flag is computed from, as this instance has it: None when the quote
        was not read (a deferred field)."""
        if "quote" not in self.__dict__:
            return None
        return self.quote, self.source_id

    def save(self, *args, **kwargs):
        # The stored flag follows the quote and the source: recomputed when either differs from
        # what was read (or for a new claim), so that a save of anything else, such as the bulk
        # actions' (claims.services, which do not read the texts), reads no source's text. A
        # change of the source's text updates its claims in bulk (claims.signals), and imports
        # set it row by row (ClaimResource).
        now = self._quote_and_source()
        if now is None or now != getattr(self, "_quote_read", None):
            self.find_quote()
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None:
            self._quote_read = self._quote_and_source()

    def stated_figure(self):
        """The figure as the source states it, e.g. “about 28.5 Mt”: see stated_figure()."""
        return comparison.stated_figure(
            self.qualifier, self.value, self.value_high, self.unit, self.answer
        )


class ClaimToCheck(Claim):
    """The curators' work queue: the drafts, oldest first (claims/admin_curation.py)."""

    class Meta:
        proxy = True
        verbose_name = "claim to check"
        verbose_name_plural = "claims to check"


def quote_fields(claim, spaced):
    """The derived quote fields of `claim` (anything with quote, quote_prefix, quote_suffix) in a
    text (a core.text.SpacedText, None when its source has none): whether the quote is in it
    (core.text.quote_in's answer), and the context of where, located with the stored context. A
    quote not found keeps its context, for when the text has it again."""
    if spaced is None:
        return {"quote_found": None}
    anchor = spaced.anchor(claim.quote, claim.quote_prefix, claim.quote_suffix)
    if anchor is None:
        return {"quote_found": False}
    return {"quote_found": True, "quote_prefix": anchor.prefix, "quote_suffix": anchor.suffix}


#: The fields quote_fields derives (written together by every bulk write of them).
QUOTE_FIELDS = ("quote_found", "quote_prefix", "quote_suffix")


def claim_credit(origin, reporter, reported_by):
    """Who said a figure first and where it was reported second: “International Energy Agency (in
    The Jamestown Foundation)”, or the reporting publisher (or title) alone when the figure is its
    own. `origin` and `reporter` are comparison.Origin values (the claim's, and the reporting
    source's own); a publisher never stands for a figure it only reports."""
    if origin.key == reporter.key:
        return reported_by
    return f"{origin.label} (in {reported_by})"


# What a stated figure is made of (comparison.stated_figure's arguments): read together wherever a
# page or a label states a claim's figure.
FIGURE_FIELDS = ("qualifier", "value", "value_high", "unit", "answer")

# The actors a claim's origin is read from, joined with their parents: three levels of parents
# cover minister → ministry → government and agency → its owner.
_JOINED_PARENTS = 3
_ORIGIN_ACTOR_JOINS = ("speaker", "cited_source__publisher", "source__publisher")
_ORIGIN_JOINS = tuple(f"{join}{'__parent' * _JOINED_PARENTS}" for join in _ORIGIN_ACTOR_JOINS)
# What naming a claim beside others and linking to it read (ClaimQuerySet.for_labels).
_LABEL_FIELDS = (
    "ref",
    "status",
    # A claim with no figure (a caveat) is named by the start of its quote.
    "quote",
    *FIGURE_FIELDS,
    "unattributed",
    "source__slug",
    "source__title",
    "cited_source__slug",
    "cited_source__title",
    *(
        f"{join}{'__parent' * depth}__{name}"
        for join in _ORIGIN_ACTOR_JOINS
        for depth in range(_JOINED_PARENTS + 1)
        for name in ("slug", "name", "parent")
    ),
)


@cache
def _extra_type(names):
    """The named tuple of ClaimQuerySet.figures' extra columns `names`: made once for each set of
    names (the class, never the values), as making one takes 0.1 ms."""
    return namedtuple("Extra", names)


class _NamedActor(NamedTuple):
    """An actor as ClaimQuerySet.figures reads it: its own name, and (slug, name) of its
    top-level actor (itself when it has no parent)."""

    name: str
    top: tuple[str, str]


# An actor's slug and name, then its joined parents', nearest first, then the next parent's id.
_ACTOR_CHAIN = (
    "pk",
    *(
        f"{'parent__' * depth}{name}"
        for depth in range(_JOINED_PARENTS + 1)
        for name in ("slug", "name")
    ),
    f"{'parent__' * _JOINED_PARENTS}parent_id",
)


# What figures() reads of every claim, then the columns its callers name.
_FIGURE_COLUMNS = (
    "question_id",
    "source_id",
    "ref",
    *FIGURE_FIELDS,
    "as_of",
    "unattributed",
    "source__slug",
    "source__title",
    "source__published",
    "cited_source__slug",
    "cited_source__title",
    "cited_source__published",
    # The actors of the origin, in _ORIGIN_ACTOR_JOINS' order.
    "speaker_id",
    "cited_source__publisher_id",
    "source__publisher_id",
)

# The order each page lists its claims in (ClaimManager.listed_on), by the owner's column.
_LISTED = {
    "question_id": ("source__published", "ref"),
    "source_id": ("question__title", "ref"),
}


def _listed(claims, column, pk):
    return claims.public().filter(**{column: pk}).order_by(*_LISTED[column])


def _corrections_of(claims):
    return (
        ClaimLink.objects.filter(kind=ClaimLink.Kind.CORRECTS, claim__in=claims.values("pk"))
        .order_by("claim__ref", "target__ref")
        .values_list("claim__ref", "target__ref")
    )


def _links_out(claims):
    """The links from these claims to public claims, and their corrections of any claim."""
    public = settings.PUBLIC_CLAIM_STATUSES
    return (
        ClaimLink.objects.filter(claim__in=claims.order_by().values("pk"))
        .filter(Q(target__status__in=public) | Q(kind=ClaimLink.Kind.CORRECTS))
        .order_by("kind", "target__ref")
        .values_list("claim__ref", "kind", "target__ref", "target__status")
    )


def _links_in(claims):
    """The links to these claims from public claims."""
    return (
        ClaimLink.objects.filter(
            target__in=claims.order_by().values("pk"),
            claim__status__in=settings.PUBLIC_CLAIM_STATUSES,
        )
        .order_by("kind", "claim__ref")
        .values_list("target__ref", "kind", "claim__ref")
    )


class _ListedQuery:
    """A query of some claims, build(claims, *args), run as a prepared query (one for each
    owner's column and `args`) on the claims of listed_on(), through the ORM on any others."""

    def __init__(self, build):
        self.build = build
        self._prepared = cache(self._prepare)

    def rows(self, claims, *args):
        marked = getattr(claims, "_listed_on", None)
        if marked is None:
            return self.build(claims, *args)
        column, pk = marked
        return self._prepared(column, *args)(using=claims.db, **{column: pk})

    def _prepare(self, column, *args):
        return Prepared(
            lambda **owner: self.build(_listed(Claim.objects, column, owner[column]), *args),
            **{column: int},
        )


_FIGURE_ROWS = _ListedQuery(lambda claims, read: claims.values_list(*read))
_CORRECTIONS = _ListedQuery(_corrections_of)
_LINKS_OUT = _ListedQuery(_links_out)
_LINKS_IN = _ListedQuery(_links_in)


def _read_actors(actors, keys):
    """Adds to `actors` (id -> _NamedActor) the actors of `keys` (ids, None among them) not in it
    yet: one query, none when there are none, and one more for each actor whose chain of parents
    runs past the joined ones."""
    wanted = [key for key in keys if key is not None and key not in actors]
    if not wanted:
        return
    for key, *named, above in (
        Actor.objects.filter(pk__in=wanted).order_by().values_list(*_ACTOR_CHAIN)
    ):
        if above is not None:
            top = _named_root(Actor.objects.get(pk=key))
        else:
            pairs = [(named[k], named[k + 1]) for k in range(0, len(named), 2)]
            top = next(pair for pair in reversed(pairs) if pair[0])
        actors[key] = _NamedActor(named[1], top)


def _named_root(actor):
    root = actor.root()
    return root.slug, root.name


class ClaimLink(Timestamped):
    """One claim referring to another: a revision, a caveat, a derivation or a dispute.

    Links are read both ways (a claim's `links` and `linked_from`). Only `corrects` can change a
    verdict, and only where comparison.superseded says so; a link never points at its own claim,
    and a chain of `corrects`, `qualifies` or `derived_from` links never comes back to where it
    started (ClaimLink.objects.cycle_through): a revision of a revision of itself says nothing.
    Two claims may dispute each other.
    """

    Kind = models.TextChoices(
        "Kind", [(code.upper(), (code, label)) for code, label in LINK_CHOICES]
    )

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="links", help_text="The claim that refers."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="How the claim refers to the other."
    )
    target = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        related_name="linked_from",
        help_text="The claim referred to.",
    )

    # Two claims may dispute each other; a revision, a caveat or a derivation goes one way.
    MAY_BE_MUTUAL = frozenset({Kind.DISPUTES})

    objects = ClaimLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "kind", "target"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "kind", "target"], name="claim_link_unique"),
            models.CheckConstraint(
                condition=~Q(claim=F("target")), name="claim_link_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.kind} {self.target_id}"

    def clean(self):
        super().clean()
        if self.claim_id and self.target_id:
            if self.claim_id == self.target_id:
                raise ValidationError({"target": "A claim cannot be linked to itself."})
            if ClaimLink.objects.exclude(pk=self.pk).cycle_through(
                self.kind, self.claim_id, self.target_id
            ):
                raise ValidationError(
                    {
                        "target": f"This would close a cycle of “{self.kind}” links: the other "
                        "claim already leads back to this one."
                    }
                )


class PlacementsField(models.JSONField):
    """A JSONField that bulk inserts send row by row.

    On PostgreSQL, bulk_create sends each column of a batch as one array (UNNEST), and psycopg
    escapes each quote of each JSON text in that array with a regular expression: over a second
    for the placements of a million claims. A field with a placeholder of its own is sent in plain
    VALUES rows instead, where each JSON text goes as it is.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


# A question's verdict as QuestionSummary and VerdictChange store it: the question verdicts of
# comparison (a claim's standing "superseded" is never one), worst first.
QUESTION_VERDICT_CHOICES = [(str(verdict), VERDICT_LABELS[verdict]) for verdict in VERDICT_ORDER]


class QuestionSummary(models.Model):
    """What the lists of questions show about one question, computed from its public claims.

    Derived data, not a record: nobody edits it and it has no history or CSV file. It is kept so
    that the home page can list every question with its verdict from one query on a database of a
    million claims, instead of comparing every claim on every view. claims.summaries keeps it up to
    date: `question_summaries_refresh` recomputes it (comparison.summarise_placed) after a claim
    or question is saved or deleted in the admin and after every import. The pages only read it
    (GET never writes): a row missing or behind its claims (data written around the app's signals)
    shows as such until `refresh_summaries` repairs it.

    `placements` keeps every claim placed on the question's scale (comparison.placed_record), so
    that the source page can judge its claims against the hundreds on their questions without
    reading and placing each of their figures on every view.
    """

    question = models.OneToOneField(
        Question,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
        help_text="The question summarised.",
    )
    verdict = models.CharField(
        max_length=20,
        choices=QUESTION_VERDICT_CHOICES,
        help_text="Worst relation among its public claims: agree, close, conflict, single or "
        "not comparable.",
    )
    verdict_order = models.PositiveSmallIntegerField(
        help_text="The verdict's place in the home page's order, most contested (0) first."
    )
    claim_count = models.PositiveIntegerField(help_text="Public claims filed under the question.")
    source_count = models.PositiveIntegerField(help_text="Sources those claims are in.")
    independent_origins = models.PositiveIntegerField(
        help_text="Distinct origins among the comparable claims (echoes count once)."
    )
    series = models.BooleanField(help_text="Whether comparable claims have different as-of years.")
    spread_low = models.FloatField(null=True, help_text="Lowest finite figure, in its unit.")
    spread_high = models.FloatField(null=True, help_text="Highest finite figure, in its unit.")
    spread_open_low = models.BooleanField(help_text="Whether some claim runs down to −∞.")
    spread_open_high = models.BooleanField(help_text="Whether some claim runs up to +∞.")
    placements = PlacementsField(
        null=True,
        help_text="Each public claim placed on the question's scale "
        "(comparison.placed_record), in the question page's order; null until first computed.",
    )
    computed = models.DateTimeField(auto_now=True, help_text="When it was last computed.")

    class Meta:
        indexes = [
            models.Index(fields=["verdict_order", "-source_count"], name="summary_worst_first_idx"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.verdict}"

    @property
    def spread(self):
        if self.spread_low is None:
            return None
        return (self.spread_low, self.spread_high)


class VerdictChange(models.Model):
    """One change of a question's stored verdict, so that an analyst can cite a verdict at a date.

    Derived data like QuestionSummary, append-only: `question_summaries_refresh` adds a row in the
    transaction that writes a summary whose verdict differs from the stored one (a question's
    first summary adds none: it changes no verdict anyone could have cited), and after the commit
    gives the rows the data version that published them and that version's time. Drafts never
    count in a verdict, so they never add a row. Listed newest first on the question's page and
    in its JSON (`verdict_history`); docs/architecture.md says how to read a verdict at a date.
    """

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="verdict_changes",
        help_text="The question whose verdict changed.",
    )
    old_verdict = models.CharField(
        max_length=20, choices=QUESTION_VERDICT_CHOICES, help_text="The verdict before."
    )
    new_verdict = models.CharField(
        max_length=20, choices=QUESTION_VERDICT_CHOICES, help_text="The verdict after."
    )
    at = models.DateTimeField(
        help_text="When the change was published: its data version's time (until then, when it "
        "was written)."
    )
    version = models.PositiveBigIntegerField(
        null=True,
        help_text="The data version that published the change (core.dataversion); empty only "
        "between its commit and the moment it is filled in, just after.",
    )

    class Meta:
        ordering = ["-pk"]  # newest first: the order they were written in, reversed
        indexes = [models.Index(fields=["question", "-id"], name="verdict_change_question_idx")]

    def __str__(self):
        return f"{self.question_id}: {self.old_verdict} → {self.new_verdict} (v{self.version})"

    @property
    def as_of(self):
        """Its time as the pages show "data as of" (core.dataversion.Version.as_of)."""
        return Version(self.version, self.at).as_of
