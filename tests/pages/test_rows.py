"""The question and source pages write their claims (and the question's chart bars) in Python
(pages.rows): each must be what the template's row or bar (below, as the pages' templates had
them, with the included templates the other pages still use) writes for the same claim, on every
question and source of the demo data."""

import pytest
from django.template import Context, Template

from claims.models import Claim, ClaimLink, Question
from pages import display, rows
from pages.views.questions import origin_record
from sources.models import Source
from tests.conftest import make_claim, make_question, make_source

# The row as claims/question_detail.html wrote it before pages.rows.
TEMPLATE_ROW = Template(
    "{% load links labels quotes %}"
    + '{% with claim=row.claim %}\n      <tr id="claim-{{ claim.ref }}" class="standing-{{ row.badge.0 }}{% if claim.status == \'disputed\' %} is-disputed{% endif %}">\n        <td data-label="Source">{% link claim.source claim.source.title %}\n          <div class="muted">{% if claim.source.publisher %}{% link claim.source.publisher claim.source.publisher.name %}, {% endif %}{{ claim.source.published }}</div></td>\n        <td data-label="Said by">{% if claim.speaker %}{% link claim.speaker claim.speaker.name %}{% if claim.speaker.description %}<div class="muted">{{ claim.speaker.description }}</div>{% endif %}{% else %}<span class="muted">the source</span>{% endif %}</td>\n        <td data-label="Cites">{% if claim.cited_source %}{% link claim.cited_source claim.cited_source.title %}{% else %}<span class="muted">—</span>{% endif %}</td>\n        <td data-label="Figure as stated" class="figure">{% link claim claim.stated_figure|default:"—" %}</td>\n        <td data-label="Normalised" class="figure">{{ row.normalised|default:"—" }}</td>\n        <td data-label="As of">{{ claim.as_of|default:"—" }}{% if row.year_note %}<div class="muted">{{ row.year_note }}</div>{% endif %}</td>\n        <td data-label="Status">{% include "claims/_status.html" %}</td>\n        <td data-label="Standing">{% include "claims/_badge.html" with badge=row.badge %}\n          {% for relation, labels in row.relations %}<div class="rel rel-{{ relation }}">{% if relation == "superseded" %}superseded by{% elif relation == "conflict" %}conflicts with{% elif relation == "close" %}close to{% else %}agrees with{% endif %} {{ labels|join:"; " }}</div>{% endfor %}\n        </td>\n        <td data-label="Quote" class="quote">{{ claim.quote|quoted }}{% in_context claim %}{% if claim.paraphrase %}<div class="muted">{{ claim.paraphrase }}</div>{% endif %}{% include "claims/_note.html" with note=claim.note %}{% include "claims/_links.html" %}</td>\n      </tr>\n      {% endwith %}'
)

# A bar as claims/_chart.html wrote it before pages.rows.
TEMPLATE_BAR = Template(
    '\n    <g class="bar {{ bar.css }}">\n      <title>{{ bar.title }} ({{ bar.badge }})</title>\n      {% for line in bar.lines %}<text class="label" x="{{ bar.text_x }}%" y="{{ line.y }}">{{ line.text }}</text>{% endfor %}\n      {% if bar.point %}<circle cx="{{ bar.x1 }}%" cy="{{ bar.y }}" r="5"/>{% else %}<line x1="{{ bar.x1 }}%" y1="{{ bar.y }}" x2="{{ bar.x2 }}%" y2="{{ bar.y }}"/>{% endif %}\n      {% if bar.arrow_low %}<svg class="arrow" x="{{ bar.x1 }}%" y="{{ bar.y }}" width="1" height="1"><polygon points="0,-6 -9,0 0,6"/></svg>{% endif %}\n      {% if bar.arrow_high %}<svg class="arrow" x="{{ bar.x2 }}%" y="{{ bar.y }}" width="1" height="1"><polygon points="0,-6 9,0 0,6"/></svg>{% endif %}\n    </g>\n    '
)

