// name: entity_profile
// description: One target at a glance: names, countries, list records, who designated it first when, its links and the calls that name it
// param id: str                               -- entity id or list record key, e.g. us-ofac-sdn:29220
WITH $id AS key
// include: entity
WITH e LIMIT 1
CALL (e) {
    OPTIONAL MATCH (e)<-[:DESCRIBES]-(r:Record)
    WITH r ORDER BY r.key
    RETURN collect(r.key) AS records
}
CALL (e) {
    // include: designations
    WITH d.jurisdiction AS j, d, since, basis ORDER BY since
    WITH j, collect({since: since, basis: basis})[0] AS first, count(d) AS n,
         count(CASE WHEN d.delisted_on IS NULL THEN 1 END) AS in_force
    ORDER BY first.since, j
    // "US 2020-07-09 (announced)", "US on or before 2021-08-18": each date with its basis.
    RETURN collect(j + ' ' + CASE first.basis
                       WHEN 'on_or_before' THEN 'on or before ' + toString(first.since)
                       WHEN 'unknown' THEN 'date unknown'
                       ELSE toString(first.since) + ' (' + replace(first.basis, '_', ' ') + ')' END)
           AS designated_by, sum(n) AS designations, sum(in_force) AS in_force
}
CALL (e) {
    OPTIONAL MATCH (e)-[l:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF]-(:Entity)
    WITH type(l) AS type, count(l) AS n ORDER BY type
    RETURN [x IN collect({type: type, n: n}) WHERE x.n > 0 | x.type + ' ' + toString(x.n)] AS links
}
CALL (e) {
    OPTIONAL MATCH (c:Call)-[:NAMES]->(e)
    WITH c ORDER BY c.date
    RETURN [x IN collect(c) | toString(x.date) + ' ' + x.title] AS named_in_calls
}
RETURN e.id AS id, e.name AS name, e.kind AS kind, e.names AS names,
       coalesce(e.nationalities, []) AS nationalities, coalesce(e.countries, []) AS countries,
       e.birth_dates AS birth_dates, e.positions AS positions, records, designated_by,
       designations, in_force, links, named_in_calls, $date_basis AS date_basis
