"""The error family of quota-opt: bad input, bad rules, and a model that cannot be built.

Every error carries a Chinese and an English message, so the CLI and the app can show a
user both without a traceback. An infeasible recommendation is *not* an error: it is a
result with a status and an explanation (see :mod:`quota_opt.optimise`).
"""

from __future__ import annotations


class QuotaOptError(Exception):
    """Base of every error quota-opt raises on purpose."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en

    def one_line(self) -> str:
        """The message as one line, Chinese first, for stderr."""
        return " ".join(f"错误：{self.message_zh} / Error: {self.message_en}".split())


class InputError(QuotaOptError):
    """The user's input (a file, a name, an option) is wrong; exit code 2."""


class RulesError(QuotaOptError):
    """A notice-year rule file is missing or malformed, or a rule is asked for that the year lacks."""


class ModelError(QuotaOptError):
    """The integer program could not be built or the solver failed (not infeasibility)."""
