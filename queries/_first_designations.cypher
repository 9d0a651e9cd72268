// Fragment: one row per selected target `e` and jurisdiction `j` that designated it:
// `first` (the date of its first designation the filters keep) with its `basis`, `after`
// and `dated` (see _designations), `programs`, and `delisted_on` (the last end date, when
// every one of those designations has ended; `delisted_after`: the last version that
// still held it, when the end is known only as missing from a newer version; `delisted_by`
// "absence" or "end date"); `in_force_unknown`: given $as_of, whether none of them is
// known to have been in force that day (_dated's in_force);
// `first_designation`, the designation node the first date is of.
// include: target_designations
// Of designations on one day, a sanction names the cell before a measure of another kind
// (the State Department's visa ban of Chen Quanguo, the day OFAC listed him) or one not
// yet classified (data/programs/families.yaml).
WITH e, countries, d.jurisdiction AS j, d, p, since, dated, basis, after, in_force
     ORDER BY since, dated DESC, p.family IN ['other_measures', 'unclassified'], p.id
WITH e, countries, j,
     collect({since: since, dated: dated, basis: basis, after: after, program: p.id,
              delisted_on: d.delisted_on, delisted_after: d.delisted_after, delisted_by: d.delisted_by,
              d: d, in_force: in_force}) AS ds
WITH e, countries, j, ds[0].since AS first, ds[0].dated AS dated, ds[0].basis AS basis,
     ds[0].after AS after, ds[0].d AS first_designation,
     all(x IN ds WHERE x.in_force IS NULL) AS in_force_unknown,
     reduce(ps = [], x IN ds | CASE WHEN x.program IN ps THEN ps ELSE ps + x.program END) AS programs,
     CASE WHEN all(x IN ds WHERE x.delisted_on IS NOT NULL)
          THEN reduce(m = null, x IN ds | CASE WHEN m IS NULL OR x.delisted_on > m.delisted_on
                                               THEN x ELSE m END) END AS last_delisting
WITH *, last_delisting.delisted_on AS delisted_on, last_delisting.delisted_after AS delisted_after,
     last_delisting.delisted_by AS delisted_by
