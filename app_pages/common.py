"""What every page shares: the client and its cached reads, links between pages, and the
notices for a database that is away or still empty. Pages hold widgets and calls to
these; the Cypher stays in the client."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

import pandas as pd
import pycountry
import streamlit as st
from pandas.io.formats.style import Styler

from graph import GraphUnavailable, SanctionsGraph, background, settings
from graph.client import CONFIDENT_SCORE
from graph.exc import GraphRefused, InvalidInput
from graph.model import model
from graph.wording import counted

#: Query results are reused this long; a load through the Data page clears them at once.
RESULT_TTL = "10m"

SEARCH_PAGE = "app_pages/search.py"
ENTITY_PAGE = "app_pages/entity.py"
NETWORK_PAGE = "app_pages/network.py"
GAPS_PAGE = "app_pages/gaps.py"
DATA_PAGE = "app_pages/data.py"
#: The search page's box, as the browser tests and bench/app_pages.py find it.
SEARCH_BOX = "Name, acronym, alias, list record id or reference"


def _secrets_table() -> dict:
    try:
        return dict(st.secrets.get("neo4j", {}))
    except FileNotFoundError:  # no .streamlit/secrets.toml: the environment decides
        return {}


def app_settings() -> settings.Settings:
    """The environment, then .streamlit/secrets.toml's [neo4j] table."""
    return settings.load_with(_secrets_table())


@st.cache_resource(show_spinner="Connecting to Neo4j…", on_release=SanctionsGraph.close)
def graph() -> SanctionsGraph:
    """The one client of this process. It never starts a database server itself (a page
    would hang for minutes); when none answers, the notice says how to start one."""
    g = SanctionsGraph.connect(app_settings(), start=False)
    if g.settings.viewer:
        g.refuse_loads = VIEWER_REFUSAL
    return g


#: What the app says, and its client raises, when a load is attempted in viewer mode.
VIEWER_REFUSAL = (
    "This app runs in viewer mode (SANCT_APP_MODE=viewer): it does not load "
    "lists. Whoever runs it loads them from the command line (`python -m graph "
    "load …` or `update`)."
)


def viewer_mode() -> bool:
    """SANCT_APP_MODE=viewer: a deployment investigators share; no page loads lists."""
    return app_settings().viewer


@st.cache_data(ttl=RESULT_TTL, max_entries=2000, show_spinner=False)
def _read(method: str, *args, **kwargs):
    return getattr(graph(), method)(*args, **kwargs)


class _CachedReads:
    """`cached.search("chen")` is `graph().search("chen")`, remembered for RESULT_TTL."""

    def __getattr__(self, method: str):
        return functools.partial(_read, method)


cached = _CachedReads()


def forget_results() -> None:
    """After a load every remembered answer may be stale."""
    _read.clear()


def show_unavailable(error: GraphUnavailable) -> None:
    """Neo4j is away: say so and how to start it. The client is dropped, so the next run
    (the button, or any click) connects afresh and the app recovers by itself."""
    graph.clear()
    load = background.progress(app_settings())
    if load and load.running and load.current == background.STARTING:
        # `make run` opened the app first and starts Neo4j behind it: wait, not an error.
        st.info(
            "Neo4j is starting (`make run` started it a moment ago); this page opens by "
            "itself when it answers.",
            icon=":material/hourglass_top:",
        )
        time.sleep(2)
        st.rerun()
    st.error(f"**Neo4j is not reachable.** {error}", icon=":material/cloud_off:")
    st.markdown(
        "- The local server: `python -m graph server start` (or `make run`, which also "
        "loads the bundled data).\n"
        "- Another Neo4j 5: set `NEO4J_URI`, `NEO4J_USER`, `NEO4J_PASSWORD` in the "
        "environment or in `.streamlit/secrets.toml` (see `secrets.toml.example`)."
    )
    st.button("Try again", icon=":material/refresh:", key="retry-connection")


def notice_if_empty() -> bool:
    """Say so when nothing is loaded yet; True if so."""
    if graph().status()["entities"]:
        return False
    load = background.progress(app_settings())
    if not (load and load.running):
        st.info(
            "The graph holds no data yet: "
            + (
                "whoever runs this app loads the lists from the command line."
                if viewer_mode()
                else "load the bundled lists or a list file first."
            ),
            icon=":material/database:",
        )
    st.page_link(DATA_PAGE, label="Open the Data page", icon=":material/upload:")
    return True


