"""Helpers for the AppTest tests: start the app, move between pages, find tables by their headers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.ui import PAGES  # noqa: F401  (the app's own list of pages, re-exported for the tests)

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"


def start(**state) -> AppTest:
    """The app as a fresh session would open it, after seeding ``state`` (key -> value) into session state."""
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES[page])
    return at.run()


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has all of ``columns``."""
    for d in at.dataframe:
        if all(c in d.value.columns for c in columns):
            return d.value
    raise AssertionError(f"no table with columns {columns}; tables: {[list(d.value.columns) for d in at.dataframe]}")


def texts(at: AppTest) -> list[str]:
    """Every text the page shows outside tables (markdown, captions, alerts, metrics' labels)."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "text"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [str(m.label) for m in at.metric]
    return out


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def edit(at: AppTest, key: str, edited_rows: dict) -> AppTest:
    """Edit cells of the data editor ``key`` (AppTest sets a data editor through its edit state)."""
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    return at.run()
