"""Written suggestions: categories by keyword, shares with intervals, quotes, frequent words.

Comments reach this module as ``Survey.comments``: NFC text, already scrubbed
of phone numbers, e-mails and ID numbers at load.  :func:`categorise` gives
each comment the categories of an editable YAML dictionary of Vietnamese
keywords (``config/comment_categories.yaml``, read by :func:`load_keywords`), or
``other``; :func:`category_shares` counts them by unit and period with Wilson
intervals (a :class:`CategoryShares`, shares as proportions);
:func:`with_dissatisfaction` says which categories go with dissatisfied
answers; :func:`examples` picks a few quotes from groups large enough to
show, scrubbed again; :func:`top_terms` lists frequent words.
:func:`feedback_summary` reads the Decision 766 group 5 feedback indicators.

Shares are of comments and unweighted: the people who write a comment are
not a random sample of the respondents.

Examples
--------
>>> survey = load_survey("data/raw/province_survey/mapping.yaml")          # doctest: +SKIP
>>> categorised = categorise(survey.comments)                              # doctest: +SKIP
>>> category_shares(categorised, survey.comments, by=["unit_id", "period"]).table()  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.proportion import proportion_confint

from analysis.analyses.decision766 import names, require_keys
from analysis.analyses.indices import ALL, suppress
from analysis.data.grid import FormGrid
from analysis.data.privacy import MASK, fold, scrub
from analysis.data.readers import nfc, read_yaml
from analysis.data.schema import OVERALL_ITEM
from analysis.errors import InputError
from analysis.paths import CONFIG_DIR
from analysis.reporting.labels import label

DEFAULT_KEYWORDS = CONFIG_DIR / "comment_categories.yaml"
OTHER = "other"  # the category of a comment no keyword matches
KEYS = ["respondent_id", "period", "unit_id"]
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
WORD = re.compile(r"\w+")
LETTER = re.compile(r"[^\W\d_]")
CLAUSE_BREAK = re.compile(r"[^\w\s]+")
# Decision 766 group 5 indicators, named as in config/decision766.yaml and the indicator tables.
FEEDBACK_COLUMNS = ("feedback_classified_pct", "feedback_on_time_pct", "feedback_satisfaction_pct")


# --------------------------------------------------------------------------- dictionary


@dataclass(frozen=True)
class Category:
    """One category: its code, names and keywords (NFC, lower case)."""

    code: str
    name: dict[str, str]
    keywords: tuple[str, ...]
    not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Keywords:
    """A validated keyword dictionary: categories, their names and keywords (``config/comment_categories.yaml``)."""

    categories: tuple[Category, ...]
    source: str
    fold_diacritics: bool = True
    stopwords: frozenset[str] = frozenset()

    @property
    def codes(self) -> list[str]:
        """Category codes in the file's order, then ``other``."""
        return [c.code for c in self.categories] + [OTHER]

    def name(self, code: str, lang: str = "vi") -> str:
        """Reader's name of a category (from the file), else :func:`~analysis.reporting.labels.label`."""
        for category in self.categories:
            if category.code == code:
                return category.name[lang]
        return label(code, lang)

    @cached_property
    def matchers(self) -> list[tuple[str, re.Pattern, re.Pattern | None]]:
        """Per category: its pattern on the text, and on the folded text (keywords of two or more words)."""
        matchers = []
        for category in self.categories:
            phrases = [fold(k) for k in category.keywords if " " in k] if self.fold_diacritics else []
            loose = keyword_pattern(phrases, [fold(w) for w in category.not_after]) if phrases else None
            matchers.append((category.code, keyword_pattern(category.keywords, category.not_after), loose))
        return matchers


