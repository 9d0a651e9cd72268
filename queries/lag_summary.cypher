// name: lag_summary
// description: Per pair of jurisdictions: how many of the base's targets the other designated, how many days later (median, mean, range; dated designations only) and the share it never designated by the lists loaded, whatever their date (the client's lag_summary() counts apart, as not known, those whose list is older than the designation)
// absence: never_mirrored, share_never_mirrored
// include: lag_pairs
WITH from, to, follow_date,
     CASE WHEN base_dated AND follow_dated THEN duration.inDays(base_date, follow_date).days END AS lag
RETURN from, to, count(*) AS targets, count(follow_date) AS mirrored,
       count(*) - count(follow_date) AS never_mirrored,
       round(toFloat(count(*) - count(follow_date)) / count(*), 3) AS share_never_mirrored,
       count(lag) AS dated_lags, percentileCont(lag, 0.5) AS median_days,
       round(avg(lag), 1) AS mean_days, min(lag) AS min_days, max(lag) AS max_days,
       count(CASE WHEN lag < 0 THEN 1 END) AS other_first, count(CASE WHEN lag = 0 THEN 1 END) AS same_day,
       $date_basis AS date_basis
ORDER BY from, to
