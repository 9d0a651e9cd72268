// Fragment: the date designation `d` counts from on the chosen basis ($date_basis), for the
// saved queries (_designations.cypher) and the client's designations() alike: `since`;
// `basis`, what that date is: 'listed' (the list states it), 'announced' (an announcement
// or change log), 'first_seen' (it appeared between two dated versions of the list: after
// `after`, by `since`), 'on_or_before' (already in the oldest version seen, or a bound the
// list states) or 'unknown' (an undated version: `since` is null); and `dated`: the day
// itself is known (listed or announced), the only dates lags and coordinated actions
// count. Given $as_of, `in_force` says whether it was in force that day: true, false
// (designated after it, or ended by it: those are left out) or null, not known, where the
// dates are bounds around it (listed on or before a later day; first seen between two
// versions either side of it; no longer listed between two such versions) or unknown.
// include: filters
WITH *, CASE $date_basis WHEN 'listed' THEN coalesce(d.listed_on, d.announced_on)
                         ELSE coalesce(d.announced_on, d.listed_on) END AS stated
WITH *, coalesce(stated, d.first_seen) AS since, stated IS NOT NULL AS dated,
     CASE WHEN stated IS NULL THEN coalesce(d.seen_basis, 'unknown')
          WHEN stated = d.announced_on AND ($date_basis <> 'listed' OR d.listed_on IS NULL)
          THEN 'announced' ELSE 'listed' END AS basis,
     CASE WHEN stated IS NULL THEN d.first_seen_after END AS after
WITH *, CASE WHEN $as_of IS NULL THEN true
             WHEN (dated AND since > $as_of) OR after >= $as_of OR d.delisted_on <= $as_of THEN false
             WHEN since IS NULL OR since > $as_of OR d.delisted_after < $as_of THEN null
             ELSE true END AS in_force
WHERE in_force IS NULL OR in_force