def load_keywords(path: str | Path | None = None) -> Keywords:
    """Read and validate a keyword dictionary.

    Parameters
    ----------
    path : a YAML file shaped like ``config/comment_categories.yaml``; None for the shipped one.

    Raises
    ------
    InputError
        naming the file, the category and the fix, when a category lacks a
        code, names or keywords, a code is repeated or is ``other``, or a
        keyword is listed under two categories.
    """
    path = DEFAULT_KEYWORDS if path is None else Path(path)
    raw = read_yaml(path, "keyword dictionary", "analysis/config/comment_categories.yaml")
    entries = raw.get("categories")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "the dictionary has no list of 'categories'",
                         fix="start from the shipped analysis/config/comment_categories.yaml")
    categories = tuple(parse_category(entry, k, path) for k, entry in enumerate(entries, 1))
    owner: dict[str, str] = {}
    for category in categories:
        if category.code in owner.values():
            raise InputError(path, f"the category code {category.code!r} is used twice",
                             fix="give each category its own code, or merge their keywords")
        for keyword in category.keywords:
            if owner.setdefault(keyword, category.code) != category.code:
                raise InputError(path, f"the keyword {keyword!r} is listed under both {owner[keyword]!r} and "
                                 f"{category.code!r}", fix="keep the keyword under one category")
    fold_diacritics = raw.get("fold_diacritics", True)
    if not isinstance(fold_diacritics, bool):
        raise InputError(path, f"fold_diacritics is {fold_diacritics!r}", fix="write fold_diacritics: true or false")
    stopwords = word_list(raw.get("stopwords", []), "stopwords", path, allow_empty=True)
    return Keywords(categories=categories, source=str(path), fold_diacritics=fold_diacritics,
                    stopwords=frozenset(stopwords))


def parse_category(entry: object, position: int, path: Path) -> Category:
    """One category entry, its code checked (``other`` is reserved)."""
    entry = require_keys(entry, ("code", "name", "keywords"), f"category {position}", path)
    code = str(entry["code"])
    if not CODE.match(code) or code == OTHER:
        raise InputError(path, f"category {position} has the code {code!r}",
                         fix="use lower-case letters, digits and _ (e.g. staff_attitude); "
                         f"{OTHER!r} is kept for comments that match no keyword")
    where = f"category {code!r}"
    return Category(code=code, name=names(entry["name"], where, path),
                    keywords=word_list(entry["keywords"], f"{where}: keywords", path),
                    not_after=word_list(entry.get("not_after", []), f"{where}: not_after", path, allow_empty=True))


def word_list(value: object, where: str, path: Path, allow_empty: bool = False) -> tuple[str, ...]:
    """A list of words or phrases as matched (NFC, lower case, single spaces), or an InputError."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) \
            or not (value or allow_empty):
        raise InputError(path, f"{where} is not a list of words", fix="write a list in brackets, e.g. "
                         "[thái độ, niềm nở]; quote a word YAML would read as a number or yes/no")
    return tuple(dict.fromkeys(normalise(v) for v in value))


def normalise(text: str) -> str:
    """Text as matched: NFC, lower case, runs of white space as one space."""
    return nfc(text).lower()


def keyword_pattern(keywords: Iterable[str], not_after: Iterable[str]) -> re.Pattern:
    """Whole-word alternation of ``keywords``; group ``neg`` catches a word of ``not_after`` right before."""
    words = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
    negations = "|".join(re.escape(w) for w in not_after)
    prefix = rf"(?:(?P<neg>{negations})\s)?" if negations else ""
    return re.compile(rf"(?<!\w){prefix}(?:{words})(?!\w)")


def matches(pattern: re.Pattern, text: str) -> bool:
    """True when ``pattern`` finds a keyword not preceded by a negation."""
    return any(m.groupdict().get("neg") is None for m in pattern.finditer(text))


# --------------------------------------------------------------------------- categories


def categories_of(text: str, config: Keywords) -> list[str]:
    """Codes of the categories whose keywords ``text`` contains, in the file's order; ``["other"]`` if none.

    >>> categories_of("Thai do can bo chua tot, thu tuc ruom ra.", load_keywords())
    ['staff_attitude', 'paperwork']
    """
    text = normalise(text)
    folded = fold(text)
    found = [code for code, exact, loose in config.matchers
             if matches(exact, text) or (loose is not None and matches(loose, folded))]
    return found or [OTHER]


def categorise(comments: pd.DataFrame, config: Keywords | None = None) -> pd.DataFrame:
    """One row per comment and category: ``respondent_id``, ``period``, ``unit_id``, ``category``.

    ``category`` is categorical in the dictionary's order, ``other`` last; a
    comment with keywords of two categories has two rows.
    """
    config = config or load_keywords()
    found = {text: categories_of(text, config) for text in comments["text"].unique()}
    table = comments[KEYS].assign(category=[found[t] for t in comments["text"]]).explode("category")
    table["category"] = pd.Categorical(table["category"], categories=config.codes)
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class CategoryShares:
    """Shares of comments per category and group (:func:`category_shares`), with the dictionary that named them.

    ``shares``: ``by`` columns plus ``category`` (codes), ``comments`` (in the
    group), ``count`` (with the category), ``estimate`` (share of the group's
    comments, a proportion; a comment with two categories counts in both, so
    shares may add up to more than 1), ``ci_low``, ``ci_high``, ``method`` and
    ``suppressed``.
    """

    shares: pd.DataFrame
    by: tuple[str, ...]
    keywords: Keywords

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The shares by category code; with ``lang`` the categories' names instead of their codes."""
        if lang is None:
            return self.shares
        return self.shares.assign(category=self.shares["category"].map(lambda code: self.keywords.name(code, lang)))

    def summary(self, lang: str = "vi") -> list[str]:
        """The number of comments and the most common category (over all comments; none when suppressed)."""
        from analysis.reporting import narrative

        if self.by or not self.shares["estimate"].notna().any():
            return []
        return [narrative.comments_sentence(self.shares, lang, self.keywords.name)]

    def plot(self, lang: str = "vi"):
        return None


