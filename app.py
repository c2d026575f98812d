"""quota-opt's Streamlit app: the entry point. Pages live in app_pages/ and only call the core.

Run with ``python3 -m streamlit run app.py`` (the README's first command). It opens on the
results of the bundled 四川省 sample pool under the default scenario; the workflow is
通知规则 (the year's notice) -> 候选项目 (data) -> 推荐名额 (quota) -> 专家评审 (the expert panel) -> 权重与规则 (weights and
rules) -> 推荐结果 (results) -> 稳健性与假设分析 (robustness and what-if) -> 导出与保存 (export), then 比较已保存的运行
(comparing saved runs); the sidebar lists them in that order after the results page the app opens on. The language switch (key ``lang``) is at the top of the sidebar.
"""

from __future__ import annotations

import threading

import streamlit as st

from app_pages import compute, state, ui
from app_pages.i18n import LANG_NAMES, LANGS, t
from quota_opt.memory import keep_freed_memory
from quota_opt.optimise.simplex import warm_up

st.set_page_config(page_title="quota-opt 智能工厂推荐", page_icon="🏭", layout="wide")
keep_freed_memory()  # every rerun reuses the memory the last one freed (see quota_opt.memory); once per process


@st.cache_resource(show_spinner=False)
def _compile_in_background() -> threading.Thread:
    """The compiled simplex behind the 入选频率 column, compiled (once per machine, then cached) in the
    background of the first session, while its first page is read."""
    thread = threading.Thread(target=warm_up, name="quota-opt-compile", daemon=True)
    thread.start()
    return thread


_compile_in_background()
state.init()
st.sidebar.radio(t("lang.label"), LANGS, key="lang", horizontal=True, format_func=LANG_NAMES.get,
                 persist_state=state.PERSIST)

PAGES = [
    # Streamlit serves the default page at the root whatever its url_path, and never at that path (it would say
    # "Page not found"): the default's path is one nobody types, and the results page is also a hidden page at
    # /results and /home, the addresses people try (links and switch_page take the first, the root)
    st.Page("app_pages/results_page.py", title=t("nav.results"), url_path="default-page", default=True,
            icon=":material/leaderboard:"),
    st.Page("app_pages/results_page.py", title=t("nav.results"), url_path="results", visibility="hidden"),
    st.Page("app_pages/results_page.py", title=t("nav.results"), url_path="home", visibility="hidden"),  # issue 13
    # then the workflow in its order (issue 13): the year's notice, the candidates, the quota, the panel, the
    # weights and rules; then how robust the result is, its export and the comparison of saved runs
    st.Page("app_pages/notice_page.py", title=t("nav.notice"), url_path="notice", icon=":material/gavel:"),  # issue 10
    st.Page("app_pages/data_page.py", title=t("nav.data"), url_path="data", icon=":material/table_view:"),
    st.Page("app_pages/quota_page.py", title=t("nav.quota"), url_path="quota", icon=":material/rule:"),
    st.Page("app_pages/panel_page.py", title=t("nav.panel"), url_path="panel", icon=":material/groups:"),
    st.Page("app_pages/rules_page.py", title=t("nav.rules"), url_path="rules", icon=":material/tune:"),
    st.Page("app_pages/robustness_page.py", title=t("nav.robustness"), url_path="robustness",
            icon=":material/balance:"),
    st.Page("app_pages/export_page.py", title=t("nav.export"), url_path="export", icon=":material/download:"),
    st.Page("app_pages/compare_page.py", title=t("nav.compare"), url_path="compare", icon=":material/compare_arrows:"),
]

page = st.navigation(PAGES)
current = compute.current()  # every stage, from the caches when nothing changed
ui.sidebar(current)
st.session_state[ui.RUN_KEY] = current  # the page takes it (ui.current) rather than computing it again
page.run()
