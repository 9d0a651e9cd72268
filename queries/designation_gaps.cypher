// name: designation_gaps
// description: Targets designated by one jurisdiction and not by others
// absence: not_designated_by
// param base: str | None = "US"             -- jurisdiction code; None: every jurisdiction that designated the target
// param missing: "any" | "all" = "any"     -- any: not designated by at least one of the others; all: by none of them
// include: lag_pairs
WITH e, countries, from, base_date, base_dated, base_programs,
     collect(CASE WHEN follow_date IS NULL THEN to END) AS not_designated_by,
     collect(CASE WHEN follow_date IS NOT NULL THEN to END) AS designated_by
WHERE size(not_designated_by) > 0 AND ($missing = 'any' OR size(designated_by) = 0)
RETURN e.id AS id, e.name AS name, e.kind AS kind, countries, from AS base, base_date,
       base_dated AS dated, base_programs, not_designated_by, designated_by,
       $date_basis AS date_basis
ORDER BY base_date, name, id
