"""The Streamlit explorer: ``main.py`` routes with ``st.navigation`` to thin pages in ``views/``
(not ``pages/``: Streamlit would list that folder as a second, legacy navigation)."""
