// name: new_gaps
// description: The follow-up list: each target a jurisdiction first designated on or after a day (in the selection: family, program, …), and each other jurisdiction expected to follow that has not designated it (yet), one row per target and such jurisdiction, with `elsewhere`, the programs it lists the target under outside the selection. Whether that jurisdiction's list is loaded at all, and whether it is as new as the designation, is not said here: the client's new_gaps() says so ("no list" and "not known" are not gaps)
// absence: jurisdiction
// param since: date                         -- first designations on or after this day; one first seen between two versions counts when the newer is on or after it
// param others: list[str] | None = None     -- the jurisdictions expected to follow; default: those with a program in the selection
// include: first_designations
WITH e, countries,
     collect({j: j, first: first, basis: basis, after: after, programs: programs}) AS firsts
// Designated first on or after the day, by a date that is the day or bounds it from
// above and below (not "on or before the oldest version": that may be years before).
WITH e, countries, firsts,
     [f IN firsts WHERE f.basis IN ['listed', 'announced', 'first_seen'] AND f.first >= $since] AS new
WHERE size(new) > 0
WITH e, countries, firsts, new,
     reduce(lead = null, f IN new | CASE WHEN lead IS NULL OR f.first < lead.first THEN f ELSE lead END) AS lead,
     CASE WHEN $others IS NOT NULL THEN [o IN $others | toUpper(o)]
          ELSE COLLECT {
              MATCH (q:Program)
              WHERE ($family IS NULL OR q.family = $family OR q.id = $program
                     OR ($include_country_regimes AND q.family = 'country'))
                AND ($jurisdictions IS NULL OR q.jurisdiction IN [code IN $jurisdictions | toUpper(code)])
              RETURN DISTINCT q.jurisdiction
          } END AS expected
UNWIND [o IN expected WHERE NONE(f IN firsts WHERE f.j = o)] AS jurisdiction
// What it designated the target under instead: a program of another family.
CALL (e, jurisdiction) {
    OPTIONAL MATCH (e)<-[:TARGETS]-(:Designation {jurisdiction: jurisdiction})-[:UNDER]->(q:Program)
    WITH q ORDER BY q.id
    RETURN collect(DISTINCT q.id) AS elsewhere
}
RETURN e.id AS id, e.name AS name, e.kind AS target_kind, countries, jurisdiction,
       [f IN new | f.j] AS designated_by, lead.j AS first_by, lead.first AS date,
       lead.basis AS basis, lead.after AS after,
       // The target's first designation by any state, whenever it was: a list older than
       // it cannot say the other state has not followed (the client's new_gaps()).
       reduce(day = null, f IN firsts | CASE WHEN f.first IS NOT NULL AND (day IS NULL OR f.first < day)
                                             THEN f.first ELSE day END) AS first_designated,
       reduce(ps = [], f IN new | ps + [p IN f.programs WHERE NOT p IN ps]) AS programs,
       elsewhere, $date_basis AS date_basis
ORDER BY date DESC, name, id, jurisdiction
