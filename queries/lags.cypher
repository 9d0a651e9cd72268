// name: lags
// description: Days from the base jurisdiction's first designation of each target to each other jurisdiction's (negative: the other acted first; empty when either date is a bound, not a stated day). With `others` given, every pair is listed (empty: never designated); by default only the pairs where the other designated the target
// absence: follow_date
// include: lag_pairs
WITH * WHERE $others IS NOT NULL OR follow_date IS NOT NULL
RETURN e.id AS target, e.name AS name, from, to, base_date, follow_date,
       // A lag counts only between two days known exactly: a bound (first seen between
       // two versions, on or before the oldest) would give a number that is not true.
       CASE WHEN base_dated AND follow_dated THEN duration.inDays(base_date, follow_date).days END AS days,
       base_dated AND coalesce(follow_dated, true) AS dated, base_basis, follow_basis,
       $date_basis AS date_basis
ORDER BY from, to, base_date, name, target
