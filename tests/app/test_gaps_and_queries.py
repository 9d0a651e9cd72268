"""Gap matrix and saved queries: filters and parameters from the URL, the Xinjiang rows,
refusals of writing Cypher."""

import pandas as pd

from .helpers import select_row, table_with, texts


def row(matrix: pd.DataFrame, name: str) -> pd.Series:
    return matrix[matrix.name == name].iloc[0]


def test_the_chen_quanguo_row_from_a_shared_link(demo_graph, open_page):
    # The link the profile gives: country regimes count, so Canada's SEMA listing shows.
    at = open_page("gaps", target="chen quanguo", regimes="true")
    assert not at.exception
    assert at.toggle(key="regimes").value is True
    matrix = table_with(at, "name", "US", "GB", "EU", "CA")
    assert len(matrix) == 1
    chen = row(matrix, "CHEN, Quanguo")
    # Each date says what it is: the US's from Treasury's announcement, Canada's from its list.
    # The link compares every measure, of which the EU's one regime's annex says nothing.
    assert (chen.US, chen.CA, chen.GB, chen.EU) == (
        "2020-07-09 (announced)", "2024-12-09 (listed)", "—", "extracts only")
    assert chen.lag == 1614
    # A matrix of one row says so in the singular: investigators quote these lines.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("1 target (") for c in captions)
    assert any(c.startswith("**Briefing**: the 1 target above") for c in captions)
    assert any(e.label.startswith("Save as a case list (1 target here)") for e in at.expander)


def test_a_list_older_than_the_first_designation_is_not_a_gap(demo_graph, open_page):
    # Canada's listing of You Quan (2024-12-09, CA-CHINA, which counts as human rights) is
    # his first in the family: the US lists him under Hong Kong's EO 13936, a country
    # regime, which does not count here. Australia's undated list is of 2024-11-11 or later
    # by its newest Control Date: it may be older, so its cell says so, not "not
    # designated". The UK's list of 2025-04-10 is newer: its silence is a gap.
    at = open_page("gaps", target="you quan", jur=["US", "GB", "CA", "AU"])
    assert at.toggle(key="regimes").value is False
    assert not at.exception
    you = row(table_with(at, "name", "GB", "CA", "AU"), "YOU, Quan")
    assert (you.CA, you.GB, you.AU) == ("2024-12-09 (listed)", "—", "list older")
    assert you.US == "designated under US-HK-EO13936"
    assert any('"list older": the list loaded is older than the target\'s first designation' in c.value
               for c in at.caption)
    # With country regimes, the US listing under EO 13936 is the first (already in the
    # oldest version of the US history, of 2021-08-18): Australia's list is newer than
    # that, and its silence is a gap again.
    at = open_page("gaps", target="you quan", regimes="true", jur=["US", "GB", "CA", "AU"])
    you = row(table_with(at, "name", "US", "AU"), "YOU, Quan")
    assert (you.US, you.AU) == ("on or before 2021-08-18", "—")


def test_canadas_china_listings_count_as_human_rights_and_say_why(demo_graph, open_page):
    # No toggle: Canada's China regulations were made for Xinjiang's human rights abuses.
    at = open_page("gaps", target="chen quanguo")
    assert row(table_with(at, "name", "CA"), "CHEN, Quanguo").CA == "2024-12-09 (listed)"
    assert any("CA-CHINA counts as human rights" in c.value and "SOR/2021-49" in c.value
               for c in at.caption)


def test_as_of_a_day_between_two_versions_rests_on_both(demo_graph, open_page):
    # Chen Quanguo as of 2020-12-31: the US had designated him (2020-07-09); Canada listed
    # him on 2024-12-09, its list says, so then it had not, under any program (its
    # listing under CA-CHINA is no "designated under" of 2020). Its lists of 2020-04-15
    # and 2025-09-22 both lack him then: its column says its silence rests on both.
    at = open_page("gaps", target="chen quanguo", as_of="2020-12-31", jur=["US", "CA"])
    assert not at.exception
    chen = row(table_with(at, "name", "US", "CA"), "CHEN, Quanguo")
    assert (chen.US, chen.CA) == ("2020-07-09 (announced)", "—")
    assert any(c.value.startswith("**CA** rests on ") and c.value.endswith(
        "As of 2020-12-31: on its versions of 2020-04-15 and 2025-09-22, either side of the day; a listing made "
        "and ended between them is in neither.") for c in at.caption)
    # On a day after its listing, it is Canada's designation again.
    at = open_page("gaps", target="chen quanguo", as_of="2025-01-01", jur=["US", "CA"])
    assert row(table_with(at, "name", "CA"), "CHEN, Quanguo").CA == "2024-12-09 (listed)"