def category_shares(categorised: pd.DataFrame, comments: pd.DataFrame, by: Iterable[str] = ("period",),
                    min_cell: int = 10, level: float = 0.95, keywords: Keywords | None = None) -> CategoryShares:
    """Number and share of comments in each category per group, with Wilson intervals (:class:`CategoryShares`).

    Parameters
    ----------
    categorised : from :func:`categorise`.
    comments : the comments categorised; every comment counts once in its group's total.
    by : columns of the comments, e.g. ``["unit_id", "period"]`` (join the unit table to the
        comments for ``block``); ``[]`` for all comments.
    min_cell : groups with fewer comments are blanked and flagged ``suppressed``.
    keywords : the dictionary ``categorised`` was made with, for the categories' names (default: shipped).
    """
    by = list(by)
    keys = by or [ALL]
    comments = comments.assign(**{ALL: "all"})
    totals = comments.groupby(keys).size().rename("comments").reset_index()
    codes = list(categorised["category"].cat.categories)
    labelled = categorised.merge(comments[list(dict.fromkeys([*KEYS, *keys]))], on=KEYS, how="inner")
    counts = (labelled.groupby([*keys, "category"], observed=True).size().rename("count").reset_index()
              .astype({"category": str}))
    table = (totals.merge(pd.DataFrame({"category": codes}), how="cross")
             .merge(counts, on=[*keys, "category"], how="left").fillna({"count": 0}))
    table["count"] = table["count"].astype(int)
    table["category"] = pd.Categorical(table["category"], categories=codes)
    table["estimate"], table["ci_low"], table["ci_high"] = wilson(table["count"], table["comments"], level)
    table["method"] = "wilson"
    table = table.sort_values([*keys, "category"], kind="stable").reset_index(drop=True)
    columns = [*by, "category", "comments", "count", "estimate", "ci_low", "ci_high", "method"]
    return CategoryShares(suppress(table[columns], min_cell, n_column="comments"), tuple(by),
                          keywords or load_keywords())