# A claim of the source page as claims/source_detail.html wrote it before pages.rows.
TEMPLATE_SOURCE_ROW = Template(
    "{% load links labels quotes %}"
    + '{% with claim=row.claim %}\n  <article class="claim{% if claim.status == \'disputed\' %} is-disputed{% endif %}" id="claim-{{ claim.ref }}">\n    <p class="figure-line">\n      {% if claim.stated_figure %}<strong class="figure">{% link claim claim.stated_figure %}</strong>{% endif %}\n      {% if row.normalised and row.normalised != claim.stated_figure %}<span class="muted">= {{ row.normalised }}</span>{% endif %}\n      {% if claim.as_of %}<span class="muted">as of {{ claim.as_of }}</span>{% endif %}\n      {% if row.badge %}{% include "claims/_badge.html" with badge=row.badge %}{% endif %}\n      {% include "claims/_status.html" %}\n    </p>\n    <blockquote>{% if claim.stated_figure %}{{ claim.quote|quoted }}{% else %}{% link claim claim.quote|quoted %}{% endif %}{% in_context claim %}</blockquote>\n    {% include "claims/_note.html" with note=claim.note %}\n    {% include "claims/_links.html" %}\n    {% if row.correctors %}<p class="superseded">Superseded by {% for label, other in row.correctors %}{% link other label %}{% if not forloop.last %}; {% endif %}{% endfor %}: a later claim of the same origin corrects it, and it leaves the question\'s verdict.</p>{% endif %}\n    <p class="muted">{% if claim.speaker %}Said by {% link claim.speaker claim.speaker.name %}{% if claim.speaker.description %} ({{ claim.speaker.description }}){% endif %}. {% endif %}{% if claim.cited_source %}Cites {% link claim.cited_source claim.cited_source.title %}.{% endif %}</p>\n    {% if row.others %}\n    <ul class="others">\n      {% for badge, label, other in row.others %}<li>{% include "claims/_badge.html" %} {% link other label %}{% if other.status == "disputed" %} <span class="badge disputed">disputed</span>{% endif %}</li>{% endfor %}\n      {% if row.more_others %}<li class="muted">… and {{ row.more_others }} more: {% link group.question "see the question" %}</li>{% endif %}\n    </ul>\n    {% elif group.question and not row.correctors %}<p class="muted">No other source on this question yet.</p>{% endif %}\n  </article>\n  {% endwith %}'
)


def _url(record):
    return record.get_absolute_url() if record is not None else None


@pytest.mark.django_db
def test_every_row_of_every_demo_question_is_what_the_template_wrote(client, demo):
    # The demo data has no disputed claim: one is disputed here.
    Claim.objects.filter(
        pk=Claim.objects.filter(question__isnull=False).order_by("pk")[0].pk
    ).update(status=Claim.Status.DISPUTED)
    # Nor origins that are a source, a cited source or unnamed.
    plain = make_question()
    make_claim(question=plain, source=make_source(), value=10, unit="%")
    make_claim(question=plain, cited_source=make_source(), value=11, unit="%")
    make_claim(question=plain, unattributed=True, value=12, unit="%")
    seen = set()
    for question in Question.objects.all():
        response = client.get(question.get_absolute_url())
        chart = response.context["chart"]
        titles = set()
        for group in response.context["groups"]:
            # The origin and the labels are read from plain values (ClaimQuerySet.figures): the
            # same as the Claims' (origin_record, display.claim_label).
            first = Claim.objects.with_related().get(ref=group.rows[0]["claim"].ref)
            label, record = origin_record(first)
            assert group.label == label
            assert _url(group.record) == _url(record), question.slug
            seen.add(type(record).__name__ if record else "unnamed origin")
            for row in group.rows:
                claim = Claim.objects.with_related().get(ref=row["claim"].ref)
                disputed = " — disputed" if claim.status == "disputed" else ""
                titles.add(f"{display.claim_label(claim)}{disputed} — in “{claim.source.title}”")
        # A bar for each claim with a figure to draw (yes/no questions have no chart).
        if chart and chart.bars:
            assert {bar.title for bar in chart.bars} <= titles
            seen.add("chart")
        for group in response.context["groups"]:
            for row in group.rows:
                claim = row["claim"]
                # The page's loop puts the row on its own line, as the template's row was.
                written = f"\n      {rows.compared_row(row)}\n      "
                assert written == TEMPLATE_ROW.render(Context({"row": row}))
                assert row["html"] in response.content.decode()
                seen |= {
                    name
                    for name, present in (
                        ("disputed", claim.status == "disputed"),
                        ("note", claim.note),
                        ("paraphrase", claim.paraphrase),
                        ("links", claim.public_links() or claim.public_linked_from()),
                        ("relations", row["relations"]),
                        ("year note", row["year_note"]),
                        ("no speaker", claim.speaker_id is None),
                        ("cited", claim.cited_source_id),
                        ("in context", claim.quote_found),
                    )
                    if present
                }
    # Every kind of cell the row writes was written.
    assert seen == {
        "Actor",
        "Source",
        "unnamed origin",
        "chart",
        "disputed",
        "note",
        "paraphrase",
        "links",
        "relations",
        "year note",
        "no speaker",
        "cited",
        "in context",
    }


