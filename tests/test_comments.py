"""analysis.analyses.comments: keyword categories, shares with intervals, quotes without personal data, feedback."""

from __future__ import annotations

import dataclasses
import unicodedata

import numpy as np
import pandas as pd
import pytest
from conftest import RAW

from analysis.analyses.comments import (
    DEFAULT_KEYWORDS,
    FEEDBACK_COLUMNS,
    OTHER,
    CategoryShares,
    categories_of,
    categorise,
    category_shares,
    examples,
    feedback_summary,
    load_keywords,
    tokenise,
    top_terms,
    with_dissatisfaction,
    word_segmenter,
)
from analysis.data.load import load_survey
from analysis.data.privacy import MASK, find_personal_data
from analysis.errors import InputError
from analysis.reporting import narrative
from analysis.reporting.outputs import Outputs
from analysis.results import Result
from analysis.sections import comments as section
from analysis.sections.summary import findings

PERSONAL = [" Gọi tôi 0912 345 678.", " SĐT: +84 987 654 321.", " Email: nguyen.van.a@gmail.com.",
            " Số CCCD 036095001234.", " CMND 123456789."]


@pytest.fixture(scope="module")
def config():
    return load_keywords()


@pytest.fixture(scope="module")
def survey(survey_mapping):
    return load_survey(survey_mapping)


@pytest.fixture(scope="module")
def categorised(survey, config):
    return categorise(survey.comments, config)


def frame(texts: list[str], unit: str = "U1", period: str = "2023") -> pd.DataFrame:
    """Comments of one unit and period."""
    return pd.DataFrame({"respondent_id": [f"R{k:03d}" for k in range(len(texts))], "period": period,
                         "unit_id": unit, "text": texts})


def test_the_dictionary_recovers_the_true_categories(survey, categorised):
    truth = pd.read_csv(RAW / "province_survey" / "comment_categories.csv", dtype=str)
    predicted = (categorised.astype({"category": str}).groupby(["period", "respondent_id"])["category"]
                 .agg(frozenset).rename("predicted").reset_index())
    both = truth.merge(predicted, on=["period", "respondent_id"], how="outer", validate="one_to_one")
    assert len(both) == len(truth) == len(survey.comments)
    correct = both["predicted"] == both["category"].map(lambda c: frozenset([c]))
    report = {}
    for code in truth["category"].unique():
        said = both["predicted"].map(lambda p, c=code: c in p)
        true = both["category"] == code
        report[code] = (f"precision {(said & true).sum() / max(said.sum(), 1):.3f}, "
                        f"recall {(said & true).sum() / true.sum():.3f}")
    message = f"accuracy {correct.mean():.3f}; " + "; ".join(f"{c}: {r}" for c, r in sorted(report.items()))
    assert correct.mean() >= 0.9, message
    online = both["predicted"].map(lambda p: "online_system" in p)
    true_online = both["category"] == "online_system"
    assert (online & true_online).sum() / online.sum() >= 0.9, message
    assert (online & true_online).sum() / true_online.sum() >= 0.9, message


def test_a_decomposed_comment_is_categorised_like_its_nfc_form(config):
    texts = ["Thái độ của một số công chức chưa lịch sự.", "Thủ tục còn rườm rà, giấy tờ quá nhiều.",
             "Hệ thống dịch vụ công trực tuyến hay bị lỗi.", "Cảm ơn cơ quan, tôi rất hài lòng."]
    nfc = categorise(frame(texts), config)
    nfd = categorise(frame([unicodedata.normalize("NFD", t) for t in texts]), config)
    assert unicodedata.normalize("NFD", texts[0]) != texts[0]
    pd.testing.assert_frame_equal(nfc, nfd)
    assert list(nfc["category"].astype(str)) == ["staff_attitude", "paperwork", "online_system", "praise"]


@pytest.mark.parametrize("text, expected", [
    ("Thai do can bo chua tot", ["staff_attitude"]),
    ("THỦ TỤC rườm rà", ["paperwork"]),
    ("thu tuc ruom ra, phai xep hang cho doi", ["waiting_time", "paperwork"]),
    ("Cong dich vu cong hay bi loi", ["online_system"]),
    ("Toi muon noi loi cam on", ["praise"]),             # 'loi' without marks is not 'lỗi'
    ("Tôi không hài lòng", [OTHER]),                     # negated praise
    ("khong hai long", [OTHER]),
    ("Cán bộ thiếu niềm nở", ["staff_attitude"]),
    ("Cán bộ niềm nở, rất hài lòng", ["praise"]),
    ("Mọi thứ ổn", [OTHER]),
    ("Xem trên website của tỉnh", ["online_system"]),
])
def test_keywords_with_and_without_diacritics(config, text, expected):
    assert categories_of(text, config) == expected


