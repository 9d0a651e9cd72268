// name: coordinated_actions
// description: Designations of the same targets by several jurisdictions within a window of days, one row per action: a target counts when enough jurisdictions designated it within the window, and an action gathers the targets whose designations start within the window after its first day
// param window_days: int[0..365] = 0          -- how many days after its first a designation still belongs to the same action
// param min_jurisdictions: int[2..50] = 2     -- how many jurisdictions must have designated a target within the window
// param from_date: date | None = None         -- only designations on or after this day
// param to_date: date | None = None           -- only designations on or before this day
// include: targets
// include: designations
WITH * WHERE dated AND ($from_date IS NULL OR since >= $from_date)
             AND ($to_date IS NULL OR since <= $to_date)
WITH DISTINCT e, d.jurisdiction AS j, since
ORDER BY since, j
WITH e, collect({j: j, day: since}) AS events
// Each target's designations in date order, grouped: a group takes every designation
// within the window after its first.
WITH e, reduce(groups = [], x IN events |
         CASE WHEN size(groups) > 0 AND x.day <= last(groups)[0].day + duration({days: $window_days})
              THEN groups[..-1] + [last(groups) + x] ELSE groups + [[x]] END) AS groups
UNWIND groups AS g
WITH e, g, reduce(js = [], x IN g | CASE WHEN x.j IN js THEN js ELSE js + x.j END) AS js
WHERE size(js) >= $min_jurisdictions
WITH e, g[0].day AS start, last(g).day AS end, js, g AS acts
ORDER BY start
WITH collect({id: e.id, name: e.name, start: start, end: end, jurisdictions: js, acts: acts}) AS groups
// Actions the same way across targets: each starts at the first group not yet taken.
WITH groups, reduce(starts = [], g IN groups |
         CASE WHEN size(starts) > 0 AND g.start <= last(starts) + duration({days: $window_days})
              THEN starts ELSE starts + g.start END) AS starts
UNWIND starts AS start
WITH start, [g IN groups WHERE start <= g.start <= start + duration({days: $window_days})] AS members
CALL (members) {
    UNWIND members AS m
    UNWIND m.jurisdictions AS j
    WITH DISTINCT j ORDER BY j
    RETURN collect(j) AS jurisdictions
}
CALL (members) {
    UNWIND members AS m
    WITH m ORDER BY m.name
    RETURN collect(m) AS targets, max(m.end) AS end
}
// Who acted on whom: per jurisdiction, the targets it designated within the action (a
// target's earlier designations by others are not part of it).
CALL (members) {
    UNWIND members AS m
    UNWIND m.acts AS act
    WITH act.j AS j, m.name AS name ORDER BY j, name
    WITH j, collect(DISTINCT name) AS names
    RETURN collect(j + ': ' + reduce(s = '', n IN names | s + CASE s WHEN '' THEN '' ELSE '; ' END + n)) AS acted
}
RETURN start, end, jurisdictions, size(jurisdictions) AS n_jurisdictions,
       size(targets) AS n_targets, [t IN targets | t.name] AS names, [t IN targets | t.id] AS ids,
       acted, targets AS members, $date_basis AS date_basis
ORDER BY start
