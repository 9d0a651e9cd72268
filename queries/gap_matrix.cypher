// name: gap_matrix
// description: For each target, the first date each jurisdiction designated it (one row per target and jurisdiction; the client's gap_matrix() pivots it to one column per jurisdiction)
// include: first_designations
// The first designation's record id and source: its announcement, else the URL it was
// recorded from, else its version's: the one that last held it, else its list's current
// one (model.yaml; as designations() and the briefing cite it). coalesce looks each up
// only when those before it found nothing; a CALL of OPTIONAL MATCHes made every lookup
// for every row (the 12k rows of the human-rights family on the 1M-entity bench graph:
// 511 against 403 ms, the median of 22 runs each, in a shuffled order).
WITH *, coalesce(
    COLLECT { MATCH (first_designation)-[:ANNOUNCED_IN]->(n:Announcement)
              RETURN n.url ORDER BY n.date LIMIT 1 }[0],
    first_designation.source_url,
    coalesce(COLLECT { MATCH (first_designation)-[:RECORDED_IN]->(held:Source) RETURN held }[0],
             COLLECT { MATCH (listing:Source {dataset: first_designation.dataset, current: true})
                       RETURN listing }[0]).url) AS source_url
RETURN e.id AS id, e.name AS name, e.kind AS kind, countries, j AS jurisdiction,
       first AS designated_on, dated, basis, after AS designated_after, programs, delisted_on,
       delisted_after, delisted_by, first_designation.record_id AS record_id, first_designation.dataset AS dataset,
       source_url, $date_basis AS date_basis, in_force_unknown
ORDER BY name, id, jurisdiction
