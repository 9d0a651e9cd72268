// name: changes
// description: What changed in the lists since a day, one row per change: a target added, removed, moved between schedules (a renumbering, not a delisting) or amended (names a version no longer lists), with its date and what the date is (`basis`: listed or announced, the day itself; first_seen, seen in the version of `date` and absent from the one of `after`, so between the two; on_or_before, a bound), the jurisdiction, programs, target and list record
// param since: date                         -- changes on or after this day; one known only as between two versions counts when the newer is on or after it
// param kinds: list[str] | None = None      -- added, removed, moved, amended (default: all)
// include: target_designations
// A designation's own date (`since`, by `basis`, from the fragment) says when it was
// added; the delisting date when it was removed; moves, relistings, removals that a
// relisting ended and amendments are read from the day-stamped history lines
// graph/store.py writes ("2025-09-22 moved to russia-p2-74"), each between the version
// of that day and the one before it. Stamps of undated versions ("… (load of an undated
// version)") date nothing and are left out.
WITH e, d, p, stated, since, basis, after
CALL (e, d, p, stated, since, basis, after) {
    // Added on its date. One that moved here from another schedule is the move.
    WITH * WHERE basis IN ['listed', 'announced', 'first_seen'] AND since >= $since
                 AND d.moved_from IS NULL
    RETURN 'added' AS change, since AS day, basis AS day_basis, after AS day_after, d AS at,
           null AS detail
  UNION ALL
    // New to the list in a version on or after the day, though the list dates it before
    // the version before, which did not hold it: listed late, or dated back.
    WITH * WHERE stated IS NOT NULL AND stated < $since AND d.seen_basis = 'first_seen'
                 AND d.first_seen >= $since AND stated <= d.first_seen_after
                 AND d.moved_from IS NULL
    RETURN 'added' AS change, d.first_seen AS day, 'first_seen' AS day_basis,
           d.first_seen_after AS day_after, d AS at,
           'new to the list; it dates the listing ' + toString(stated) AS detail
  UNION ALL
    // Removed: the end date the list states, or missing from a newer version.
    WITH * WHERE d.status = 'inactive' AND d.delisted_on >= $since
    RETURN 'removed' AS change, d.delisted_on AS day,
           CASE WHEN d.delisted_by = 'end date' THEN 'listed'
                WHEN d.delisted_after IS NOT NULL THEN 'first_seen'
                ELSE 'on_or_before' END AS day_basis,
           CASE WHEN d.delisted_by = 'end date' THEN null ELSE d.delisted_after END AS day_after,
           d AS at,
           CASE WHEN d.delisted_by = 'end date' THEN 'the list states the end date'
                WHEN d.possibly_moved_to IS NOT NULL
                THEN 'no longer listed; may have become ' + d.possibly_moved_to
                ELSE 'no longer listed' END AS detail
  UNION ALL
    // Moved to another record id, listed again after a removal, or a removal that a
    // relisting ended (the removal in force is the one above): the history says when.
    // (Positions, not patterns: a regular expression per line costs ~50 µs.)
    WITH * WHERE size(d.history) > 1
    UNWIND d.history AS line
    WITH * WHERE substring(line, 10, 10) = ' moved to ' OR substring(line, 10) IN [' relisted', ' no longer listed']
    WITH *, date(left(line, 10)) AS day WHERE day >= $since
      AND NOT (substring(line, 10) = ' no longer listed' AND d.status = 'inactive' AND day = d.delisted_on)
    OPTIONAL MATCH (m:Designation {id: d.moved_to}) WHERE substring(line, 10, 10) = ' moved to '
    CALL (d, day) {
        OPTIONAL MATCH (s:Source {dataset: d.dataset})
        WHERE coalesce(s.published_on, date(s.downloaded_at)) < day
        RETURN max(coalesce(s.published_on, date(s.downloaded_at))) AS prior
    }
    RETURN CASE substring(line, 10) WHEN ' relisted' THEN 'added' WHEN ' no longer listed' THEN 'removed'
                ELSE 'moved' END AS change, day,
           CASE WHEN prior IS NULL THEN 'on_or_before' ELSE 'first_seen' END AS day_basis,
           prior AS day_after, coalesce(m, d) AS at,
           CASE substring(line, 10) WHEN ' relisted' THEN 'listed again'
                WHEN ' no longer listed' THEN 'no longer listed; listed again later'
                ELSE 'moved from ' + d.record_id + ' to ' + coalesce(m.record_id, substring(line, 20)) END AS detail
  UNION ALL
    // Amended: names the record had that a newer version no longer lists.
    MATCH (r:Record {key: d.record_key}) WHERE size(r.history) > 1
    UNWIND r.history AS line
    WITH * WHERE substring(line, 10, 25) = ' names no longer listed: '
    WITH *, date(left(line, 10)) AS day WHERE day >= $since
    CALL (d, day) {
        OPTIONAL MATCH (s:Source {dataset: d.dataset})
        WHERE coalesce(s.published_on, date(s.downloaded_at)) < day
        RETURN max(coalesce(s.published_on, date(s.downloaded_at))) AS prior
    }
    RETURN 'amended' AS change, day,
           CASE WHEN prior IS NULL THEN 'on_or_before' ELSE 'first_seen' END AS day_basis,
           prior AS day_after, d AS at, substring(line, 11) AS detail
}
WITH * WHERE $kinds IS NULL OR change IN [k IN $kinds | toLower(k)]
// One row per change of one list record: a record listed under two programs at once is
// one addition, under both, named in the programs' order (`change_id` is the feed's
// entry id: the same change must keep it whatever order the graph holds them in).
WITH * ORDER BY p.id
WITH e, change, day, day_basis, day_after, detail, at.jurisdiction AS jurisdiction,
     at.record_key AS record_key, at.record_id AS record_id, at.dataset AS dataset,
     collect(DISTINCT p.id) AS programs, head(collect(at)) AS at
// Its version: the one that last held it, else its list's current one (model.yaml).
OPTIONAL MATCH (at)-[:RECORDED_IN]->(held:Source)
OPTIONAL MATCH (listing:Source {dataset: at.dataset, current: true}) WHERE held IS NULL
WITH *, coalesce(held, listing) AS s
WITH *, reduce(text = '', id IN programs | text + CASE text WHEN '' THEN '' ELSE ', ' END + id) AS program
RETURN change + ' ' + record_key + ' ' + program + ' ' + toString(day) AS change_id,
       day AS date, day_basis AS basis, day_after AS after, change AS kind, jurisdiction,
       program, e.id AS id, e.name AS name, e.kind AS target_kind, record_id, record_key,
       dataset, detail, coalesce(at.source_url, s.url) AS source_url, $date_basis AS date_basis
ORDER BY date DESC, jurisdiction, kind, name, record_key
