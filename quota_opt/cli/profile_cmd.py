"""``quota-opt profile set|show --unit U``: the unit's name as on its seal, co-signing departments and
contact, kept in the run store (``--db``, else ``$QUOTA_OPT_DB``, else the user data folder) and
used to sign the summary table and the recommendation letter (``recommend --docx/--letter``).

``set`` changes only the fields given (an empty value clears one); ``show`` prints the profile, or
the defaults used without one (the unit's official name, contact lines blank).
"""

from __future__ import annotations

import argparse

from ..result import china_time
from ..profile import FIELD_LABELS
from ..store import RunStore
from .common import BilingualParser, print_json, say

_SHOWN = ("official_name", "co_signers", "contact", "phone", "email", "address")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profile", help="推荐单位信息（署名、联系人）/ the recommending unit's profile (signature, contact)")
    common = BilingualParser(add_help=False)
    common.add_argument("--unit", required=True, help="推荐单位 / recommending unit, e.g. 四川省, 中央企业:集团名")
    common.add_argument("--db", default=None,
                        help="运行记录数据库 / the saved-runs database (default: $QUOTA_OPT_DB or the user data folder)")
    common.add_argument("--format", choices=["table", "json"], default="table")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=BilingualParser)
    set_ = actions.add_parser("set", parents=[common], help="保存单位信息 / save the unit's profile")
    set_.add_argument("--name", default=None, help="单位全称（与公章一致）/ full name as on the seal")
    set_.add_argument("--co-signers", default=None, metavar="NAMES",
                      help="联合署名单位，以“、”分隔 / co-signing departments, separated by 、 or commas")
    set_.add_argument("--contact", default=None, help="联系人 / contact person")
    set_.add_argument("--phone", default=None, help="联系电话 / phone")
    set_.add_argument("--email", default=None, help="电子邮箱 / e-mail")
    set_.add_argument("--address", default=None, help="通信地址 / postal address")
    actions.add_parser("show", parents=[common], help="查看单位信息 / show the unit's profile")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    store = RunStore(args.db)
    if args.action == "set":
        changes = {"name": args.name, "co_signers": args.co_signers, "contact": args.contact, "phone": args.phone,
                   "email": args.email, "address": args.address}
        profile = store.save_profile(store.profile(args.unit).updated_with(**changes))
    else:
        profile = store.profile(args.unit)
    _print(profile, args.format)
    return 0


def _print(profile, fmt: str) -> None:
    data = profile.to_dict()
    if fmt == "json":
        print_json({**data, "saved": profile.saved})
        return
    say(f"推荐单位 / unit: {profile.unit}")
    if not profile.saved:
        say("（尚未保存单位信息：文书以单位正式名称署名，联系人各栏留空 / no profile saved: the documents use the "
              "unit's official name and leave the contact lines blank）")
    labels = {"official_name": ("署名", "signed as"), **FIELD_LABELS}
    for key in _SHOWN:
        value = data[key]
        if isinstance(value, list):
            value = "、".join(value)
        zh, en = labels[key]
        say(f"  {zh} / {en}: {value or '—'}")
    if profile.saved:
        say(f"  更新时间 / updated: {china_time(profile.updated)}")
