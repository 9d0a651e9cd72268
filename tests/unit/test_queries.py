"""The saved-query registry: headers, includes, parameter types and their errors."""

from datetime import date, datetime
from types import SimpleNamespace

import pandas as pd
import pytest

from graph.queries import (
    Param, QueryError, ReadOnlyError, check_read_only, saved_queries, saved_query, to_frame,
)

ANALYSIS = {"designation_gaps", "gap_matrix", "lags", "lag_summary", "coordinated_actions",
            "changes", "new_gaps", "closed_gaps",
            "entity_profile", "neighbourhood", "shortest_path", "program_members",
            "urged_vs_designated"}


def write(folder, name, text):
    (folder / f"{name}.cypher").write_text(text, encoding="utf-8")


def test_every_saved_query_parses_and_declares_what_it_uses():
    queries = saved_queries()
    assert ANALYSIS <= set(queries)
    for query in queries.values():
        assert query.description and query.path.stem == query.name
        assert "// include:" not in query.text
    gaps = queries["designation_gaps"]
    assert list(gaps.params)[:3] == ["base", "missing", "others"]
    assert gaps.params["base"].default == "US"
    assert gaps.params["include_country_regimes"].default is False
    assert gaps.params["date_basis"].choices == ("announced", "listed")
    # The columns that say "not designated", under which the app and the CLI say what
    # that rests on.
    assert {n: q.absence for n, q in queries.items() if q.absence} == {
        "designation_gaps": ("not_designated_by",), "lags": ("follow_date",),
        "lag_summary": ("never_mirrored", "share_never_mirrored"), "new_gaps": ("jurisdiction",),
        "urged_vs_designated": ("designated_on",)}
    # Only the filters a query uses are its parameters.
    assert "country" not in queries["entity_profile"].params
    assert queries["program_members"].params["program"].required


def test_bind_converts_command_line_strings():
    lags = saved_query("lags")
    bound = lags.bind({"others": "gb, CA,", "as_of": "2021-03-22", "include_country_regimes": "yes",
                       "family": "human_rights"})
    assert bound["others"] == ["gb", "CA"]
    assert bound["as_of"] == date(2021, 3, 22)
    assert bound["include_country_regimes"] is True
    assert bound["base"] == "US" and bound["date_basis"] == "announced" and bound["country"] is None
    assert lags.bind({"as_of": datetime(2021, 3, 22, 10)})["as_of"] == date(2021, 3, 22)
    assert lags.bind({"as_of": pd.Timestamp("2021-03-22")})["as_of"] == date(2021, 3, 22)
    assert lags.bind({"base": "", "family": "none"})["base"] is None
    hood = saved_query("neighbourhood")
    assert hood.bind({"id": "x", "hops": "3", "designations": "false"})["hops"] == 3
    assert hood.bind({"id": "x", "designations": "false"})["designations"] is False


@pytest.mark.parametrize("query, params, message", [
    ("lags", {"colour": "red"}, "lags: no parameter 'colour'; its parameters are base, others,"),
    ("lags", {"as_of": "yesterday"}, "lags: parameter 'as_of' must be a date (YYYY-MM-DD), got 'yesterday'"),
    ("lags", {"as_of": 20210322}, "parameter 'as_of' must be a date"),
    ("lags", {"include_country_regimes": "maybe"}, "parameter 'include_country_regimes' must be true or false"),
    ("lags", {"date_basis": "effective"}, "parameter 'date_basis' must be one of 'announced', 'listed'"),
    ("lags", {"others": ["GB", 3]}, "parameter 'others' must be a list of text"),
    ("lags", {"base": 1}, "parameter 'base' must be text, got 1"),
    ("gap_matrix", {"kind": "Ship"}, "parameter 'kind' must be one of 'Person', 'Organization'"),
    ("neighbourhood", {"id": "x", "hops": 4}, "parameter 'hops' must be a whole number from 1 to 3, got 4"),
    ("neighbourhood", {"id": "x", "hops": True}, "parameter 'hops' must be a whole number"),
    ("neighbourhood", {"id": "x", "hops": "2.5"}, "parameter 'hops' must be a whole number"),
    ("neighbourhood", {}, "neighbourhood: parameter 'id' is required (text)"),
    ("neighbourhood", {"id": None}, "parameter 'id' needs a value (text)"),
    ("coordinated_actions", {"window_days": None}, "parameter 'window_days' needs a value"),
])
def test_bind_names_the_parameter_in_error(query, params, message):
    with pytest.raises(QueryError) as e:
        saved_query(query).bind(params)
    assert message in str(e.value)


def test_unknown_query_lists_the_saved_ones():
    with pytest.raises(QueryError, match="no saved query 'gapz'; the saved queries are changes, closed_gaps, coordinated_actions, "):
        saved_query("gapz")


def test_includes_merge_parameters_and_the_query_declaration_wins(tmp_path):
    write(tmp_path, "_common", "// param country: str | None = None  -- ISO code\n"
                               "// param unused: int = 1\nWITH * WHERE $country IS NULL\n")
    write(tmp_path, "pick", "// name: pick\n// description: Picks\n"
                            "// param country: str = \"CN\"\nMATCH (e:Entity)\n// include: common\n"
                            "RETURN e, $country AS c\n")
    query = saved_query("pick", tmp_path)
    assert query.text.splitlines() == ["MATCH (e:Entity)", "WITH * WHERE $country IS NULL",
                                       "RETURN e, $country AS c"]
    assert list(query.params) == ["country"]
    assert query.params["country"].default == "CN" and query.params["country"].required is False


