// The filters the analysis queries share, declared once. A query that includes
// _targets or _designations takes the ones its Cypher uses.
// param family: str | None = None                 -- program family, e.g. human_rights (data/programs/families.yaml)
// param include_country_regimes: bool = False     -- with family: country regimes count too (Canada listed the 2021 Xinjiang targets under SEMA China)
// param program: str | None = None                -- program id, e.g. US-GLOMAG: its targets; their designations by its jurisdiction count only under it
// param jurisdictions: list[str] | None = None    -- jurisdiction codes, e.g. US,GB,CA,EU
// param country: str | None = None                -- ISO alpha-2 of the target's nationalities or countries, e.g. CN
// param kind: "Person" | "Organization" | "Vessel" | "Aircraft" | None = None
// param as_of: date | None = None                 -- only designations in force that day
// param date_basis: "announced" | "listed" = "announced"  -- announced: the announcement's date, else the list's; listed: the other way round
// param case: str | None = None                   -- a case list id, e.g. xinjiang-2020-letter (python -m graph case): only its targets
