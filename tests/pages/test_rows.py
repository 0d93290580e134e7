"""The question page writes its claim rows in Python (pages.rows.compared_row): each row must be
what the template's row (below, as the page's template had it, with the included templates the
other pages still use) writes for the same claim, on every question of the demo data."""

import pytest
from django.template import Context, Template

from claims.models import Claim, Question
from pages import rows

# The row as claims/question_detail.html wrote it before pages.rows.
TEMPLATE_ROW = Template(
    "{% load links labels quotes %}"
    + '{% with claim=row.claim %}\n      <tr id="claim-{{ claim.ref }}" class="standing-{{ row.badge.0 }}{% if claim.status == \'disputed\' %} is-disputed{% endif %}">\n        <td data-label="Source">{% link claim.source claim.source.title %}\n          <div class="muted">{% if claim.source.publisher %}{% link claim.source.publisher claim.source.publisher.name %}, {% endif %}{{ claim.source.published }}</div></td>\n        <td data-label="Said by">{% if claim.speaker %}{% link claim.speaker claim.speaker.name %}{% if claim.speaker.description %}<div class="muted">{{ claim.speaker.description }}</div>{% endif %}{% else %}<span class="muted">the source</span>{% endif %}</td>\n        <td data-label="Cites">{% if claim.cited_source %}{% link claim.cited_source claim.cited_source.title %}{% else %}<span class="muted">—</span>{% endif %}</td>\n        <td data-label="Figure as stated" class="figure">{% link claim claim.stated_figure|default:"—" %}</td>\n        <td data-label="Normalised" class="figure">{{ row.normalised|default:"—" }}</td>\n        <td data-label="As of">{{ claim.as_of|default:"—" }}{% if row.year_note %}<div class="muted">{{ row.year_note }}</div>{% endif %}</td>\n        <td data-label="Status">{% include "claims/_status.html" %}</td>\n        <td data-label="Standing">{% include "claims/_badge.html" with badge=row.badge %}\n          {% for relation, labels in row.relations %}<div class="rel rel-{{ relation }}">{% if relation == "superseded" %}superseded by{% elif relation == "conflict" %}conflicts with{% elif relation == "close" %}close to{% else %}agrees with{% endif %} {{ labels|join:"; " }}</div>{% endfor %}\n        </td>\n        <td data-label="Quote" class="quote">{{ claim.quote|quoted }}{% in_context claim %}{% if claim.paraphrase %}<div class="muted">{{ claim.paraphrase }}</div>{% endif %}{% include "claims/_note.html" with note=claim.note %}{% include "claims/_links.html" %}</td>\n      </tr>\n      {% endwith %}'
)


@pytest.mark.django_db
def test_every_row_of_every_demo_question_is_what_the_template_wrote(client, demo):
    # The demo data has no disputed claim: one is disputed here.
    Claim.objects.filter(
        pk=Claim.objects.filter(question__isnull=False).order_by("pk")[0].pk
    ).update(status=Claim.Status.DISPUTED)
    seen = set()
    for question in Question.objects.all():
        response = client.get(question.get_absolute_url())
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
