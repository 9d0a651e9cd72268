"""Streamlit entry point: `streamlit run app.py`. A router over pages/."""

import streamlit as st

st.set_page_config(page_title="Sanctions Graph", page_icon=":material/hub:", layout="wide")

pages = st.navigation([
    st.Page("pages/search.py", title="Search", icon=":material/search:", default=True),
])
pages.run()
