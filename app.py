"""Streamlit entry point: `streamlit run app.py`. A router over app_pages/, and the one place
that says plainly when Neo4j is away or refuses: any page's call may find it so."""

import streamlit as st

from app_pages import common
from graph.exc import GraphRefused, GraphUnavailable

# An emoji icon is drawn in the browser; a :material/…: one would be fetched from Google.
st.set_page_config(page_title="Sanctions Graph", page_icon="🕸️", layout="wide")

page = st.navigation(
    [
        st.Page("app_pages/search.py", title="Search", icon=":material/search:", default=True),
        st.Page("app_pages/entity.py", title="Entity profile", icon=":material/person:", url_path="entity"),
        st.Page("app_pages/network.py", title="Network", icon=":material/hub:", url_path="network"),
        st.Page("app_pages/gaps.py", title="Gap matrix", icon=":material/grid_on:", url_path="gaps"),
        st.Page("app_pages/changes.py", title="What changed", icon=":material/update:", url_path="changes"),
        st.Page(
            "app_pages/queries.py", title="Saved queries", icon=":material/terminal:", url_path="queries"
        ),
        st.Page("app_pages/data.py", title="Data", icon=":material/database:", url_path="data"),
    ]
)
try:
    common.loading_progress()
    if page.url_path != "data":
        common.notice_if_empty()
    page.run()
except GraphUnavailable as e:
    common.show_unavailable(e)
except GraphRefused as e:  # it answers, and refuses: the database named, the user's rights
    st.error(str(e), icon=":material/block:")