def wilson(count: pd.Series, n: pd.Series, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share ``count / n`` and its Wilson interval, which holds the share despite rounding (NaN where n is 0)."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = count / n
        low, high = proportion_confint(count, n, alpha=1 - level, method="wilson")
    return share, np.fmin(low, share), np.fmax(high, share)


def with_dissatisfaction(categorised: pd.DataFrame, grid: FormGrid, min_cell: int = 10,
                         level: float = 0.95) -> pd.DataFrame:
    """How each category's commenters answered the overall question, against the other commenters.

    Parameters
    ----------
    categorised : from :func:`categorise`.
    grid : the survey's forms (:meth:`analysis.data.schema.Survey.grid`); their overall answer is used.
    min_cell : rows with fewer commenters (``n``) are blanked and flagged ``suppressed``.

    Returns one row per category and ``measure`` (``dissatisfied``: overall
    answer 1-2; ``satisfied``: 4-5) with ``n`` (the category's commenters who
    answered), ``count``, ``estimate`` and its Wilson interval, the other
    commenters' ``others_n`` and ``others_estimate``, ``difference`` and the
    ``p_value`` of Fisher's exact test (two-sided) of equal shares.  Unweighted.
    """
    commenters = grid.keys["respondent_id"].isin(categorised["respondent_id"].unique()).to_numpy()  # a few forms
    overall = (grid.answered(OVERALL_ITEM)[commenters] if OVERALL_ITEM in grid.items else
               pd.Series(np.nan, index=np.flatnonzero(commenters)))
    keys = {column: np.asarray(grid.keys.loc[commenters, column], dtype=object)
            for column in ("period", "respondent_id")}
    answers = pd.Series(overall.to_numpy(), index=pd.MultiIndex.from_arrays(list(keys.values()), names=list(keys)),
                        name="answer").dropna().astype(int)
    codes = list(categorised["category"].cat.categories)
    form, forms = pd.factorize(pd.MultiIndex.from_frame(categorised[["period", "respondent_id"]]))
    inside = np.zeros((len(forms), len(codes)), dtype=bool)  # each commenter's categories
    inside[form, categorised["category"].cat.codes.to_numpy()] = True
    member = pd.DataFrame(inside, index=pd.MultiIndex.from_tuples(forms, names=["period", "respondent_id"]),
                          columns=codes).join(answers, how="inner")
    rows = []
    for measure, hit in (("dissatisfied", member["answer"] <= 2), ("satisfied", member["answer"] >= 4)):
        hit = hit.to_numpy()
        for code in codes:
            inside = member[code].to_numpy()
            n, count = int(inside.sum()), int((hit & inside).sum())
            others_n, others_count = int((~inside).sum()), int((hit & ~inside).sum())
            p_value = (fisher_exact([[count, n - count], [others_count, others_n - others_count]]).pvalue
                       if n and others_n else np.nan)
            rows.append({"category": code, "measure": measure, "n": n, "count": count, "others_n": others_n,
                         "others_count": others_count, "p_value": p_value})
    table = pd.DataFrame(rows)
    table["estimate"], table["ci_low"], table["ci_high"] = wilson(table["count"], table["n"], level)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["others_estimate"] = table["others_count"] / table["others_n"]
    table["difference"] = table["estimate"] - table["others_estimate"]
    table["category"] = pd.Categorical(table["category"], categories=codes)
    columns = ["category", "measure", "n", "count", "estimate", "ci_low", "ci_high", "others_n",
               "others_estimate", "difference", "p_value"]
    return suppress(table[columns], min_cell)


def examples(categorised: pd.DataFrame, comments: pd.DataFrame, per_category: int = 3, min_cell: int = 10,
             seed: int = 0) -> pd.DataFrame:
    """A few quotes per category, only from unit-period groups with at least ``min_cell`` comments.

    Quotes are scrubbed again (:func:`analysis.data.privacy.scrub`) whatever the
    loader did, repeated texts are shown once, and the draw depends only on
    ``seed`` and the data, not on the order of the rows.  Returns
    ``category``, ``unit_id``, ``period`` and ``text``.
    """
    size = comments.groupby(["unit_id", "period"])["respondent_id"].transform("size")
    quotes = categorised.merge(comments.loc[size >= min_cell], on=KEYS, how="inner")
    quotes["text"] = quotes["text"].map(lambda text: scrub(nfc(text)))
    quotes = (quotes.sort_values(["category", "period", "unit_id", "respondent_id"], kind="stable")
              .drop_duplicates(["category", "text"]))
    rng = np.random.default_rng(seed)
    picked = []
    for code in categorised["category"].cat.categories:
        pool = quotes[quotes["category"] == code]
        chosen = rng.choice(len(pool), size=min(per_category, len(pool)), replace=False)
        picked.append(pool.iloc[np.sort(chosen)])
    return pd.concat(picked)[["category", "unit_id", "period", "text"]].reset_index(drop=True)


# --------------------------------------------------------------------------- words


@cache
def word_segmenter() -> Callable[[str], list[str]] | None:
    """``underthesea.word_tokenize`` when the package is installed (it runs offline), else None."""
    try:
        from underthesea import word_tokenize
    except ImportError:
        return None
    return word_tokenize


def tokenise(text: str, segment: bool = True) -> list[str]:
    """The lower-case words of ``text`` (NFC), without numbers, punctuation or the privacy mask.

    With the optional ``underthesea`` installed and ``segment`` true, words of
    several syllables stay whole (``"thủ tục"``); otherwise the plain fallback
    splits on white space and punctuation, one syllable per token.

    >>> tokenise("Thủ tục rườm rà, mất 2 ngày!", segment=False)
    ['thủ', 'tục', 'rườm', 'rà', 'mất', 'ngày']
    """
    text = nfc(text).replace(MASK, " ")
    segmenter = word_segmenter() if segment else None
    pieces = segmenter(text) if segmenter else WORD.findall(text)
    return [p.lower() for p in pieces if LETTER.search(p)]


def terms_of(text: str, stopwords: frozenset[str], segment: bool = True) -> set[tuple[str, str]]:
    """``(kind, phrase)`` pairs of a comment: words and two-word phrases without stop words, within clauses."""
    found = set()
    for clause in CLAUSE_BREAK.split(nfc(text).replace(MASK, ".")):
        words = [(w, w not in stopwords) for w in tokenise(clause, segment)]
        found |= {("word", w) for w, keep in words if keep}
        found |= {("bigram", f"{a} {b}") for (a, keep_a), (b, keep_b) in pairwise(words) if keep_a and keep_b}
    return found


def top_terms(categorised: pd.DataFrame, comments: pd.DataFrame, config: Keywords | None = None, n: int = 10,
              min_cell: int = 10, segment: bool = True) -> pd.DataFrame:
    """The most frequent words and two-word phrases of each category's comments.

    A term counts once per comment; stop words of the dictionary are left
    out, and a term found in fewer than ``min_cell`` comments is not shown
    (rare words, such as names, could point to a person).  Returns
    ``category``, ``kind`` (``word`` or ``bigram``), ``phrase``, ``count``
    (comments with it) and ``share`` (of the category's comments), the ``n``
    most frequent per category and kind.
    """
    config = config or load_keywords()
    terms = {text: terms_of(text, config.stopwords, segment) for text in comments["text"].unique()}
    merged = categorised.merge(comments, on=KEYS, how="inner")
    rows = [(code, kind, phrase) for code, text in zip(merged["category"], merged["text"], strict=True)
            for kind, phrase in terms[text]]
    table = (pd.DataFrame(rows, columns=["category", "kind", "phrase"]).value_counts().rename("count")
             .reset_index())
    table["share"] = table["count"] / table["category"].map(merged.groupby("category", observed=True).size())
    table["category"] = pd.Categorical(table["category"], categories=categorised["category"].cat.categories)
    table = table[table["count"] >= min_cell].sort_values(["category", "kind", "count", "phrase"],
                                                          ascending=[True, False, False, True], kind="stable")
    return table.groupby(["category", "kind"], observed=True).head(n).reset_index(drop=True)


# --------------------------------------------------------------------------- Decision 766 group 5


def feedback_summary(indicators: pd.DataFrame, by: Iterable[str] = ("unit_id", "period")) -> pd.DataFrame:
    """Feedback (phản ánh, kiến nghị) indicators of Decision 766 group 5, where the table has them.

    Parameters
    ----------
    indicators : a unit x period table of rates in percent, such as
        :func:`analysis.analyses.decision766.load_indicators` returns.  Its columns
        ``feedback_classified_pct`` (feedback classified by category and
        routed), ``feedback_on_time_pct`` (handled on time) and
        ``feedback_satisfaction_pct`` (satisfied with the handling) are read.
    by : grouping columns; rates are averaged over the rows of a group.

    Returns ``by`` columns plus ``measure`` (the column), ``value`` (percent)
    and ``n`` (rows with a value).  Without any of the columns (or values) the
    table is empty (:func:`analysis.reporting.narrative.feedback_sentences` says so).
    """
    by = list(by)
    present = [c for c in FEEDBACK_COLUMNS if c in indicators]
    long = indicators.melt(id_vars=by, value_vars=present, var_name="measure", value_name="value").dropna()
    long["measure"] = pd.Categorical(long["measure"], categories=present)
    return (long.groupby([*by, "measure"], observed=True)["value"].agg(value="mean", n="size").reset_index()
            if present else pd.DataFrame(columns=[*by, "measure", "value", "n"]))
