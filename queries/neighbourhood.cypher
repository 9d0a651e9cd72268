// name: neighbourhood
// description: The network around one entity, one row per entity, link, "N more" and designation: linked entities up to `hops` away, at most `per_type` new ones per relationship type at each entity (the rest counted in "more" rows), and the programs that designated each
// param id: str                               -- entity id or list record key, e.g. us-ofac-sdn:29220
// param hops: int[1..3] = 1
// param types: list[str] | None = None        -- relationship types to follow (LEADS, MEMBER_OF, …); default all
// param per_type: int[1..1000] = 25           -- new neighbours per entity and relationship type
// param limit: int[1..5000] = 200             -- at most this many entities
// param designations: bool = True             -- add the programs that designated each entity
WITH $id AS key
// include: entity
WITH e LIMIT 1
WITH [e] AS seen, [e] AS frontier, 1 AS hop
// include: expand
// include: expand
// include: expand
CALL (seen) {
    UNWIND seen AS n
    RETURN 'entity' AS row, n.id AS from_id, n.name AS from_name, n.kind AS from_kind,
           null AS type, null AS to_id, null AS to_name, null AS to_kind, null AS role,
           null AS dataset, null AS status, null AS date, null AS more
  UNION ALL
    UNWIND seen AS n
    MATCH (n)-[r:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF]->(m:Entity)
    WHERE m IN seen AND ($types IS NULL OR type(r) IN $types)
    RETURN 'link' AS row, n.id AS from_id, n.name AS from_name, n.kind AS from_kind,
           type(r) AS type, m.id AS to_id, m.name AS to_name, m.kind AS to_kind, r.role AS role,
           r.dataset AS dataset, null AS status, null AS date, null AS more
  UNION ALL
    UNWIND seen AS n
    MATCH (n)-[r:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF]-(m:Entity)
    WHERE NOT m IN seen AND ($types IS NULL OR type(r) IN $types)
    WITH n, type(r) AS type, count(DISTINCT m) AS more
    RETURN 'more' AS row, n.id AS from_id, n.name AS from_name, n.kind AS from_kind,
           type, null AS to_id, null AS to_name, null AS to_kind, null AS role,
           null AS dataset, null AS status, null AS date, more
  UNION ALL
    UNWIND seen AS n
    MATCH (n)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
    WHERE $designations
    RETURN 'designation' AS row, n.id AS from_id, n.name AS from_name, n.kind AS from_kind,
           'DESIGNATED_UNDER' AS type, p.id AS to_id, p.name AS to_name, p.jurisdiction AS to_kind,
           null AS role, d.dataset AS dataset, d.status AS status,
           coalesce(d.announced_on, d.listed_on) AS date, null AS more
}
RETURN row, from_id, from_name, from_kind, type, to_id, to_name, to_kind, role, dataset,
       status, date, more