@pytest.mark.parametrize("text, message", [
    ("// name: bad\n// description: d\nRETURN $x", "bad.cypher: uses $x but declares no such parameter"),
    ("// name: bad\n// description: d\n// param x: int = 1\nRETURN 1", "declares parameter 'x' but never uses it"),
    ("// name: bad\n// description: d\n// param x: float = 1\nRETURN $x", "parameter 'x' has unknown type 'float'"),
    ("// name: bad\n// description: d\n// param x: int = \"a\"\nRETURN $x", "parameter 'x' must be a whole number, got 'a'"),
    ("// name: bad\n// description: d\n// param x: str[1..2]\nRETURN $x", "only int takes bounds"),
    ("// name: bad\n// description: d\n// include: missing\nRETURN 1", "includes _missing.cypher, which does not exist"),
    ("// name: other\n// description: d\nRETURN 1", "named 'other' in its header"),
    ("// name: bad\nRETURN 1", "the header lacks `// description: …`"),
])
def test_bad_query_files_are_reported_with_their_name(tmp_path, text, message):
    write(tmp_path, "bad", text)
    with pytest.raises(QueryError) as e:
        saved_queries(tmp_path)
    assert message in str(e.value)


def test_an_include_cycle_is_an_error(tmp_path):
    write(tmp_path, "_a", "// include: b\n")
    write(tmp_path, "_b", "// include: a\n")
    write(tmp_path, "loop", "// name: loop\n// description: d\n// include: a\nRETURN 1\n")
    with pytest.raises(QueryError, match="includes itself"):
        saved_queries(tmp_path)


def test_param_signature_and_optional_list():
    param = Param.parse("others: list[str] | None = [\"GB\"]  -- compared", "t")
    assert param.signature() == "others: list[str] | None = ['GB']"
    assert param.help == "compared" and param.convert("", "q") is None
    assert param.convert(("EU",), "q") == ["EU"]


def plan(query_type, *operators):
    """An EXPLAIN summary as the driver gives it: a tree of operators."""
    tree = {}
    for name, details in reversed(operators):
        tree = {"operatorType": f"{name}@neo4j", "args": {"Details": details},
                "children": [tree] if tree else []}
    return SimpleNamespace(query_type=query_type, plan=tree)


def test_check_read_only_on_plans():
    check_read_only(plan("r", ("ProduceResults", "n"), ("AllNodesScan", "n")))
    check_read_only(plan("r", ("ProcedureCall", "db.labels() :: (label :: STRING)")))
    check_read_only(plan("r", ("ShowIndexes", "allIndexes")))
    refusals = [
        (plan("w", ("EmptyResult", None), ("Create", "(n:X)")), "would write to the graph (Create)"),
        (plan("rw", ("SetProperty", "n.x = 1"), ("AllNodesScan", "n")), "(SetProperty)"),
        (plan("s", ("CreateIndex", "RANGE INDEX")), "query type 's'"),
        (plan("r", ("LoadCSV", "l")), "LOAD CSV"),
        (plan("r", ("TransactionApply", "IN TRANSACTIONS")), "IN TRANSACTIONS"),
        (plan("r", ("ShowSettings", "allSettings")), "ShowSettings"),
        (plan("r", ("TerminateTransactions", "x")), "TerminateTransactions"),
        (plan("r", ("ProcedureCall", "db.awaitIndexes($a) :: ()")), "procedure db.awaitIndexes"),
    ]
    for summary, message in refusals:
        with pytest.raises(ReadOnlyError, match=message.replace("(", r"\(").replace(")", r"\)")):
            check_read_only(summary)


def test_to_frame_types_dates_and_gaps():
    frame = to_frame(["day", "days", "names", "delisted_on", "n"], [
        {"day": date(2020, 7, 9), "days": 256, "names": ["a"], "delisted_on": None, "n": 1},
        {"day": None, "days": None, "names": [], "delisted_on": None, "n": 2},
    ])
    assert str(frame.day.dtype).startswith("datetime64") and pd.isna(frame.day[1])
    assert str(frame.days.dtype) == "Int64" and frame.days[0] == 256 and pd.isna(frame.days[1])
    assert str(frame.delisted_on.dtype).startswith("datetime64")
    assert frame.n.dtype == "int64" and frame.names[0] == ["a"]


def test_to_frame_takes_the_date_columns_it_is_given():
    """A column of text named like a date stays text; a date column of gaps is a date."""
    rows = [{"date": "2020-07-09 (listed)", "since": date(2020, 7, 9), "after": None}]
    for given in (rows, []):
        frame = to_frame(["date", "since", "after"], given, dates=("since", "after"))
        assert not str(frame.date.dtype).startswith("datetime64")
        assert all(str(frame[c].dtype).startswith("datetime64") for c in ("since", "after"))
    assert frame.empty and pd.isna(to_frame(["after"], rows, dates=("after",)).after[0])
