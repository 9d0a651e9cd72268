// Fragment: one hop more around the entities of `frontier`: at each, at most $per_type
// new neighbours per relationship type (designated ones first, then by name), until
// $hops hops or $limit entities. Updates `seen`, `frontier` and `hop`.
CALL (seen, frontier, hop) {
    UNWIND CASE WHEN hop <= $hops THEN frontier ELSE [] END AS n
    CALL (n, seen) {
        MATCH (n)-[r:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF]-(m:Entity)
        WHERE ($types IS NULL OR type(r) IN $types) AND NOT m IN seen
        WITH DISTINCT type(r) AS type, m
        ORDER BY EXISTS { (m)<-[:TARGETS]-(:Designation) } DESC, m.name
        WITH type, collect(m)[..$per_type] AS ms
        UNWIND ms AS m
        RETURN m
    }
    RETURN collect(DISTINCT m) AS found
}
WITH seen, found[..$limit - size(seen)] AS found, hop
WITH seen + found AS seen, found AS frontier, hop + 1 AS hop
