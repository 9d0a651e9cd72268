// Fragment: the designations of `e` the filters keep, bound as `d` (under program `p`),
// with `since`, `basis`, `after` and `dated` (queries/_dated.cypher). Python's
// Model.counts states the same filter for designations read whole (a test holds them equal).
// include: filters
MATCH (e)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
WHERE ($family IS NULL OR p.family = $family OR p.id = $program
       OR ($include_country_regimes AND p.family = 'country'))
  AND ($program IS NULL OR p.id = $program
       OR NOT EXISTS { MATCH (chosen:Program {id: $program}) WHERE chosen.jurisdiction = p.jurisdiction })
  AND ($jurisdictions IS NULL OR d.jurisdiction IN [code IN $jurisdictions | toUpper(code)])
// include: dated
