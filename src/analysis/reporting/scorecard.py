"""Agency scorecards drawn as HTML (:class:`analysis.sections.scorecards.Scorecards`): one card per agency,
each its own printed page, in the brief's look (:data:`analysis.reporting.brief.STYLE`)."""

from __future__ import annotations

from html import escape

import pandas as pd

from analysis.reporting import narrative
from analysis.reporting.brief import box, signed
from analysis.reporting.labels import format_share, label
from analysis.reporting.narrative import rank_words, say

STYLE = """<style>
.scorecard{border-top:3px solid #1f4e79;margin:1.5rem 0;padding-top:.5rem;max-width:60rem}
.scorecard table{border-collapse:collapse;font-size:.9rem}.scorecard td,.scorecard th{padding:2px 10px;text-align:right}
.scorecard td:first-child,.scorecard th:first-child{text-align:left}
.scorecard .boxes{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0}
.scorecard .box{flex:1 1 11rem;border:1px solid #c9d3de;border-radius:6px;padding:.5rem .7rem;background:#f6f8fa}
.scorecard .what,.scorecard .small{font-size:.85rem;color:#44505c}
.scorecard .big{font-size:1.6rem;font-weight:700;color:#1f4e79}
.scorecard blockquote{margin:.3rem 0 .3rem 1rem;color:#333;font-style:italic}
@media print{.scorecard+.scorecard{break-before:page}.scorecard{break-inside:avoid}}
</style>"""


def card(row, components: pd.DataFrame, topics: pd.DataFrame, quotes: pd.DataFrame, ranked: int, year: int,
         names, lang: str) -> str:
    """One agency's card."""
    head = f'<h3 id="scorecard-{escape(str(row.unit_id))}">{escape(str(row.unit_name))}</h3>'
    block = f"<p>{escape(label('block', lang))}: {escape(str(row.block))}</p>"
    if row.suppressed:
        return f'<section class="scorecard">{head}{block}<p>{escape(say("scorecard_suppressed", lang))}</p></section>'
    interval = f"{label('ci95', lang)}: {narrative.interval(row.ci_low, row.ci_high, lang)}"
    boxes = [box(say("brief_index", lang, period=str(year)), format_share(row.estimate, lang), interval)]
    if pd.notna(row.rank):
        boxes.append(box(label("rank", lang), rank_words(int(row.rank_low), int(row.rank_high), ranked, lang),
                         say("scorecard_adjusted", lang, value=format_share(row.shrunk, lang))))
    if pd.notna(row.change):
        verdict = say("brief_untested" if pd.isna(row.change_p) else "brief_beyond" if row.change_p < 0.05
                      else "brief_within", lang)
        verdict += f" ({label('ci95', lang)}: {narrative.interval(row.change_low, row.change_high, lang, points=True)})"
        boxes.append(box(say("brief_change", lang, period=str(year - 1)),
                         f"{signed(row.change, lang)} {say('brief_points', lang)}", verdict))
    parts = [head, block, f'<div class="boxes">{"".join(boxes)}</div>']
    own = components[components["unit_id"] == row.unit_id]
    if len(own):
        header = "".join(f"<th>{escape(label(c, lang))}</th>" for c in ("component", "scorecard.agency",
                                                                         "block", "scorecard.scope"))
        body = "".join(f"<tr><td>{escape(label(r.component, lang))}</td><td>{format_share(r.estimate, lang)}</td>"
                       f"<td>{format_share(r.block_estimate, lang)}</td><td>{format_share(r.scope_estimate, lang)}"
                       f"</td></tr>" for r in own.itertuples())
        parts.append(f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
    mine = topics[topics["unit_id"] == row.unit_id]
    if len(mine) and names is not None:
        items = "".join(f"<li>{escape(names.keywords.name(r.category, lang))}: "
                        f"{escape(say('brief_comment_share', lang, share=format_share(r.estimate, lang, 0)))}</li>"
                        for r in mine.itertuples())
        base = say("brief_comments_base", lang, n=int(mine["comments"].iloc[0]))
        parts.append(f"<h4>{escape(label('brief.complaints', lang))} ({escape(base)})</h4><ol>{items}</ol>")
    said = quotes[quotes["unit_id"] == row.unit_id]
    if len(said):
        parts.append(f"<h4>{escape(label('scorecard.quotes', lang))}</h4>"
                     + "".join(f"<blockquote>“{escape(str(r.text))}”</blockquote>" for r in said.itertuples()))
    return f'<section class="scorecard">{"".join(parts)}</section>'


def render(cards, lang: str = "vi") -> str:
    """Every agency's card (:class:`analysis.sections.scorecards.Scorecards`), best ranked first."""
    return STYLE + "".join(card(row, cards.components, cards.topics, cards.quotes, cards.ranked, cards.year,
                                cards.comment_names, lang) for row in cards.agencies.itertuples())
