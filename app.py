"""quota-opt's Streamlit app: the entry point. Pages live in app_pages/ and only call the core.

Run with ``streamlit run app.py`` (the README's first command).
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="quota-opt 智能工厂推荐", page_icon="🏭", layout="wide")

PAGES = [
    st.Page("app_pages/quota_page.py", title="推荐名额 Quota", url_path="quota", default=True),
    st.Page("app_pages/data_page.py", title="候选项目 Candidates", url_path="data"),
]

st.navigation(PAGES).run()
