"""A recommending unit's profile: the name on its seal, co-signing departments and its contact.

The summary table and the recommendation letter (:mod:`quota_opt.documents`) are signed with
these. A profile is entered once and kept in the run store (:meth:`quota_opt.store.RunStore.save_profile`),
one per unit: a province, the Corps, a planned city, or a central enterprise's group
(``中央企业:集团名``). Without one, :func:`default_profile` gives the unit's official name as
:mod:`quota_opt.units` knows it and leaves the contact lines blank, to be filled in by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, replace

from .errors import InputError
from .units import Unit, resolve_unit

# Longest text kept in one field: a seal name or an address is far shorter; the limit keeps a
# pasted document from becoming a "name".
MAX_FIELD = 200
MAX_CO_SIGNERS = 10
FIELDS = ("name", "contact", "phone", "email", "address")
FIELD_LABELS = {
    "name": ("单位全称（与公章一致）", "full name as on the seal"),
    "co_signers": ("联合署名单位", "co-signing departments"),
    "contact": ("联系人", "contact person"),
    "phone": ("联系电话", "phone"),
    "email": ("电子邮箱", "e-mail"),
    "address": ("通信地址", "postal address"),
}
_SEPARATORS = re.compile(r"[、，,；;\n]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class UnitProfile:
    """One unit's profile; ``unit`` is the canonical unit name it belongs to (the store's key)."""

    unit: str
    name: str = ""
    co_signers: tuple[str, ...] = ()
    contact: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    updated: str = ""  # UTC, ISO 8601; empty for a profile never saved

    @property
    def saved(self) -> bool:
        return bool(self.updated)

    @property
    def official_name(self) -> str:
        """The name the documents are signed with: the profile's, else the unit's official name."""
        return self.name or official_name(resolve_unit(self.unit))

    @property
    def signers(self) -> tuple[str, ...]:
        """Every signing unit, the recommending unit first, then the co-signers in the order given."""
        return (self.official_name, *self.co_signers)

    def to_dict(self) -> dict:
        return {**asdict(self), "co_signers": list(self.co_signers), "official_name": self.official_name}

    def updated_with(self, **changes: object) -> "UnitProfile":
        """This profile with the fields in ``changes`` replaced (None leaves a field as it is), checked."""
        given = {k: v for k, v in changes.items() if v is not None}
        unknown = set(given) - {*FIELDS, "co_signers"}
        if unknown:
            raise InputError(f"单位信息没有这些项：{sorted(unknown)}", f"a unit profile has no fields {sorted(unknown)}")
        if "co_signers" in given:
            given["co_signers"] = parse_co_signers(given["co_signers"])
        for key in FIELDS:
            if key in given:
                given[key] = clean_field(key, given[key])
        return replace(self, **given)


def official_name(unit: Unit) -> str:
    """A unit's name when no profile gives one: the group of a named central enterprise, else the
    canonical name (四川省, 新疆生产建设兵团, 中央企业)."""
    return unit.group or unit.name


def profile_key(unit: object) -> str:
    """The store key of a unit named in any accepted spelling (四川 -> 四川省; 中央企业:宝武 stays per group)."""
    return resolve_unit(unit).name


def default_profile(unit: object) -> UnitProfile:
    """The profile used when none is saved: the unit's official name, contact lines blank."""
    return UnitProfile(unit=profile_key(unit))


def clean_field(key: str, value: object) -> str:
    """A field as stored: trimmed, at most :data:`MAX_FIELD` characters, no control characters
    (they would reach a terminal or a document as commands), an e-mail shaped like one."""
    zh, en = FIELD_LABELS.get(key, (key, key))
    text = str(value).strip()
    if len(text) > MAX_FIELD:
        raise InputError(f"{zh}过长（{len(text)} 个字符，最多 {MAX_FIELD} 个）",
                         f"the {en} is too long ({len(text)} characters, at most {MAX_FIELD})")
    bad = [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")]
    if bad:
        raise InputError(f"{zh}含有控制字符 {ascii(bad[0])}", f"the {en} holds a control character {ascii(bad[0])}")
    if key == "email" and text and not _EMAIL.fullmatch(text):
        raise InputError(f"电子邮箱“{text}”格式不对", f"the e-mail '{text}' is not an e-mail address")
    return text


def parse_co_signers(value: object) -> tuple[str, ...]:
    """Co-signing departments from a list or one text separated by 、 ， , ； ; or new lines; repeats dropped."""
    items = value if isinstance(value, (list, tuple)) else _SEPARATORS.split(str(value))
    out: list[str] = []
    for item in items:
        name = clean_field("co_signers", item)
        if name and name not in out:
            out.append(name)
    if len(out) > MAX_CO_SIGNERS:
        raise InputError(f"联合署名单位最多 {MAX_CO_SIGNERS} 个", f"at most {MAX_CO_SIGNERS} co-signing departments")
    return tuple(out)


__all__ = ["FIELDS", "FIELD_LABELS", "UnitProfile", "clean_field", "default_profile", "official_name",
           "parse_co_signers", "profile_key"]
