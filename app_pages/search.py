"""Search a name; see every designation of the chosen target with dates and sources."""

import streamlit as st

from pages.common import client, unavailable

st.title("Sanctions Graph")
text = st.text_input("Name, alias or list record id", key="q",
                     placeholder="chen quanguo, 陈全国, GHR0075 …")
g = client()
if g is None:
    unavailable()
elif text:
    results = g.search(text)
    if results.empty:
        st.info("No entity matches that name.")
    else:
        shown = results.assign(jurisdictions=results.jurisdictions.map(", ".join))
        st.dataframe(shown, hide_index=True, width="stretch")
        chosen = st.selectbox("Entity", results.id, format_func=lambda i: results.set_index("id").name[i])
        entity = g.entity(chosen)
        st.subheader(entity["name"])
        st.caption(" · ".join(entity.get("names", [])))
        st.dataframe(g.designations(chosen), hide_index=True, width="stretch",
                     column_config={"source_url": st.column_config.LinkColumn("source")})
        links = g.neighbours(chosen)
        st.dataframe([{"from": a, "type": d["type"], "to": b} for a, b, d in links.edges(data=True)],
                     hide_index=True)
