// name: gap_matrix
// description: For each target, the first date each jurisdiction designated it (one row per target and jurisdiction; the client's gap_matrix() pivots it to one column per jurisdiction)
// include: first_designations
RETURN e.id AS id, e.name AS name, e.kind AS kind, countries, j AS jurisdiction,
       first AS designated_on, dated, basis, after AS designated_after, programs, delisted_on,
       delisted_after, $date_basis AS date_basis
ORDER BY name, id, jurisdiction