@st.fragment(run_every="3s")
def loading_progress() -> None:
    """While `make run` loads the bundled data behind the app: how far it is, on every
    page, refreshed every few seconds. When a source is done, answers remembered before
    it are dropped and the page runs again with the new data."""
    load = background.progress(app_settings())
    if load is None or not (load.running or load.stopped or load.error):
        return
    (st.info if load.running else st.warning)(load.describe(), icon=":material/hourglass_top:")
    seen = st.session_state.setdefault("loading.done", load.done)
    if load.done != seen:
        st.session_state["loading.done"] = load.done
        forget_results()
        st.rerun(scope="app")


def open_entity(entity_id: str, **params: str) -> None:
    st.switch_page(ENTITY_PAGE, query_params={"id": entity_id, **params})


def entity_table(frame: pd.DataFrame | Styler, key: str, **dataframe_args) -> None:
    """`frame` (with an `id` column, hidden) as a table in which a click on a row opens
    that entity's profile. A Styler keeps its colours."""
    rows = frame.data if isinstance(frame, Styler) else frame
    column_config = {"id": None, **dataframe_args.pop("column_config", {})}
    event = st.dataframe(
        frame,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config=column_config,
        **dataframe_args,
    )
    if event.selection.rows:
        open_entity(rows.iloc[event.selection.rows[0]]["id"])


def confident_match(results: pd.DataFrame) -> str | None:
    """The id of the entity search results mean, or None: the best match, when it scores
    CONFIDENT_SCORE or more and no other scores as much. Below it (or tied) the matches
    are for the user to choose among."""
    if results.empty or results.score[0] < CONFIDENT_SCORE:
        return None
    if len(results) > 1 and results.score[1] >= results.score[0]:
        return None
    return results.id[0]


def entity_picker(label: str, param: str, default: str | None = None) -> str | None:
    """A box for a name, an alias or a record id; the entity it confidently means
    (`confident_match`) is kept in the URL as `?param=`, so a shared link shows the same
    entity (else `default`)."""
    box = f"{param}.text"

    def choose() -> None:
        hits = cached.search(st.session_state[box], limit=2)
        if (found := confident_match(hits)) is None:
            nearest = (hits.name[0], hits.score[0]) if not hits.empty else None
            st.session_state[f"{param}.missed"] = (st.session_state[box], nearest)
        else:
            st.query_params[param] = found

    st.text_input(label, key=box, on_change=choose, placeholder="name, alias or list record id")
    missed = st.session_state.pop(f"{param}.missed", None)
    if missed:
        text, nearest = missed
        st.warning(
            f"No entity matches “{text}”."
            if nearest is None
            else f"No entity matches “{text}” closely enough to choose it (the nearest, "
            f"{nearest[0]}, scores {nearest[1]:.2f}): try the full name, or choose "
            "among the matches on the Search page."
        )
    chosen = st.query_params.get(param, default)
    entity = cached.entity(chosen) if chosen else None
    if chosen and entity is None:
        st.warning(f"No entity has the id “{chosen}”.")
        return None
    if entity:
        st.caption(f"{entity['name']} · {entity.get('kind') or 'Entity'} · `{entity['id']}`")
    return entity and entity["id"]


def join_lists(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """List columns as "a, b" text, for tables and CSV files."""
    return frame.assign(
        **{
            # A record stores no empty list (graph/model.yaml): missing is none.
            c: frame[c].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list) else "" if pd.isna(v) else v
            )
            for c in columns
            if c in frame
        }
    )


def case_list_filter(container=st) -> str | None:
    """A box to choose a case list (kept in the URL as ?case=…, so a shared link restores
    it); the chosen list's id, or None."""
    pending = st.session_state.pop("case.pending", None)  # a list saved in the last run
    if pending:
        st.session_state["case"] = pending
    lists = cached.case_lists()
    names = dict(zip(lists.id, lists.name))
    chosen = st.query_params.get("case")
    if chosen and chosen not in names:  # a link to a list this graph lacks: say so, keep it
        names[chosen] = f"{chosen} (no such case list)"
    # Shown by id (a slug of its name): a bound box keeps what it shows in the URL.
    return container.selectbox(
        "Case list",
        list(names),
        index=None,
        key="case",
        bind="query-params",
        placeholder="any",
        help="only the targets of a named set (made from the gap matrix's "
        "rows, a search or a file, or with `python -m graph case`): "
        + "; ".join(f"{c}: {n}" for c, n in names.items()),
    )


