// name: program_members
// description: The targets designated under one program, with the dates of that designation
// param program: str                          -- program id, e.g. US-GLOMAG, GB-GLOBAL-HUMAN-RIGHTS, CA-CHINA
// include: targets
// include: designations
WITH * WHERE p.id = $program
RETURN e.id AS id, e.name AS name, e.kind AS kind, countries, d.jurisdiction AS jurisdiction,
       d.record_id AS record_id, d.listed_on AS listed_on, d.announced_on AS announced_on,
       d.delisted_on AS delisted_on, d.delisted_after AS delisted_after, d.status AS status,
       since AS date, basis, after, dated,
       $date_basis AS date_basis
ORDER BY date, name
