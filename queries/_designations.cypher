// Fragment: the designations of `e` the filters keep, bound as `d` (under program `p`),
// with `since`, the date it counts from on the chosen basis, and `dated`: false when the
// list and the announcements give no date and `since` is only the day the list was first
// loaded (OFAC's SDN files carry few dates).
// include: filters
MATCH (e)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
WHERE ($family IS NULL OR p.family = $family OR p.id = $program
       OR ($include_country_regimes AND p.family = 'country'))
  AND ($program IS NULL OR p.id = $program
       OR NOT EXISTS { MATCH (chosen:Program {id: $program}) WHERE chosen.jurisdiction = p.jurisdiction })
  AND ($jurisdictions IS NULL OR d.jurisdiction IN [code IN $jurisdictions | toUpper(code)])
WITH *, CASE $date_basis WHEN 'listed' THEN coalesce(d.listed_on, d.announced_on)
                         ELSE coalesce(d.announced_on, d.listed_on) END AS stated
WITH *, coalesce(stated, d.first_seen) AS since, stated IS NOT NULL AS dated
WHERE $as_of IS NULL OR (since <= $as_of AND (d.delisted_on IS NULL OR d.delisted_on > $as_of))
