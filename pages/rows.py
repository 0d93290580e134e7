"""The question page's claim rows and chart bars as HTML, written in Python rather than in its
templates.

A row of the question page's table took ~250 µs in the template language (some 80 variable
lookups, four included templates and five link tags); the same markup written here with
pages.html.format_html takes a fraction of that, and a page shows dozens of rows. The row's words and
figures come from the page's one formatter of each (pages.display, the link tags of
pages.templatetags.links); the small pieces below write the markup of the included templates they
stand for (claims/_badge.html, _status.html, _note.html, _links.html), which the other pages still
include: tests/pages/test_rows.py holds every row and bar of the demo data to what the templates
wrote. A bar of the chart (claims/_chart.html) is written here for the same reason.
"""

from django.utils.formats import localize

from . import display
from .html import format_html, safe
from .templatetags.links import in_context, link

DASH = "—"


# How a relation of the Standing column reads before the claims it names.
def badge(badge):
    """claims/_badge.html: a (css, words) badge."""
    return format_html('<span class="badge {}">{}</span>', badge[0], badge[1])


def status(claim):
    """claims/_status.html: a disputed claim's warning, or the claim's status."""
    if claim.status == "disputed":
        return safe(
            '<span class="badge disputed" title="A curator disputes this claim: read it with '
            'care">disputed</span>'
        )
    return format_html('<span class="status">{}</span>', claim.get_status_display())


def note(text):
    """claims/_note.html: the team's note, if any (the template ends in a new line)."""
    if not text:
        return safe("\n")
    return format_html('<p class="note"><span class="muted">Team\'s note:</span> {}</p>\n', text)


def links(claim):
    """claims/_links.html: the claim's links to and from public claims, if any."""
    found = display.claim_links(claim)
    if not found:
        return safe("\n")
    # Each item escaped by format_html, so the joined whole is safe.
    items = safe(
        " · ".join(format_html("{} {}", words, link(other, label)) for words, label, other in found)
    )
    return format_html('<p class="links">{}</p>\n', items)


def _or_dash(value):
    return value or DASH


def compared_row(row):
    """One `<tr>` of the question page's table: `row` as questions._origin_groups makes it
    (claim, badge, normalised, year_note, relations)."""
    claim = row["claim"]
    source, speaker, cited = claim.source, claim.speaker, claim.cited_source
    publisher = source.publisher
    if speaker:
        said_by = link(speaker, speaker.name)
        if speaker.description:
            said_by = format_html('{}<div class="muted">{}</div>', said_by, speaker.description)
    else:
        said_by = safe('<span class="muted">the source</span>')
    relations = safe(
        "".join(
            format_html(
                '<div class="rel rel-{}">{} {}</div>',
                relation,
                display.RELATION_WORDS[relation],
                "; ".join(map(str, labels)),
            )
            for relation, labels in row["relations"]
        )
    )
    year_note = row["year_note"]
    return format_html(
        '<tr id="claim-{}" class="standing-{}{}">\n'
        '        <td data-label="Source">{}\n'
        '          <div class="muted">{}{}</div></td>\n'
        '        <td data-label="Said by">{}</td>\n'
        '        <td data-label="Cites">{}</td>\n'
        '        <td data-label="Figure as stated" class="figure">{}</td>\n'
        '        <td data-label="Normalised" class="figure">{}</td>\n'
        '        <td data-label="As of">{}{}</td>\n'
        '        <td data-label="Status">{}</td>\n'
        '        <td data-label="Standing">{}\n'
        "          {}\n"
        "        </td>\n"
        '        <td data-label="Quote" class="quote">{}{}{}{}{}</td>\n'
        "      </tr>",
        claim.ref,
        row["badge"][0],
        " is-disputed" if claim.status == "disputed" else "",
        link(source, source.title),
        format_html("{}, ", link(publisher, publisher.name)) if publisher else "",
        source.published,
        said_by,
        link(cited, cited.title) if cited else safe(f'<span class="muted">{DASH}</span>'),
        link(claim, _or_dash(claim.stated_figure())),
        _or_dash(row["normalised"]),
        _or_dash(claim.as_of),
        format_html('<div class="muted">{}</div>', year_note) if year_note else "",
        status(claim),
        badge(row["badge"]),
        relations,
        display.quoted(claim.quote),
        in_context(claim),
        format_html('<div class="muted">{}</div>', claim.paraphrase) if claim.paraphrase else "",
        note(claim.note),
        links(claim),
    )


def _number(value):
    """A number as the template language writes one (localized: "12.5", never "12,5" here)."""
    return localize(value)


