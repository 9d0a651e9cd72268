"""Who mirrored the US Xinjiang designations, and when? A notebook in script form.

Run it against a loaded graph (`python -m graph load --demo` first):

    python examples/notebook.py

Each step is a cell: paste them into Jupyter as they are.
"""

from graph import SanctionsGraph

g = SanctionsGraph.connect()

# The gap matrix: one row per target in China under the human-rights (Magnitsky-style)
# programs, counting country regimes too (Canada listed the 2021 targets under SEMA
# China); one column per jurisdiction with the date it first designated the target.
matrix = g.gap_matrix(family="human_rights", include_country_regimes=True, country="CN",
                      jurisdictions=["US", "GB", "EU", "CA"])
xinjiang = matrix[matrix.name.str.contains("Quanguo|Hailun|XINJIANG", case=False)]
print(xinjiang[["name", "US", "GB", "EU", "CA"]].to_string(index=False))

# Lags: days from the US designation to each ally's (announcement dates; pass
# date_basis="listed" for the lists' own dates, which put Canada a day earlier).
lags = g.lags(base="US", others=["GB", "EU", "CA"], family="human_rights",
              include_country_regimes=True, country="CN")
for lag in lags[lags.days > 0].to_dict("records"):  # "from" is a Python keyword: use dicts
    print(f"{lag['name']}: {lag['from']} → {lag['to']} {lag['days']} days")
print(g.lag_summary(base="US", others=["GB", "EU", "CA"], family="human_rights",
                    include_country_regimes=True, country="CN")
      [["from", "to", "targets", "mirrored", "median_days", "share_never_mirrored"]])

# Coordinated actions: several jurisdictions designating the same targets on one day.
actions = g.coordinated_actions(family="human_rights", include_country_regimes=True)
for action in actions[actions.n_jurisdictions >= 3].itertuples():
    print(f"{action.start:%Y-%m-%d}: {', '.join(action.jurisdictions)} "
          f"({action.n_targets} targets: {'; '.join(action.names)})")

# How are two officials connected? A networkx graph of the shortest chains of links.
path = g.path(g.search("Chen Mingguo").id[0], g.search("Chen Quanguo").id[0])
for source, target, link in path.edges(data=True):
    print(f"{path.nodes[source]['name']} -{link['type']}-> {path.nodes[target]['name']}")

g.close()
