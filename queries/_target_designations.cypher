// Fragment: the rows of the fragment _targets followed by _designations (the selected
// targets `e` with `countries`, each designation `d` of theirs the filters keep, under
// program `p`, with `stated`, `since` and `dated`), found in one pass when no program is
// chosen: a designation under a program of the family is one of its target's that count,
// so the targets need not be expanded a second time (the counter-terrorism family of the
// five lists: 201k → 101k db hits).
// include: filters
CALL () {
    MATCH (p:Program)<-[:UNDER]-(d:Designation)-[:TARGETS]->(e:Entity)
    WHERE $program IS NULL
      AND ($family IS NULL OR p.family = $family OR ($include_country_regimes AND p.family = 'country'))
    RETURN e, d, p
  UNION ALL
    MATCH (:Program {id: $program})<-[:UNDER]-(:Designation)-[:TARGETS]->(e:Entity)
    WITH DISTINCT e
    MATCH (e)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
    WHERE ($family IS NULL OR p.family = $family OR p.id = $program
           OR ($include_country_regimes AND p.family = 'country'))
      AND (p.id = $program
           OR NOT EXISTS { MATCH (chosen:Program {id: $program}) WHERE chosen.jurisdiction = p.jurisdiction })
    RETURN e, d, p
}
WITH *, reduce(codes = [], code IN coalesce(e.nationalities, []) + coalesce(e.countries, []) |
               CASE WHEN code IN codes THEN codes ELSE codes + code END) AS countries
WHERE ($country IS NULL OR toUpper($country) IN countries)
  AND ($kind IS NULL OR e.kind = $kind)
  AND ($case IS NULL OR EXISTS { MATCH (:CaseList {id: $case})-[:INCLUDES]->(:Record)-[:DESCRIBES]->(e) })
  AND ($jurisdictions IS NULL OR d.jurisdiction IN [code IN $jurisdictions | toUpper(code)])
// include: dated
