// Fragment: the targets the filters select, bound as `e`, with `countries` (its
// nationalities and countries). Starts from the program, else from the programs of the
// family, so the selection is as small as the filters allow.
// include: filters
CALL () {
    MATCH (:Program {id: $program})<-[:UNDER]-(:Designation)-[:TARGETS]->(e:Entity)
    RETURN e
  UNION
    MATCH (p:Program)<-[:UNDER]-(:Designation)-[:TARGETS]->(e:Entity)
    WHERE $program IS NULL
      AND ($family IS NULL OR p.family = $family
           OR ($include_country_regimes AND p.family = 'country'))
    RETURN e
}
WITH *, reduce(codes = [], code IN coalesce(e.nationalities, []) + coalesce(e.countries, []) |
               CASE WHEN code IN codes THEN codes ELSE codes + code END) AS countries
WHERE ($country IS NULL OR toUpper($country) IN countries)
  AND ($kind IS NULL OR e.kind = $kind)
  AND ($case IS NULL OR EXISTS { MATCH (:CaseList {id: $case})-[:INCLUDES]->(:Record)-[:DESCRIBES]->(e) })
