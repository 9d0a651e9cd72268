// Fragment: for each target the base jurisdiction designated and each other
// jurisdiction: `from`, `to`, `base_date`, `follow_date` (null: `to` never designated
// it), `base_dated`, `follow_dated` (the day is known exactly), `base_basis`,
// `follow_basis` (what each date is, see _designations), `base_programs`.
// param base: str | None = "US"            -- the jurisdiction lags count from; None: every jurisdiction that designated the target
// param others: list[str] | None = None    -- the jurisdictions compared with it; default: every one in the selection
// include: first_designations
WITH collect({e: e, countries: countries, j: j, first: first, dated: dated, basis: basis,
              programs: programs}) AS rows,
     collect(DISTINCT j) AS seen
WITH rows, CASE WHEN $others IS NULL THEN seen ELSE [o IN $others | toUpper(o)] END AS others
UNWIND rows AS row
WITH others, row.e AS e, row.countries AS countries, collect(row) AS firsts
UNWIND [f IN firsts WHERE $base IS NULL OR f.j = toUpper($base)] AS b
UNWIND [o IN others WHERE o <> b.j] AS to
WITH e, countries, b, to, head([f IN firsts WHERE f.j = to]) AS f
WITH e, countries, b.j AS from, to, b.first AS base_date, f.first AS follow_date,
     b.dated AS base_dated, f.dated AS follow_dated, b.basis AS base_basis, f.basis AS follow_basis,
     b.programs AS base_programs
