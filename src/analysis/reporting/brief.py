"""The one-page brief drawn as HTML (:class:`analysis.sections.brief.Brief`): number boxes, three short
lists and the verdict lines, with a print style that keeps it on one A4 page (the page itself, A4 with its
footer, is :func:`analysis.pipeline.document.style`'s)."""

from __future__ import annotations

from html import escape

import pandas as pd

from analysis.reporting import narrative
from analysis.reporting.labels import format_chance, format_number, format_points, format_share, label, period_name
from analysis.reporting.narrative import rank_words, say

STYLE = """<style>
.brief{font-family:inherit;max-width:60rem;margin:0 0 2rem 0}
.brief .boxes{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0 1rem 0}
.brief .box{flex:1 1 11rem;border:1px solid #c9d3de;border-radius:6px;padding:.6rem .8rem;background:#f6f8fa}
.brief .what{font-size:.9rem;color:#44505c}
.brief .big{font-size:1.9rem;font-weight:700;color:#1f4e79;line-height:1.2}
.brief .small{font-size:.85rem;color:#44505c}
.brief .lists{display:flex;flex-wrap:wrap;gap:1.5rem}
.brief .lists>div{flex:1 1 16rem}
.brief h3{font-size:1.05rem;margin:.8rem 0 .3rem 0}
.brief ol,.brief ul{margin:.2rem 0 .2rem 1.2rem;padding:0}
.brief .notes{font-size:.8rem;color:#5b6670;border-top:1px solid #c9d3de;margin-top:.8rem;padding-top:.3rem}
@media print{.brief{break-after:page;font-size:9.5pt}.brief .boxes{flex-wrap:nowrap;gap:6px}
.brief .box{flex:1 1 0;break-inside:avoid;padding:4px 6px}.brief .big{font-size:15pt}
.brief .what,.brief .small{font-size:8pt}.brief .lists{flex-wrap:nowrap;gap:10px}.brief .lists>div{flex:1 1 0}
.brief h2{font-size:14pt;margin:0 0 4px 0}.brief h3{font-size:10.5pt;margin:6px 0 2px 0}.brief p{margin:2px 0}
.brief .notes{font-size:7.5pt}}
</style>"""


def signed(value: float, lang: str) -> str:
    """A change in points with its sign: ``+3,73`` or ``−1,21``."""
    return f"+{format_points(value, lang)}" if round(100 * value, 2) > 0 else format_points(value, lang)


def box(what: str, big: str, small: str) -> str:
    return (f'<div class="box"><div class="what">{escape(what)}</div><div class="big">{escape(big)}</div>'
            f'<div class="small">{escape(small)}</div></div>')


def number_boxes(boxes: pd.DataFrame, lang: str) -> str:
    """The index, the change and the targets as boxes."""
    shown = []
    for row in boxes.itertuples():
        when = period_name(row.period, lang)
        interval = f"{label('ci95', lang)}: {narrative.interval(row.low, row.high, lang)}"
        if row.box == "index":
            shown.append(box(say("brief_index", lang, period=when), format_share(row.value, lang), interval))
        elif row.box == "change":
            verdict = say("brief_untested" if pd.isna(row.beyond_error) else "brief_beyond" if row.beyond_error
                          else "brief_within", lang)
            verdict += f" ({label('ci95', lang)}: {narrative.interval(row.low, row.high, lang, points=True)})"
            shown.append(box(say("brief_change", lang, period=when),
                             f"{signed(row.value, lang)} {say('brief_points', lang)}", verdict))
        else:
            shown.append(box(say("brief_target", lang, target=format_share(row.target, lang, 0), period=when),
                             format_share(row.value, lang),
                             say("brief_chance", lang, chance=format_chance(row.probability, lang),
                                 interval=narrative.interval(row.low, row.high, lang))))
    return f'<div class="boxes">{"".join(shown)}</div>'


def agency_list(rows: pd.DataFrame, agencies: int, lang: str) -> str:
    items = "".join(f"<li>{escape(str(r.unit_name))}: {format_share(r.shrunk, lang)} "
                    f"({escape(rank_words(int(r.rank_low), int(r.rank_high), agencies, lang))})"
                    f"</li>" for r in rows.itertuples())
    return f"<ol>{items}</ol>"


def complaint_list(rows: pd.DataFrame, lang: str) -> str:
    items = "".join(f"<li>{escape(str(r.name))}: "
                    f"{escape(say('brief_comment_share', lang, share=format_share(r.estimate, lang, 0)))}</li>"
                    for r in rows.itertuples())
    return f"<ol>{items}</ol>"


def part(heading: str, body: str) -> str:
    return f"<div><h3>{escape(heading)}</h3>{body}</div>"


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def render(brief, lang: str = "vi") -> str:
    """The brief (:class:`analysis.sections.brief.Brief`) as one HTML block with its own style."""
    lists = []
    if len(brief.best):
        lists.append(part(label("brief.best", lang), agency_list(brief.best, brief.agencies, lang)))
        lists.append(part(label("brief.worst", lang), agency_list(brief.worst, brief.agencies, lang)))
    if len(brief.complaints):
        base = say("brief_comments_base", lang, n=format_number(int(brief.complaints["comments"].iloc[0]), lang, 0))
        lists.append(part(f"{label('brief.complaints', lang)} ({base})", complaint_list(brief.complaints, lang)))
    body = [f'<section class="brief" lang="{lang}">', STYLE, f"<h2>{escape(label('brief.title', lang))}</h2>",
            f"<p><strong>{escape(brief.title)}</strong></p>", number_boxes(brief.boxes, lang),
            f'<div class="lists">{"".join(lists)}</div>' if lists else ""]
    for key, lines in (("brief.act", brief.act), ("brief.policies", brief.policies), ("brief.trend", brief.trend),
                       ("brief.integrity", list(brief.integrity))):
        if lines:
            body.append(part(label(key, lang), paragraphs(lines)))
    body.append(f'<div class="notes">{paragraphs(brief.notes(lang))}</div></section>')
    return "".join(body)