def chart_lines(chart):
    """The chart's grid lines, year rules and axis ticks (claims/_chart.html's loops over them):
    {"grid": …, "years": …, "ticks": …}. A dozen ticks and years, each a few numbers the template
    language would localize one by one."""
    top, axis_y, left = _number(chart.plot_top), _number(chart.axis_y), _number(chart.plot_left)
    tick_end, label_y = _number(chart.tick_end), _number(chart.tick_label_y)
    grid, years, ticks = [], [], []
    for tick in chart.ticks:
        x = _number(tick.x)
        grid.append(
            format_html('<line class="grid" x1="{}%" y1="{}" x2="{}%" y2="{}"/>', x, top, x, axis_y)
        )
        ticks.append(
            format_html(
                '<line class="axis" x1="{}%" y1="{}" x2="{}%" y2="{}"/>'
                '<text class="tick" x="{}%" y="{}">{}</text>',
                x,
                axis_y,
                x,
                tick_end,
                x,
                label_y,
                _number(tick.label),
            )
        )
    for year in chart.years:
        line_y = _number(year.line_y)
        years.append(
            format_html(
                '<line class="year-rule" x1="0" y1="{}" x2="100%" y2="{}"/>'
                '<text class="year" x="{}%" y="{}">{}</text>',
                line_y,
                line_y,
                left,
                _number(year.y),
                _number(year.label),
            )
        )
    return {
        key: safe("".join(parts))
        for key, parts in (("grid", grid), ("years", years), ("ticks", ticks))
    }


def chart_bar(bar):
    """One `<g>` of the question page's chart: a pages.charts.Bar."""
    x1, x2, y = _number(bar.x1), _number(bar.x2), _number(bar.y)
    text_x = _number(bar.text_x)
    lines = "".join(
        format_html(
            '<text class="label" x="{}%" y="{}">{}</text>', text_x, _number(line.y), line.text
        )
        for line in bar.lines
    )
    if bar.point:
        mark = format_html('<circle cx="{}%" cy="{}" r="5"/>', x1, y)
    else:
        mark = format_html('<line x1="{}%" y1="{}" x2="{}%" y2="{}"/>', x1, y, x2, y)
    low = (
        format_html(
            '<svg class="arrow" x="{}%" y="{}" width="1" height="1">'
            '<polygon points="0,-6 -9,0 0,6"/></svg>',
            x1,
            y,
        )
        if bar.arrow_low
        else ""
    )
    high = (
        format_html(
            '<svg class="arrow" x="{}%" y="{}" width="1" height="1">'
            '<polygon points="0,-6 9,0 0,6"/></svg>',
            x2,
            y,
        )
        if bar.arrow_high
        else ""
    )
    return format_html(
        '<g class="bar {}">\n'
        "      <title>{} ({})</title>\n"
        "      {}\n"
        "      {}\n"
        "      {}\n"
        "      {}\n"
        "    </g>",
        bar.css,
        bar.title,
        bar.badge,
        safe(lines),
        mark,
        low,
        high,
    )


def source_row(row, group):
    """One `<article>` of the source page: `row` and its `group` as sources._source_groups and
    _name_others make them (a claim on no question has no standing, badge or others)."""
    claim = row["claim"]
    stated = claim.stated_figure()
    normalised = row.get("normalised")
    speaker, cited = claim.speaker, claim.cited_source
    said = ""
    if speaker:
        description = format_html(" ({})", speaker.description) if speaker.description else ""
        said = format_html("Said by {}{}. ", link(speaker, speaker.name), description)
    correctors = row.get("correctors")
    superseded = (
        format_html(
            '<p class="superseded">Superseded by {}: a later claim of the same origin corrects '
            "it, and it leaves the question's verdict.</p>",
            safe("; ".join(link(other, label) for label, other in correctors)),
        )
        if correctors
        else ""
    )
    others = row.get("others")
    if others:
        items = "".join(
            format_html(
                "<li>{} {}{}</li>",
                badge(other_badge),
                link(other, label),
                safe(' <span class="badge disputed">disputed</span>')
                if other.status == "disputed"
                else "",
            )
            for other_badge, label, other in others
        )
        more = (
            format_html(
                '<li class="muted">… and {} more: {}</li>',
                _number(row["more_others"]),
                link(group["question"], "see the question"),
            )
            if row.get("more_others")
            else ""
        )
        named = format_html(
            '\n    <ul class="others">\n      {}\n      {}\n    </ul>\n    ', safe(items), more
        )
    elif group["question"] and not correctors:
        named = safe('<p class="muted">No other source on this question yet.</p>')
    else:
        named = ""
    return format_html(
        '<article class="claim{}" id="claim-{}">\n'
        '    <p class="figure-line">\n'
        "      {}\n"
        "      {}\n"
        "      {}\n"
        "      {}\n"
        "      {}\n"
        "    </p>\n"
        "    <blockquote>{}{}</blockquote>\n"
        "    {}\n"
        "    {}\n"
        "    {}\n"
        '    <p class="muted">{}{}</p>\n'
        "    {}\n"
        "  </article>",
        " is-disputed" if claim.status == "disputed" else "",
        claim.ref,
        format_html('<strong class="figure">{}</strong>', link(claim, stated)) if stated else "",
        format_html('<span class="muted">= {}</span>', normalised)
        if normalised and normalised != stated
        else "",
        format_html('<span class="muted">as of {}</span>', claim.as_of) if claim.as_of else "",
        badge(row["badge"]) if row.get("badge") else "",
        status(claim),
        display.quoted(claim.quote) if stated else link(claim, display.quoted(claim.quote)),
        in_context(claim),
        note(claim.note),
        links(claim),
        superseded,
        said,
        format_html("Cites {}.", link(cited, cited.title)) if cited else "",
        named,
    )
