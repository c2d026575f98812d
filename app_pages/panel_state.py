"""The expert panel's part of the session (issue 11): the uploaded score sheets and tables, and the options.

Uploaded files are kept as bytes under keys of their own (an uploader cannot keep its file across
pages): ``panel_files`` (score sheets, a list of {"name", "data"}), ``panel_experts``,
``panel_recusals`` and ``panel_scheme`` ({"name", "data"} or None). :func:`panel_inputs` turns them
and the options into the small frozen config the cached stages of :mod:`app_pages.compute` take.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from quota_opt.columns import AggregateRule
from quota_opt.panel import (
    DEFAULT_LENIENCY_THRESHOLD,
    DEFAULT_MIN_EXPERTS,
    DEFAULT_RANGE_THRESHOLD,
    DEFAULT_SPEARMAN_THRESHOLD,
    PanelFile,
    PanelOptions,
)
from quota_opt.samples import SAMPLES_DIR

TABLES = ("experts", "recusals", "scheme")
DEFAULTS = {
    "panel_use": True,
    "panel_rule": AggregateRule.TRIMMED.value,
    "panel_min": DEFAULT_MIN_EXPERTS,
    "panel_std": False,
    "panel_range": DEFAULT_RANGE_THRESHOLD,
    "panel_leniency": DEFAULT_LENIENCY_THRESHOLD,
    "panel_spearman": DEFAULT_SPEARMAN_THRESHOLD,
}
SAMPLE = {  # the synthetic panel for the bundled 四川省 pool
    "files": ["sichuan_excellent_2025_panel.xlsx"],
    "experts": "sichuan_excellent_2025_experts.csv",
    "recusals": "sichuan_excellent_2025_recusals.csv",
}


@dataclass(frozen=True)
class PanelInputs:
    """The panel the session uses: files as (name, bytes), the options, and one key for all of it."""

    files: tuple[tuple[str, bytes], ...]
    experts: tuple[str, bytes] | None
    recusals: tuple[str, bytes] | None
    scheme: tuple[str, bytes] | None
    options: PanelOptions

    @property
    def key(self) -> str:
        parts = [(n, hashlib.sha256(d).hexdigest()) for n, d in self.files]
        for table in (self.experts, self.recusals, self.scheme):
            parts.append(None if table is None else (table[0], hashlib.sha256(table[1]).hexdigest()))
        return hashlib.sha256(repr((parts, sorted(self.options.to_dict().items()))).encode()).hexdigest()

    def sources(self) -> dict:
        """read_panel's arguments."""
        def one(t):
            return None if t is None else PanelFile(t[0], t[1])
        return {"scores": [PanelFile(n, d) for n, d in self.files], "experts": one(self.experts),
                "recusals": one(self.recusals), "scheme": one(self.scheme)}


def get(key: str):
    return st.session_state.get(key, DEFAULTS.get(key))


def options() -> PanelOptions:
    return PanelOptions(AggregateRule(get("panel_rule")), int(get("panel_min")), bool(get("panel_std")),
                        float(get("panel_range")), float(get("panel_leniency")), float(get("panel_spearman")))


def panel_inputs() -> PanelInputs | None:
    """The panel in use, or None (no score sheet uploaded, or switched off)."""
    files = st.session_state.get("panel_files") or []
    if not files or not get("panel_use"):
        return None
    tables = {t: st.session_state.get(f"panel_{t}") for t in TABLES}
    return PanelInputs(tuple((f["name"], f["data"]) for f in files),
                       *[None if tables[t] is None else (tables[t]["name"], tables[t]["data"]) for t in TABLES],
                       options())


def load_sample() -> None:
    """Use the bundled synthetic panel of the 四川省 pool."""
    st.session_state["panel_files"] = [{"name": n, "data": (SAMPLES_DIR / n).read_bytes()} for n in SAMPLE["files"]]
    for table in ("experts", "recusals"):
        st.session_state[f"panel_{table}"] = {"name": SAMPLE[table], "data": (SAMPLES_DIR / SAMPLE[table]).read_bytes()}
    st.session_state["panel_scheme"] = None


def clear() -> None:
    for key in ("panel_files", *(f"panel_{t}" for t in TABLES)):
        st.session_state[key] = None


__all__ = ["DEFAULTS", "PanelInputs", "TABLES", "clear", "get", "load_sample", "options", "panel_inputs"]
