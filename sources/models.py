"""Who said it, and where: actors and the documents (sources) they speak in.

The app knows nothing of claims (claims depend on sources, never the reverse), so the pages that
show an actor's or a source's claims live in pages/ and the claims app adds them to the admin.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.fields import PartialDateField
from core.links import page_url
from core.models import Timestamped
from core.search import text_search
from core.text import LONG_TEXT_HELP, LinesField, LongTextField, lines, validate_one_line

ISO_COUNTRY = RegexValidator(r"^[A-Z]{2}$", "Use a two-letter ISO 3166-1 code such as RU or CN.")
WIKIDATA_ID = RegexValidator(r"^Q[1-9]\d*$", "A Wikidata item id looks like Q159.")


class ActorQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("parent")

    def full_text(self, text):
        """Public search over names and aliases: see core.search.text_search."""
        return text_search(self, text, ("name", "aliases"), config="simple")

    def family(self, actor):
        """The actor, its parent and its children: whose words an actor's page gathers."""
        related = Q(pk=actor.pk) | Q(parent=actor)
        if actor.parent_id:
            related |= Q(pk=actor.parent_id)
        return self.filter(related)


class Actor(Timestamped):
    """Anyone who speaks or is spoken about.

    One table for people, governments, agencies, companies, media and countries, because the same
    actor is a speaker in one claim and a subject in the next; the `parent` chain (minister →
    government) is what lets the comparison see that two claims rest on one origin.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        GOVERNMENT = "government", "government"
        AGENCY = "agency", "ministry or agency"
        COMPANY = "company", "company"
        ORGANISATION = "organisation", "organisation"
        RESEARCH = "research", "research body"
        MEDIA = "media", "media outlet"
        COUNTRY = "country", "country"
        BLOC = "bloc", "bloc (e.g. the EU)"

    name = models.CharField(
        max_length=200,
        validators=[validate_one_line],
        help_text="Usual name, e.g. “Ministry of Natural Resources”.",
    )
    slug = models.SlugField(
        max_length=100,
        help_text="Stable key used in URLs and CSV files, e.g. “government-of-russia”.",
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="What sort of actor this is."
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[ISO_COUNTRY, validate_one_line],
        help_text="ISO 3166-1 alpha-2 code of the actor's country (blank for international bodies).",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this actor belongs to (Ministry of Industry and Trade → Government of Russia).",
    )
    aliases = LinesField(
        blank=True,
        help_text="Other names, one per line (“PRC”, “Beijing”); searched like the name. "
        + LONG_TEXT_HELP,
    )
    wikidata_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[WIKIDATA_ID, validate_one_line],
        help_text="Wikidata item id (Q…), when known.",
    )
    description = LongTextField(
        blank=True,
        help_text="Who this is, e.g. a person's role: “First Deputy Prime Minister”. "
        + LONG_TEXT_HELP,
    )

    objects = ActorQuerySet.as_manager()
    # Every change: who, when, what (see core/history.py for imports' reasons).
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="actor_slug_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="actor_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="actor_kind_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("actor_detail", self.slug)

    @property
    def alias_list(self):
        return lines(self.aliases)

    def root(self):
        """The top of the parent chain: the body whose figure a minister or ministry repeats.

        Walks at most a bounded number of steps so a cycle made by hand cannot hang a page.
        """
        actor, seen = self, set()
        while actor.parent_id and actor.pk not in seen and len(seen) < 20:
            seen.add(actor.pk)
            actor = actor.parent
        return actor


class SourceQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("publisher")

    def latest(self):
        return self.order_by("-published", "title")

    def full_text(self, text):
        """Public search over titles: see core.search.text_search."""
        return text_search(self, text, ("title",))

    def filter_public(self, *, kind="", year=None, publisher=None):
        """The filters of the public source list; each is skipped when empty."""
        queryset = self
        if kind:
            queryset = queryset.filter(kind=kind)
        if year:
            queryset = queryset.filter(published__startswith=f"{year:04d}")
        if publisher is not None:
            queryset = queryset.filter(publisher=publisher)
        return queryset


class Source(Timestamped):
    """One document: an article, an analysis, an agency report, a dataset, a statement.

    Field names follow CSL-JSON / Zotero where one exists (title, publisher, authors, issued as
    `published`, URL, accessed, language) so sources export cleanly to reference managers. A cited
    source mentioned only inline ("TASS, February 24, 2025") is a Source too, usually without a URL.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "news article"
        ANALYSIS = "analysis", "analysis"
        REPORT = "report", "agency report"
        DATASET = "dataset", "dataset"
        STATEMENT = "statement", "government statement"
        INTERVIEW = "interview", "interview"
        OTHER = "other", "other"

    title = models.CharField(
        max_length=500, validators=[validate_one_line], help_text="Title of the document."
    )
    slug = models.SlugField(
        max_length=120, help_text="Stable key used in URLs and CSV files, e.g. “iea-2025-10-23”."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="What sort of document this is."
    )
    publisher = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        help_text="The outlet or body that published the document.",
    )
    authors = LinesField(
        blank=True, help_text="Authors, one per line, as printed. " + LONG_TEXT_HELP
    )
    published = PartialDateField(
        help_text="Publication date: YYYY, YYYY-MM or YYYY-MM-DD (as precise as is known)."
    )
    url = models.URLField(
        max_length=1000,
        blank=True,
        validators=[validate_one_line],
        help_text="Where the document can be read; unique when present (a cited source may have none).",
    )
    accessed = models.DateField(null=True, blank=True, help_text="When the URL was last read.")
    language = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_one_line],
        help_text="Language of the document as an ISO 639 code (en, ru, zh).",
    )
    text = LongTextField(
        blank=True,
        help_text="Full text or an excerpt; used to check that each claim's quote is in it. "
        + LONG_TEXT_HELP,
    )
    notes = LongTextField(
        blank=True,
        help_text="The team's notes on the document: public, shown to readers on the "
        "source's page and in the CSV and JSON of the sources list. " + LONG_TEXT_HELP,
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published", "title"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="source_slug_unique"),
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_present"
            ),
        ]
        indexes = [
            models.Index(fields=["-published", "title"], name="source_published_idx"),
            models.Index(fields=["kind"], name="source_kind_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("source_detail", self.slug)

    @property
    def link(self):
        """The URL if it is safe to link to (http or https), else blank."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""

    @property
    def author_list(self):
        return lines(self.authors)