def test_filters_from_the_url_and_sort_by_lag(demo_graph, open_page):
    at = open_page("gaps", country="China (CN)", kind="Person", regimes="true", sort="lag",
                   jur=["US", "GB", "CA", "EU"])
    assert at.selectbox(key="country").value == "CN"
    assert at.selectbox(key="kind").value == "Person"
    matrix = table_with(at, "name", "kind", "lag")
    assert set(matrix.kind) == {"Person"}
    assert matrix.lag.is_monotonic_decreasing
    zhu = row(matrix, "ZHU, Hailun")
    assert (zhu.US, zhu.GB, zhu.EU) == ("2020-07-09 (announced)", "2021-03-22 (announced)",
                                        "2021-03-22 (announced)")
    assert zhu.lag == 256


def test_lag_summary_and_the_coordinated_action_of_2021_03_22(demo_graph, open_page):
    at = open_page("gaps", country="China (CN)", regimes="true")
    summary = table_with(at, "from", "to", "median_days")
    assert set(summary["from"]) == {"US"} and {"GB", "EU", "CA"} <= set(summary.to)
    actions = table_with(at, "start", "jurisdictions", "n_targets")
    march = actions[actions.start == pd.Timestamp("2021-03-22")].iloc[0]
    assert march.jurisdictions == "CA, EU, GB, US"


def test_a_matrix_row_opens_the_profile(demo_graph, open_page):
    at = open_page("gaps", target="zhu hailun")
    at = select_row(at, "matrix", 0)
    assert texts(at.title) == ["ZHU, Hailun"]


def test_filters_that_match_nothing_say_so(demo_graph, open_page):
    at = open_page("gaps", target="xqzvw qqqq")
    assert "No target named “xqzvw qqqq”" in at.info[0].value


def test_a_saved_query_from_a_link_with_its_parameters(demo_graph, open_page):
    at = open_page("queries", query="lags", **{"p.base": "US", "p.country": "CN",
                                               "p.include_country_regimes": "true"})
    assert not at.exception
    assert at.selectbox(key="p.base").value == "US"  # chosen from the jurisdictions loaded
    lags = table_with(at, "target", "from", "to", "days")
    zhu = lags[(lags.name == "ZHU, Hailun") & (lags.to == "GB")].iloc[0]
    assert zhu.days == 256
    assert [b.label for b in at.get("download_button")] == ["Download CSV"]
    # Its "never designated" (an empty follow_date) says what it rests on.
    assert any(c.value.startswith("Not designated (follow_date) means no designation in the lists loaded (")
               and "GB: whole list of 2025-04-10" in c.value for c in at.caption)


def test_a_form_is_generated_from_the_typed_parameters(demo_graph, open_page):
    at = open_page("queries", query="coordinated_actions")
    assert at.number_input(key="p.window_days").value == 0
    assert at.number_input(key="p.min_jurisdictions").min == 2
    assert at.selectbox(key="p.date_basis").options == ["announced", "listed"]
    assert at.checkbox(key="p.include_country_regimes").value is False
    at.number_input(key="p.window_days").set_value(1).run()
    assert not at.error


def test_a_query_that_returns_paths_is_drawn(demo_graph, open_page):
    a, b = demo_graph.search("chen mingguo").id[0], demo_graph.search("chen quanguo").id[0]
    at = open_page("queries", query="shortest_path", **{"p.a": a, "p.b": b})
    assert table_with(at, "hops", "route").hops.min() >= 2
    assert [e.key for e in at.get("component_instance")] == ["shortest_path-graph"]


def test_required_parameters_are_asked_for(demo_graph, open_page):
    at = open_page("queries", query="shortest_path")
    assert "Fill in a, b" in at.info[0].value


def test_ad_hoc_cypher_reads_and_refuses_writes_plainly(demo_graph, open_page):
    at = open_page("queries", cypher="MATCH (j:Jurisdiction) RETURN j.code AS code ORDER BY code")
    assert {"US", "GB", "CA", "EU"} <= set(table_with(at, "code").code)
    at = open_page("queries", cypher="CREATE (:Intruder {name: 'x'})")
    assert "Not run." in at.error[0].value and "refused" in at.error[0].value
    assert not at.exception
    assert demo_graph.read("MATCH (n:Intruder) RETURN count(n) AS n")[0]["n"] == 0
    at = open_page("queries", cypher="MATCH (n) RETURN n.nope +")
    assert "Not run." in at.error[0].value
