"""The client's rows (graph/queries.py plain_row): what `Record.data()` gives, without
its walk of every value, for rows of plain values, dates, nested lists and maps, nodes,
and a value the driver cannot decode."""

from __future__ import annotations

import pytest
from neo4j.exceptions import BrokenRecordError

from graph.queries import plain_row

ROWS = [
    "RETURN 'x' AS text, 1 AS whole, 1.5 AS real, true AS yes, null AS nothing",
    "RETURN datetime('2020-07-09T12:00:00[Europe/Berlin]') AS at, duration('P1Y2M') AS lag, "
    "[1, {on: date('2020-07-09'), names: ['a', null]}] AS nested, {} AS empty",
    "MATCH (e:Entity)<-[:DESCRIBES]-(r:Record) RETURN e, e.names AS names, r.key AS key LIMIT 3",
    "MATCH (e:Entity)<-[d:DESCRIBES]-(r:Record) RETURN [d] AS described, r.key AS key LIMIT 3",
]


@pytest.mark.parametrize("statement", ROWS)
def test_rows_are_what_data_gives(demo_graph, statement):
    records = demo_graph._records(statement, {})
    assert records
    assert [plain_row(r) for r in records] == [r.data() for r in records]
    assert demo_graph.read(statement) == [r.data() for r in records]


def test_a_value_the_driver_cannot_decode_is_reported_as_data_reports_it(demo_graph):
    (record,) = demo_graph._records("RETURN date('+999999999-01-01') AS far", {})
    with pytest.raises(BrokenRecordError, match="broken data at 0 \\('far'\\)"):
        record.data()
    with pytest.raises(BrokenRecordError, match="broken data at 0 \\('far'\\)"):
        plain_row(record)
