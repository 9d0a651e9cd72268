// Fragment: one row per selected target `e` and jurisdiction `j` that designated it:
// `first` (the date of its first designation the filters keep), `dated`, `programs`, and
// `delisted_on` (the last end date, when every one of those designations has ended).
// include: target_designations
WITH e, countries, d.jurisdiction AS j, d, p, since, dated ORDER BY since, dated DESC, p.id
WITH e, countries, j,
     collect({since: since, dated: dated, program: p.id, delisted_on: d.delisted_on}) AS ds
WITH e, countries, j, ds[0].since AS first, ds[0].dated AS dated,
     reduce(ps = [], x IN ds | CASE WHEN x.program IN ps THEN ps ELSE ps + x.program END) AS programs,
     CASE WHEN all(x IN ds WHERE x.delisted_on IS NOT NULL)
          THEN reduce(m = null, x IN ds | CASE WHEN m IS NULL OR x.delisted_on > m
                                               THEN x.delisted_on ELSE m END) END AS delisted_on
