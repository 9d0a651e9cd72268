// name: gap_matrix
// description: For each target, the first date each jurisdiction designated it (one row per target and jurisdiction; the client's gap_matrix() pivots it to one column per jurisdiction)
// include: first_designations
// The first designation's record id and source: its announcement, else the URL it was
// recorded from, else its list's (as designations() and the briefing cite it).
CALL (first_designation) {
    OPTIONAL MATCH (first_designation)-[:ANNOUNCED_IN]->(n:Announcement)
    WITH n ORDER BY n.date LIMIT 1
    // Its version: the one that last held it, else its list's current one (model.yaml).
    OPTIONAL MATCH (first_designation)-[:RECORDED_IN]->(held:Source)
    OPTIONAL MATCH (listing:Source {dataset: first_designation.dataset, current: true}) WHERE held IS NULL
    RETURN coalesce(n.url, first_designation.source_url, held.url, listing.url) AS source_url
}
RETURN e.id AS id, e.name AS name, e.kind AS kind, countries, j AS jurisdiction,
       first AS designated_on, dated, basis, after AS designated_after, programs, delisted_on,
       delisted_after, first_designation.record_id AS record_id, first_designation.dataset AS dataset,
       source_url, $date_basis AS date_basis
ORDER BY name, id, jurisdiction
