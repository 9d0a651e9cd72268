// name: closed_gaps
// description: Gaps closed on or after a day: each jurisdiction whose first designation of a target (in the selection) is on or after the day while another had designated it before, with the lag from the first one's date: `days` when both days are known exactly (listed or announced), else the range the bounds allow (`days_min`, `days_max`; either may be open), else empty
// param since: date                         -- first designations on or after this day; one first seen between two versions counts when the newer is on or after it
// include: first_designations
WITH e, countries,
     collect({j: j, first: first, basis: basis, after: after, dated: dated, programs: programs}) AS firsts
UNWIND firsts AS f
WITH e, countries, firsts, f
WHERE f.basis IN ['listed', 'announced', 'first_seen'] AND f.first >= $since
// Who had designated it before: the first of them is the one followed.
WITH e, countries, f, [x IN firsts WHERE x.j <> f.j AND x.first < f.first] AS before
WHERE size(before) > 0
WITH e, countries, f, before,
     reduce(lead = null, x IN before | CASE WHEN lead IS NULL OR x.first < lead.first THEN x ELSE lead END) AS lead
// Each date as the days it may be: [earliest, latest]. First seen: on the day of the
// version before at the earliest (a list changes after that day's download as well as
// before the next) and by the version of its date; on or before: no earliest.
WITH e, countries, f, before, lead,
     CASE WHEN f.basis = 'first_seen' AND f.after IS NOT NULL THEN f.after ELSE f.first END AS f_lo,
     f.first AS f_hi,
     CASE WHEN lead.dated THEN lead.first
          WHEN lead.basis = 'first_seen' AND lead.after IS NOT NULL THEN lead.after
          END AS lead_lo,
     lead.first AS lead_hi
RETURN e.id AS id, e.name AS name, e.kind AS target_kind, countries, f.j AS jurisdiction,
       f.first AS date, f.basis AS basis, f.after AS after, f.programs AS programs,
       lead.j AS followed, lead.first AS followed_date, lead.basis AS followed_basis,
       lead.after AS followed_after, [x IN before | x.j] AS designated_before,
       CASE WHEN f.dated AND lead.dated THEN duration.inDays(lead.first, f.first).days END AS days,
       duration.inDays(lead_hi, f_lo).days AS days_min,
       CASE WHEN lead_lo IS NOT NULL THEN duration.inDays(lead_lo, f_hi).days END AS days_max,
       $date_basis AS date_basis
ORDER BY date DESC, name, id, jurisdiction