def test_keywords_match_whole_words_only(tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text("categories:\n  - code: fees\n    name: {vi: Lệ phí, en: Fees}\n    keywords: [phí, lệ phí]\n",
                    encoding="utf-8")
    config = load_keywords(path)
    assert categories_of("Lệ phí cao", config) == ["fees"]
    assert categories_of("Phí cao", config) == ["fees"]
    assert categories_of("Phíp cao", config) == [OTHER]
    assert categories_of("le phi cao", config) == ["fees"]     # two words: matched without marks
    assert categories_of("phi cao", config) == [OTHER]         # one word: needs its marks


def test_an_edited_copy_of_the_dictionary_is_used(tmp_path, config):
    text = DEFAULT_KEYWORDS.read_text(encoding="utf-8").replace(
        "categories:\n", "categories:\n  - code: fees\n    name: {vi: Lệ phí, en: Fees}\n    keywords: [lệ phí]\n", 1)
    path = tmp_path / "my_comment_categories.yaml"
    path.write_text(text, encoding="utf-8")
    edited = load_keywords(path)
    assert edited.codes[0] == "fees" and edited.codes[-1] == OTHER
    assert categories_of("Lệ phí quá cao", edited) == ["fees"]
    assert categories_of("Lệ phí quá cao", config) == [OTHER]
    assert edited.name("fees", "en") == "Fees" and edited.name(OTHER, "vi") == "Khác"


@pytest.mark.parametrize("text, problem", [
    (None, "does not exist"),
    ("categories: [\n", "not valid YAML"),
    ("", "empty or not a set of keys"),
    ("fold_diacritics: true\n", "no list of 'categories'"),
    ("categories:\n  - code: a\n    name: {vi: A, en: A}\n", "category 1 has no 'keywords'"),
    ("categories:\n  - code: a\n    name: {vi: A}\n    keywords: [x]\n", "needs a Vietnamese and an English name"),
    ("categories:\n  - code: a\n    name: {vi: A, en: A}\n    keywords: []\n", "'a': keywords is not a list"),
    ("categories:\n  - code: a\n    name: {vi: A, en: A}\n    keywords: thái độ\n", "not a list of words"),
    ("categories:\n  - code: a\n    name: {vi: A, en: A}\n    keywords: [12]\n", "not a list of words"),
    ("categories:\n  - code: other\n    name: {vi: A, en: A}\n    keywords: [x]\n", "has the code 'other'"),
    ("categories:\n  - code: Thái độ\n    name: {vi: A, en: A}\n    keywords: [x]\n", "has the code"),
    ("categories:\n  - {code: a, name: {vi: A, en: A}, keywords: [x]}\n"
     "  - {code: a, name: {vi: B, en: B}, keywords: [y]}\n", "code 'a' is used twice"),
    ("categories:\n  - {code: a, name: {vi: A, en: A}, keywords: [thái độ]}\n"
     "  - {code: b, name: {vi: B, en: B}, keywords: [Thái  độ]}\n", "'thái độ' is listed under both 'a' and 'b'"),
    ("fold_diacritics: maybe\ncategories:\n  - {code: a, name: {vi: A, en: A}, keywords: [x]}\n",
     "fold_diacritics is 'maybe'"),
])
def test_a_broken_dictionary_names_the_file_and_the_fix(tmp_path, text, problem):
    path = tmp_path / "broken.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="Fix: ") as error:
        load_keywords(path)
    assert str(path) in str(error.value)
    assert problem in str(error.value)


def test_shares_have_intervals_around_them_and_hide_small_groups(survey, categorised):
    table = category_shares(categorised, survey.comments, by=["unit_id", "period"], min_cell=10).table()
    size = survey.comments.groupby(["unit_id", "period"]).size()
    groups = size.reindex(pd.MultiIndex.from_frame(table[["unit_id", "period"]])).to_numpy()
    assert (table["suppressed"] == (groups < 10)).all()
    assert table.loc[table["suppressed"], ["comments", "count", "estimate", "ci_low", "ci_high"]].isna().all().all()
    shown = table[~table["suppressed"]]
    assert len(shown) and (shown["comments"] >= 10).all()
    assert ((shown["ci_low"] <= shown["estimate"]) & (shown["estimate"] <= shown["ci_high"])).all()
    assert (shown["estimate"] == shown["count"] / shown["comments"]).all()
    assert len(table) == len(size) * len(categorised["category"].cat.categories)


def test_shares_over_all_comments(survey, categorised):
    shares = category_shares(categorised, survey.comments, by=[])
    assert isinstance(shares, CategoryShares) and isinstance(shares, Result) and shares.plot("vi") is None
    table = shares.table()
    assert list(table["category"].astype(str)) == load_keywords().codes
    assert list(shares.table("en")["category"])[-1] == "Other" and table["estimate"].between(0, 1).all()
    assert (table["comments"] == len(survey.comments)).all() and not table["suppressed"].any()
    assert table["count"].sum() == len(categorised)
    assert ((table["ci_low"] < table["estimate"]) | (table["count"] == 0)).all()
    assert (table["estimate"] < table["ci_high"]).all()


def test_shares_by_a_column_joined_to_the_comments(survey, categorised):
    comments = survey.comments.merge(survey.units[["unit_id", "block"]], on="unit_id", how="left")
    table = category_shares(categorised, comments, by=["block"]).table()
    totals = table.groupby("block")["comments"].first()
    assert totals.sum() == len(survey.comments)
    assert table.groupby("block")["count"].sum().sum() == len(categorised)


def test_a_survey_without_comments_gives_empty_tables(survey):
    none = survey.comments.iloc[:0]
    categorised = categorise(none)
    assert categorised.empty and list(categorised.columns) == ["respondent_id", "period", "unit_id", "category"]
    assert category_shares(categorised, none).table().empty
    assert category_shares(categorised, none, by=[]).summary("vi") == []
    assert examples(categorised, none).empty
    assert top_terms(categorised, none).empty
    assert with_dissatisfaction(categorised, survey.grid())["suppressed"].all()


def test_complaints_go_with_dissatisfied_answers_and_praise_does_not(survey, categorised):
    table = with_dissatisfaction(categorised, survey.grid()).set_index(["category", "measure"])
    shown = table[~table["suppressed"]]
    assert ((shown["ci_low"] <= shown["estimate"]) & (shown["estimate"] <= shown["ci_high"])).all()
    praise = table.loc[("praise", "dissatisfied")]
    assert praise["estimate"] < praise["others_estimate"] and praise["p_value"] < 0.05
    for code in ("staff_attitude", "waiting_time", "online_system"):
        row = table.loc[(code, "dissatisfied")]
        assert row["difference"] > 0 and row["p_value"] < 0.05, code
    assert table.loc[(OTHER, "dissatisfied"), "suppressed"]  # no comment is left uncategorised
    sentences = narrative.dissatisfaction_sentences(table.reset_index(), "en", load_keywords().name)
    assert any("Online public services" in s for s in sentences)
    assert not any("Praise" in s for s in sentences)


def test_quotes_never_hold_personal_data(config):
    texts = [f"Thủ tục rườm rà.{PERSONAL[k % len(PERSONAL)]}" for k in range(12)]
    texts += [f"Cán bộ nhiệt tình, cảm ơn.{s}" for s in PERSONAL] * 3
    comments = frame(texts)
    assert all(find_personal_data(t) for t in comments["text"])   # as if the loader had not scrubbed
    categorised = categorise(comments, config)
    quotes = examples(categorised, comments, per_category=50, min_cell=10, seed=1)
    assert len(quotes) == 2 * len(PERSONAL)
    for text in quotes["text"]:
        assert find_personal_data(text) == [] and MASK in text, text
    terms = top_terms(categorised, comments, config, n=50, min_cell=1, segment=False)
    assert not any(find_personal_data(p) for p in terms["phrase"])
    assert not terms["phrase"].str.contains(r"\d").any()


def test_quotes_come_only_from_groups_of_at_least_min_cell(survey, categorised):
    quotes = examples(categorised, survey.comments, per_category=3, min_cell=10, seed=7)
    size = survey.comments.groupby(["unit_id", "period"]).size()
    assert (size.reindex(pd.MultiIndex.from_frame(quotes[["unit_id", "period"]])) >= 10).all()
    assert set(quotes["category"].astype(str)) == set(load_keywords().codes) - {OTHER}
    assert (quotes.groupby("category", observed=True).size() == 3).all()
    assert not quotes.duplicated(["category", "text"]).any()
    small = frame(["Thủ tục rườm rà."] * 9)
    assert examples(categorise(small), small, min_cell=10).empty


def test_quotes_are_drawn_the_same_way_for_the_same_seed(survey, categorised):
    first = examples(categorised, survey.comments, seed=20231231)
    again = examples(categorised.sample(frac=1, random_state=3), survey.comments.sample(frac=1, random_state=4),
                     seed=20231231)
    pd.testing.assert_frame_equal(first, again)
    other = examples(categorised, survey.comments, seed=1)
    assert not first.equals(other)


def test_plain_tokens_after_nfc():
    text = unicodedata.normalize("NFD", f"Thủ tục RƯỜM RÀ, mất 2 ngày! {MASK} e-mail")
    assert tokenise(text, segment=False) == ["thủ", "tục", "rườm", "rà", "mất", "ngày", "e", "mail"]


def test_a_vietnamese_segmenter_keeps_words_whole_when_installed():
    if word_segmenter() is None:
        pytest.skip("underthesea is not installed (optional); the plain fallback is tested above")
    assert "thủ tục" in tokenise("Thủ tục hành chính còn rườm rà")


def test_frequent_terms_per_category(survey, categorised, config):
    table = top_terms(categorised, survey.comments, config, n=5, segment=False)
    assert set(table["kind"]) == {"word", "bigram"}
    assert (table.groupby(["category", "kind"], observed=True).size() <= 5).all()
    assert (table["count"] >= 10).all() and table["share"].between(0, 1).all()
    assert not table["phrase"].isin(config.stopwords).any()
    bigrams = table[(table["kind"] == "bigram")].groupby("category", observed=True)["phrase"].agg(set)
    assert "thái độ" in bigrams["staff_attitude"] and "trực tuyến" in bigrams["online_system"]


def test_feedback_indicators_of_decision_766():
    indicators = pd.read_csv(RAW / "treasury" / "indicators.csv", dtype={"period": str})
    table = feedback_summary(indicators)
    assert set(table["measure"]) == set(FEEDBACK_COLUMNS) and not table.attrs
    assert len(table) == len(indicators) * len(FEEDBACK_COLUMNS)
    overall = feedback_summary(indicators, by=[])
    assert np.allclose(overall.set_index("measure")["value"], indicators[list(FEEDBACK_COLUMNS)].mean())
    assert "handled on time" in " ".join(narrative.feedback_sentences(overall, "en"))
    partial = feedback_summary(indicators.drop(columns="feedback_on_time_pct"))
    assert set(partial["measure"]) == set(FEEDBACK_COLUMNS) - {"feedback_on_time_pct"}
    absent = feedback_summary(indicators[["unit_id", "period"]])
    assert absent.empty and not absent.attrs
    assert narrative.feedback_sentences(absent, "vi") == ["Dữ liệu không có chỉ số về phản ánh, kiến nghị."]
    blank = feedback_summary(indicators.assign(**{c: np.nan for c in FEEDBACK_COLUMNS}), by=[])
    assert blank.empty and narrative.feedback_sentences(blank, "en") == [
        "The data have no indicators of complaints and feedback."]


def test_comment_tables_written_for_a_report_hold_no_personal_data(tmp_path, survey, categorised, config):
    """The tables a comments section would save, through the report's own writer, scanned as the report test does."""
    comments = pd.concat([survey.comments, frame([f"Phòng chờ chật.{s}" for s in PERSONAL] * 3, "BHXH", "2023")],
                         ignore_index=True)
    categorised = categorise(comments, config)
    outputs = Outputs(tmp_path, lang="vi")
    shown = [
        outputs.table(category_shares(categorised, comments, by=["unit_id", "period"]).table(), "comment_shares"),
        outputs.table(with_dissatisfaction(categorised, survey.grid()), "comment_dissatisfaction"),
        outputs.table(examples(categorised, comments, per_category=20, seed=20231231), "comment_examples"),
        outputs.table(top_terms(categorised, comments, config, segment=False), "comment_terms"),
    ]
    written = sorted(tmp_path.rglob("*.csv"))
    assert len(written) == 4
    for path in written:
        assert find_personal_data(path.read_text(encoding="utf-8-sig")) == [], path.name
    for html in shown:
        assert find_personal_data(html.data) == []
    assert MASK in (tmp_path / "tables" / "comment_examples.csv").read_text(encoding="utf-8-sig")


def test_sentences_in_both_languages(survey, categorised, config):
    shares = category_shares(categorised, survey.comments, by=[], keywords=config)
    assert narrative.comments_sentence(shares.table(), "vi", config.name).startswith("Có 2.131 ý kiến đóng góp")
    assert "“Praise and thanks”" in narrative.comments_sentence(shares.table(), "en", config.name)
    assert shares.summary("en") == [narrative.comments_sentence(shares.table(), "en", config.name)]
    top = shares.table().query("category != 'other'").sort_values("estimate").iloc[-1]
    assert f"{100 * top['estimate']:.2f}".replace(".", ",") + "%" in shares.summary("vi")[0]  # a proportion, in percent


# --------------------------------------------------------------------------- the section's headline


def test_the_headline_is_the_share_of_the_years_comments(survey, config):
    head = section.headline(survey, 2023, min_cell=10)
    assert isinstance(head, Result) and head.plot("vi") is None
    texts = survey.comments[survey.comments["period"] == "2023"]
    direct = category_shares(categorise(texts, config), texts, by=[], min_cell=10, keywords=config)
    pd.testing.assert_frame_equal(head.table(), direct.table())
    assert head.summary("vi") == [direct.summary("vi")[0].replace("Có 228", "Năm 2023 có 228")]  # the year said
    assert head.table()["comments"].iloc[0] == len(texts)
    few = section.headline(survey, 2023, min_cell=len(texts) + 1)  # too few: the one sentence saying so
    assert few.summary("en") == few.notes("en") == [narrative.say("comments_too_few", "en", year=2023,
                                                                  min_cell=len(texts) + 1)]
    assert findings(few, "en") == [] and head.notes("en") == []  # a note is not a finding of the summary


def test_a_survey_without_comments_says_so_once(survey):
    bare = dataclasses.replace(survey, comments=survey.comments.iloc[:0])
    head = section.headline(bare, 2023, min_cell=10)
    assert head.summary("vi") == [narrative.absent("comments", "vi")] and findings(head, "vi") == []
    assert section.collect(bare).empty and not section.collect(survey).empty


def test_a_monthly_survey_s_year_holds_its_months_comments(survey):
    """Comments dated by month (2023-07) belong to their year: the 2023 headline counts them."""
    months = survey.comments.assign(period=survey.comments["period"] + "-07")
    monthly = dataclasses.replace(survey, comments=months)
    yearly = section.headline(survey, 2023, min_cell=10)
    head = section.headline(monthly, 2023, min_cell=10)
    assert head.table()["comments"].iloc[0] == yearly.table()["comments"].iloc[0] > 0
    assert len(section.collect(monthly).of_year(2023).texts) == len(section.collect(survey).of_year(2023).texts)


def test_the_section_tables_are_the_analyses_tables(survey, config):
    found = section.collect(survey)
    year = found.of_year(2023)
    tidy, wide = section.by_year(found, min_cell=10, lang="en")
    years = set(survey.comments["period"].astype(str).str.slice(0, 4).astype(int))
    assert set(tidy["year"]) == years and "Praise and thanks" in set(tidy["category"])
    assert wide.shape == (len(config.codes), 1 + len(years))
    tidy, wide = section.by_segment(year, "channel", min_cell=10, lang="en")
    assert set(tidy["channel"]) == {"Direct", "Online"} and list(wide.columns[1:3]) == ["Staff attitude",
                                                                                   "Waiting and handling time"]
    linked = section.dissatisfaction(found, survey, min_cell=10)
    assert linked.summary("en") == [  # every year's comments, pooled: the part says so first
        narrative.say("comments_pooled", "en", first=2014, last=2023, n=f"{len(survey.comments):,}"),
        *narrative.dissatisfaction_sentences(linked.table(), "en", config.name)]
    assert (section.terms(year, min_cell=10)["share"].between(0, 1)).all()
    assert len(section.quotes(year, min_cell=10, seed=1)) > 0


def test_the_most_common_category_named_is_never_other():
    """'Khác' (other) holds what no keyword caught: the sentence names the most common real category."""
    shares = pd.DataFrame({"category": ["staff_attitude", "waiting_time", OTHER], "comments": [40, 40, 40],
                           "estimate": [0.2, 0.3, 0.6], "ci_low": [0.1, 0.2, 0.5], "ci_high": [0.3, 0.4, 0.7]})
    sentence = narrative.comments_sentence(shares, "en", lambda code, lang: code)
    assert "“waiting_time”: 30.00%" in sentence and OTHER not in sentence