@pytest.mark.django_db
def test_every_bar_of_every_demo_chart_is_what_the_template_wrote(client, demo):
    # The demo data has no figure open below: one question more has one.
    question = make_question()
    make_claim(question=question, qualifier="less_than", value=5, unit="%")
    make_claim(question=question, value=10, unit="%")
    seen = set()
    for question in Question.objects.all():
        response = client.get(question.get_absolute_url())
        chart = response.context["chart"]
        for bar in chart.bars if chart else []:
            written = f"\n    {rows.chart_bar(bar)}\n    "
            assert written == TEMPLATE_BAR.render(Context({"bar": bar}))
            assert written in response.content.decode()
            seen |= {
                name
                for name, present in (
                    ("point", bar.point),
                    ("line", not bar.point),
                    ("open low", bar.arrow_low),
                    ("open high", bar.arrow_high),
                    ("two lines", len(bar.lines) > 1),
                )
                if present
            }
    assert seen == {"point", "line", "open low", "open high", "two lines"}


@pytest.mark.django_db
def test_every_claim_of_every_demo_source_page_is_what_the_template_wrote(client, demo):
    # What the demo data lacks: a disputed claim, a claim on no question, a question with more
    # claims than a row names, a superseded claim.
    first = Claim.objects.filter(question__isnull=False).order_by("pk")[0]
    Claim.objects.filter(pk=first.pk).update(status=Claim.Status.DISPUTED)
    make_claim(source=first.source, value=1, unit="%")
    crowded = make_question()
    source = make_source()
    own = make_claim(question=crowded, source=source, value=50, unit="%", as_of="2020")
    for value in (10, 20, 30, 40, 60, 70):
        make_claim(question=crowded, value=value, unit="%")
    correction = make_claim(question=crowded, source=source, value=52, unit="%", as_of="2021")
    ClaimLink.objects.create(claim=correction, kind=ClaimLink.Kind.CORRECTS, target=own)
    seen = set()
    for page in Source.objects.all():
        response = client.get(page.get_absolute_url())
        for group in response.context["groups"]:
            for row in group["rows"]:
                written = f"\n  {rows.source_row(row, group)}\n  "
                context = Context({"row": row, "group": group})
                assert written == TEMPLATE_SOURCE_ROW.render(context), page.slug
                assert written in response.content.decode()
                # The claims it names are read as plain values (ClaimQuerySet.figures): named
                # and linked as the Claims themselves are.
                named = [*row.get("others", ()), *row.get("correctors", ())]
                for *_, label, other in named:
                    instance = Claim.objects.for_labels().get(ref=other.ref)
                    assert label == display.claim_label(instance), page.slug
                    assert other.status == instance.status
                    assert other.get_absolute_url() == instance.get_absolute_url()
                claim = row["claim"]
                seen |= {
                    name
                    for name, present in (
                        ("disputed", claim.status == "disputed"),
                        ("disputed other", any(o.status == "disputed" for *_, o in named)),
                        ("no question", group["question"] is None),
                        ("others", row.get("others")),
                        ("more others", row.get("more_others")),
                        ("superseded", row.get("correctors")),
                        ("nothing to name", group["question"] and not row.get("others")),
                        ("speaker", claim.speaker_id),
                        ("cited", claim.cited_source_id),
                        ("links", claim.public_links() or claim.public_linked_from()),
                        ("note", claim.note),
                    )
                    if present
                }
    assert seen == {
        "disputed",
        "disputed other",
        "no question",
        "others",
        "more others",
        "superseded",
        "nothing to name",
        "speaker",
        "cited",
        "links",
        "note",
    }
