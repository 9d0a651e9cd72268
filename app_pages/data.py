"""Data: what the graph holds (each loaded source with its date, sha256 and counts) and
loading more: list files uploaded here, today's official lists, or the bundled data. A
load is all or nothing: one that fails leaves the graph as it was, and the files stay
here to try again. A load replaces the lists everyone using this graph reads, so the
buttons that load wait for a confirmation. In viewer mode (SANCT_APP_MODE=viewer, a
deployment investigators share) the page only shows what is loaded."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages.common import VIEWER_REFUSAL, forget_results, graph, viewer_mode
from graph import LoadError, background
from graph.client import LoadRefused
from graph.loading import DEMO
from graph.update import jurisdictions, sources, update, what_changed
from loaders import LOADERS

st.title("Data")
g = graph()
if viewer_mode():  # a shared deployment: said first
    st.info(VIEWER_REFUSAL, icon=":material/visibility:")
# Filled last, so that a load below shows in them in the same run.
summary, table = st.empty(), st.container()


def load(jobs: list[tuple[str, list[Path]]], what: str) -> None:
    """Run the loads one by one inside a status box that shows progress and each report."""
    with st.status(f"Loading {what}…", expanded=True) as box:
        try:
            for kind, paths in jobs:
                step = st.empty()
                report = g.load(
                    kind,
                    *paths,
                    progress=lambda stage, n, step=step, paths=paths: step.write(
                        f"{', '.join(p.name for p in paths)}: {stage} {n:,} records…"
                    ),
                )
                step.code(report.summary(), language=None)
        except (LoadError, LoadRefused) as e:
            box.update(label=f"Loading {what} failed; the graph is as it was.", state="error")
            st.error(str(e))
        else:
            box.update(label=f"Loaded {what}.", state="complete")
        finally:
            # Even a failed series may have loaded its first sources.
            forget_results()


def official_lists() -> None:
    """What `update` downloads, file by file, and what each list is (data/datasets.yaml)."""
    rows = [
        {
            "list": s.dataset.id,
            "covers": s.dataset.covers,
            "publisher": s.dataset.publisher,
            "jurisdiction": s.dataset.jurisdiction,
            "scope": s.dataset.scope,
            "format": s.kind,
            "file": file.name,
            "url": file.url,
        }
        for s in sources()
        for file in s.files
    ]
    text = st.column_config.TextColumn
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="official-lists",
        column_config={
            "list": text("list", width=115),
            "covers": text("covers", width=200),
            "publisher": text("publisher", width=160),
            "jurisdiction": text("jurisdiction", width=70),
            "scope": text("scope", width=60),
            "format": text("format", width=110),
            "file": text("file", width=150),
            "url": st.column_config.LinkColumn("url", width=300),
        },
    )


def loading_controls() -> None:
    """Uploads, the official lists and the bundled data, each behind the confirmation."""
    st.subheader("Load or update the lists")
    confirmed = st.checkbox(
        "I understand this replaces the current lists",
        key="confirm-load",
        help="A newer version of a list replaces the older one for everyone who uses this graph: "
        "what left the list is marked delisted (never deleted), and every page's answers change.",
    )
    if not confirmed:
        st.caption("Tick the box above to load: the buttons below wait for it.")

    st.subheader("Load list files")
    uploads = st.file_uploader(
        "The files of one list (one file for most formats)", accept_multiple_files=True, key="uploads"
    )
    kind = st.selectbox(
        "Format",
        ["auto", *LOADERS],
        key="kind",
        help="auto recognises the format from the file; name it if that fails",
    )
    if st.button(
        "Load",
        type="primary",
        disabled=not (uploads and confirmed),
        icon=":material/upload:",
        key="load-files",
    ):
        with tempfile.TemporaryDirectory(prefix="sanctions-upload-") as folder:
            paths = []
            for upload in uploads:
                path = Path(folder) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                paths.append(path)
            load([(kind, paths)], ", ".join(p.name for p in paths))

    st.subheader("Update from the official lists")
    st.caption(
        "Downloads today's files from each list's official URL, then loads them one by "
        "one: a list that fails to download or to load keeps its previous state."
    )
    with st.expander("The official lists and their URLs"):
        official_lists()
    only = st.multiselect(
        "Lists of", jurisdictions(), key="only", placeholder="every jurisdiction", format_func=str.upper
    )
    if st.button(
        "Download and load", icon=":material/cloud_download:", disabled=not confirmed, key="load-update"
    ):
        with st.status("Updating…", expanded=True) as box:
            outcomes = update(g, only, progress=st.write)
            forget_results()
            for outcome in outcomes:
                (st.code if outcome.ok else st.error)(outcome.summary())
            st.write("What changed, per state:")
            st.code("\n".join(state.summary() for state in what_changed(g, outcomes)), language=None)
            failed = [o.source for o in outcomes if not o.ok]
            box.update(
                label=f"Not updated: {', '.join(failed)}" if failed else "Updated.",
                state="error" if failed else "complete",
            )

    st.subheader("Bundled data")
    st.caption(
        "The real list files and the curated Xinjiang case in data/, what `make run` "
        "loads: " + ", ".join(p.name for _, paths in DEMO for p in paths) + "."
    )
    if st.button(
        "Load the bundled data", icon=":material/inventory:", disabled=not confirmed, key="load-bundled"
    ):
        load(DEMO, "the bundled data")


if not viewer_mode():  # viewer mode: no control that loads (and the client refuses loads)
    loading_controls()

behind = background.progress(g.settings)
if behind:
    with table:
        st.subheader(
            "The bundled data, loading behind the app"
            if behind.running
            else "The last load of the bundled data"
        )
        st.progress(behind.done / max(behind.total, 1), text=behind.describe())
        for report in behind.reports:
            st.code(report, language=None)

status = g.status()
summary.caption(
    f"Neo4j {status['version']} {status['edition']}: {status['entities']:,} entities, "
    f"{status['nodes']:,} nodes, {status['relationships']:,} relationships."
)
with table:
    st.subheader("Loaded sources")
    sources = g.sources()
    if sources.empty:
        st.info(
            "Nothing is loaded yet."
            + ("" if viewer_mode() else " Load the bundled data or a list file below.")
        )
    else:
        # Two tables that fit 1280 px (names wrap): what each list's current version holds,
        # then every version (a replayed history has hundreds) with where its file came
        # from and its whole sha256.
        text, number = st.column_config.TextColumn, st.column_config.NumberColumn
        current = sources[sources.current.fillna(False).astype(bool)]
        st.dataframe(
            current[
                ["dataset", "name", "published_on", "current", "records", "designations", "delisted", "url"]
            ],
            hide_index=True,
            key="sources",
            row_height=70,
            placeholder="",
            # One row per list: all in view (a scrolled table hides the last ones).
            height=40 + 70 * min(len(current), 30),
            column_config={
                "dataset": text("dataset", width=115),
                "name": text("name", width=165),
                "published_on": st.column_config.DateColumn("list date", format="YYYY-MM-DD", width=85),
                "current": st.column_config.CheckboxColumn(
                    "current", help="the newest version of its list", width=55
                ),
                "records": number("records", width=65),
                "designations": number("designations", width=90),
                "delisted": number("delisted", width=60),
                "url": st.column_config.LinkColumn(
                    "url", display_text=r"https?://(?:www\.)?([^/]+)", width=150
                ),
            },
        )
        with st.expander(f"Every version ({len(sources):,}): its list date, when it was loaded, its sha256"):
            st.dataframe(
                sources[["dataset", "published_on", "current", "records", "loaded_at", "sha256"]],
                hide_index=True,
                key="files",
                column_config={
                    "dataset": text("dataset", width=120),
                    "published_on": st.column_config.DateColumn("list date", format="YYYY-MM-DD", width=85),
                    "current": st.column_config.CheckboxColumn("current", width=55),
                    "records": number("records", width=65),
                    "loaded_at": st.column_config.DatetimeColumn(
                        "loaded", format="YYYY-MM-DD HH:mm", width=135
                    ),
                    "sha256": text("sha256", width=510),
                },
            )
