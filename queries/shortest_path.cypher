// name: shortest_path
// description: The shortest chains of links (leads, member of, owns, family, associate, part of, linked to) between two entities, one row per chain
// param a: str                                -- entity id or list record key
// param b: str                                -- entity id or list record key
// param max_hops: int[1..10] = 6
// param types: list[str] | None = None        -- relationship types a chain may use; default all
// param limit: int[1..1000] = 25              -- at most this many chains
UNWIND [$a, $b] AS key
// include: entity
WITH collect({key: key, e: e}) AS found
WITH head([f IN found WHERE f.key = $a | f.e]) AS x, head([f IN found WHERE f.key = $b | f.e]) AS y
WHERE x <> y
// The search keeps to links of the allowed types as it goes. The hop limit is checked on
// the chains it returns, all of one length: inside the search, a chain found longer than
// the limit makes Neo4j fall back to listing every chain up to 10 links (and time out).
MATCH p = allShortestPaths((x)-[:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF*..10]-(y))
WHERE all(r IN relationships(p) WHERE $types IS NULL OR type(r) IN $types)
WITH p WHERE length(p) <= $max_hops
WITH p LIMIT $limit
WITH p, nodes(p) AS ns, relationships(p) AS rs
RETURN length(p) AS hops,
       reduce(route = ns[0].name, i IN range(0, size(rs) - 1) |
              route + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> '
                           ELSE ' <-' + type(rs[i]) + '- ' END + ns[i + 1].name) AS route,
       [n IN ns | {id: n.id, name: n.name, kind: n.kind}] AS nodes,
       [r IN rs | {type: type(r), from: startNode(r).id, to: endNode(r).id, role: r.role,
                   dataset: r.dataset, since: r.since, until: r.until}] AS links
ORDER BY route
