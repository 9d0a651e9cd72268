// name: urged_vs_designated
// description: For each target a civil-society call named and each jurisdiction the call urged or that designated the target: when it first designated it, and whether and how many days after the call
// absence: designated_on
// param call: str | None = None               -- a call id, e.g. hrf-joint-letter-2020-08-18; default every call
MATCH (c:Call)-[:NAMES]->(e:Entity)
WHERE $call IS NULL OR c.id = $call
WITH c, e, [(c)-[u:URGES]->(urged:Jurisdiction) | {j: urged.code, measure: u.measure}] AS urges
OPTIONAL CALL (e) {
    // include: designations
    WITH d.jurisdiction AS j, since, dated, basis, after ORDER BY since
    RETURN j, collect({since: since, dated: dated, basis: basis, after: after})[0] AS first
}
WITH c, e, urges, collect(CASE WHEN j IS NOT NULL THEN {j: j, since: first.since, dated: first.dated,
                                                          basis: first.basis, after: first.after} END) AS acted
UNWIND [u IN urges | u.j] + [a IN acted WHERE NOT a.j IN [u IN urges | u.j] | a.j] AS jurisdiction
WITH c, e, jurisdiction, head([u IN urges WHERE u.j = jurisdiction]) AS urged,
     head([a IN acted WHERE a.j = jurisdiction]) AS a
RETURN c.id AS call, c.date AS call_date, e.id AS id, e.name AS name, jurisdiction,
       urged IS NOT NULL AS urged, urged.measure AS measure, a.since AS designated_on,
       a.basis AS basis, a.after AS designated_after,
       // "After the call" and its days need the day itself; a bound says only so much.
       CASE WHEN a.dated OR a.after >= c.date THEN a.since > c.date
            WHEN a.since <= c.date THEN false END AS after_call,
       CASE WHEN a.dated THEN duration.inDays(c.date, a.since).days END AS days_after_call,
       coalesce(a.dated, false) AS dated, $date_basis AS date_basis
ORDER BY call, name, jurisdiction