def date_basis_control(container=st) -> str:
    """Which date a designation counts by (kept in the URL as ?dates=…): "announced" or
    "listed" (graph/dates.py)."""
    return (
        container.segmented_control(
            "Dates",
            ["announced", "listed"],
            default="announced",
            key="dates",
            bind="query-params",
            help="announced: the announcement's date where known, else the list's; listed: the "
            "list's date where it gives one, else the announcement's",
        )
        or "announced"
    )


#: ISO 3166 alpha-2 code → country name, for the target-country control and its labels.
COUNTRIES = {c.alpha_2: c.name for c in pycountry.countries}


def country_label(code: str) -> str:
    return f"{COUNTRIES[code]} ({code})"


def country_control(container=st) -> str | None:
    """The target country a page is narrowed to (kept in the URL as ?country=…), or None."""
    return container.selectbox(
        "Target country",
        list(COUNTRIES),
        index=None,
        key="country",
        bind="query-params",
        placeholder="any",
        format_func=country_label,
    )


#: "Any family": an option of its own, not None, so that a shared link (?family=any)
#: brings it back. Short names keep shared links short (?family=human+rights); the help
#: has the long ones.
ANY = "any"


def family_control(container=st, default: str = ANY) -> str | None:
    """The program family a page is narrowed to (kept in the URL as ?family=…), or None."""
    families = model().families
    choices = [ANY, *families]
    family = container.selectbox(
        "Program family",
        choices,
        index=choices.index(default),
        key="family",
        bind="query-params",
        format_func=lambda f: f.replace("_", " "),
        help="; ".join(f"{f.replace('_', ' ')}: {label}" for f, label in families.items()),
    )
    return None if family == ANY else family


def program_control(container, family: str | None, help: str | None = None) -> str | None:
    """The program a page is narrowed to (?program=…), of those of `family`, or None."""
    programs = [p.id for p in model().programs.values() if family in (None, p.family)]
    return container.selectbox(
        "Program", programs, index=None, key="program", bind="query-params", placeholder="any", help=help
    )


@st.fragment
def save_case_list(targets: pd.DataFrame, key: str, made_from: str, then: Callable[[dict], object]) -> None:
    """An expander that saves `targets` (id, name), or the ones chosen, or the targets a
    file names, as a case list in the graph; `then(saved)` runs once a list is saved.

    A fragment: choosing targets or a file and typing a name rerun the expander alone,
    not the page around it (the gap matrix of every family took 6 s a rerun)."""
    import tempfile
    from pathlib import Path

    names = dict(zip(targets.id, targets.name))
    with st.expander(
        f"Save as a case list ({counted(len(names), 'target')} here)", icon=":material/playlist_add:"
    ):
        picked = st.multiselect(
            "Targets",
            list(names),
            default=list(names) if len(names) <= 50 else [],
            format_func=lambda i: names.get(i, i),
            key=f"{key}.targets",
            placeholder="choose targets",
            help="all of them when there are 50 or fewer",
        )
        upload = st.file_uploader(
            "or a file: one entity id, list record key or name a line", type=["txt", "csv"], key=f"{key}.file"
        )
        name = st.text_input("Name", key=f"{key}.name", placeholder="e.g. Xinjiang 2020 letter", max_chars=80)
        add = st.checkbox("Add to the list of that name instead of replacing it", key=f"{key}.add")
        if not st.button(
            "Save case list",
            key=f"{key}.save",
            icon=":material/save:",
            disabled=not (name.strip() and (picked or upload)),
        ):
            return
        try:
            with tempfile.TemporaryDirectory(prefix="sanctions-case-") as folder:
                path = None
                if upload:
                    path = Path(folder) / Path(upload.name).name
                    path.write_bytes(upload.getvalue())
                saved = graph().case_list(
                    name,
                    picked,
                    file=path,
                    replace=not add,
                    made_from=f"file {upload.name}" if upload and not picked else made_from,
                )
        except (InvalidInput, GraphRefused) as e:  # a name no entity has, a file too long, …
            st.error(str(e))
            return
        forget_results()
        st.success(f"Saved the case list “{saved['name']}” ({counted(len(saved['targets']), 'target')}).")
        then(saved)
