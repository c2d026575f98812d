"""Generate the synthetic sample candidate pools in data/samples/ (seeded, deterministic, re-runnable).

    python3 scripts/make_samples.py            # rewrite data/samples/
    python3 scripts/make_samples.py --out DIR  # write elsewhere (the tests compare the two)

Every project, enterprise and group here is invented and labelled "（示例）"; the credit codes are
random codes with valid check characters. The distributions follow reported averages of the
2024 excellent-level factories (MIIT, February 2025; see shared/reference/README.md): maturity
mostly level 3-4, AI-scenario share around 20-40%, production efficiency +22.3%, R&D cycles
-28.4%, defect rates -30% to -47%. Each pool has a sidecar ``*_truth.csv`` recording, for every
project, the hard rules the generator made it fail and the advisory warnings it should raise,
so the tests can check that eligibility finds exactly those.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import openpyxl  # noqa: E402
from openpyxl.styles import Font, PatternFill  # noqa: E402

from quota_opt.columns import CANDIDATE_COLUMNS  # noqa: E402
from quota_opt.validate import USCC_CHARSET, uscc_check_character  # noqa: E402
from quota_opt.xlsx import save_reproducibly  # noqa: E402

SEED = 20250630
OUT = REPO / "data" / "samples"
PATENTS = "发明专利数"  # an extra numeric column, usable as a scoring criterion

# Administrative division codes (GB/T 2260) of the cities used, for the credit codes.
DIVISIONS = {
    "成都市": "510100", "自贡市": "510300", "攀枝花市": "510400", "泸州市": "510500", "德阳市": "510600",
    "绵阳市": "510700", "遂宁市": "510900", "内江市": "511000", "乐山市": "511100", "南充市": "511300",
    "眉山市": "511400", "宜宾市": "511500", "广安市": "511600", "达州市": "511700", "雅安市": "511800",
    "济南市": "370100", "青岛市": "370200", "淄博市": "370300", "东营市": "370500", "烟台市": "370600",
    "潍坊市": "370700", "济宁市": "370800", "威海市": "371000", "临沂市": "371300", "滨州市": "371600",
    "北京市": "110108", "上海市": "310115", "天津市": "120116", "武汉市": "420100", "西安市": "610100",
    "沈阳市": "210100", "南京市": "320100", "广州市": "440100", "株洲市": "430200", "哈尔滨市": "230100",
    "长春市": "220100", "洛阳市": "410300", "重庆市": "500112", "遵义市": "520300", "苏州市": "320500",
}

# 国民经济行业分类 (GB/T 4754-2017) manufacturing divisions, with a word for company names and products.
INDUSTRIES = {
    "计算机、通信和其他电子设备制造业": ("电子科技", ["新型显示面板", "集成电路封装测试", "智能终端", "服务器整机", "光通信器件"]),
    "汽车制造业": ("汽车", ["新能源汽车整车", "汽车电驱系统", "汽车关键零部件", "商用车"]),
    "医药制造业": ("药业", ["中药配方颗粒", "生物制品", "化学原料药", "口服固体制剂"]),
    "铁路、船舶、航空航天和其他运输设备制造业": ("航空装备", ["航空发动机零部件", "民机结构件", "轨道交通装备"]),
    "食品制造业": ("食品", ["复合调味料", "方便食品", "乳制品"]),
    "电气机械和器材制造业": ("电气", ["动力电池", "光伏组件", "高效电机", "输变电设备"]),
    "通用设备制造业": ("机械", ["大型铸锻件", "工业泵阀", "工业锅炉", "精密轴承"]),
    "专用设备制造业": ("重型装备", ["重型燃气轮机", "石油钻采装备", "工程机械"]),
    "化学原料和化学制品制造业": ("化工", ["高纯多晶硅", "精细磷化工", "天然气化工", "锂电材料"]),
    "酒、饮料和精制茶制造业": ("酒业", ["白酒酿造", "白酒包装", "精制茶"]),
    "黑色金属冶炼和压延加工业": ("钢铁", ["钒钛钢铁", "特种钢材"]),
    "有色金属冶炼和压延加工业": ("有色金属", ["钛材加工", "铝合金型材", "锂盐"]),
    "非金属矿物制品业": ("建材", ["特种玻璃", "绿色建材"]),
    "橡胶和塑料制品业": ("橡胶", ["子午线轮胎", "工程塑料制品"]),
    "纺织业": ("纺织", ["高端纺纱", "功能性面料"]),
    "农副食品加工业": ("食品", ["肉制品", "粮油加工"]),
}

SICHUAN_CITIES = [  # (city, weight, industries typical there)
    ("成都市", 30, ["计算机、通信和其他电子设备制造业", "汽车制造业", "医药制造业", "铁路、船舶、航空航天和其他运输设备制造业", "食品制造业"]),
    ("绵阳市", 10, ["计算机、通信和其他电子设备制造业", "电气机械和器材制造业"]),
    ("德阳市", 10, ["通用设备制造业", "专用设备制造业", "电气机械和器材制造业"]),
    ("宜宾市", 10, ["酒、饮料和精制茶制造业", "电气机械和器材制造业", "计算机、通信和其他电子设备制造业"]),
    ("泸州市", 6, ["酒、饮料和精制茶制造业", "专用设备制造业"]),
    ("自贡市", 5, ["通用设备制造业", "化学原料和化学制品制造业"]),
    ("攀枝花市", 5, ["黑色金属冶炼和压延加工业", "有色金属冶炼和压延加工业"]),
    ("乐山市", 5, ["化学原料和化学制品制造业", "非金属矿物制品业"]),
    ("南充市", 5, ["汽车制造业", "化学原料和化学制品制造业"]),
    ("遂宁市", 5, ["电气机械和器材制造业", "计算机、通信和其他电子设备制造业"]),
    ("眉山市", 4, ["化学原料和化学制品制造业", "电气机械和器材制造业"]),
    ("内江市", 3, ["有色金属冶炼和压延加工业", "农副食品加工业"]),
    ("达州市", 3, ["化学原料和化学制品制造业", "农副食品加工业"]),
    ("广安市", 3, ["非金属矿物制品业", "汽车制造业"]),
    ("雅安市", 2, ["有色金属冶炼和压延加工业", "酒、饮料和精制茶制造业"]),
]

SHANDONG_CITIES = [
    ("青岛市", ["电气机械和器材制造业", "橡胶和塑料制品业", "计算机、通信和其他电子设备制造业"]),
    ("济南市", ["汽车制造业", "通用设备制造业"]),
    ("烟台市", ["有色金属冶炼和压延加工业", "专用设备制造业"]),
    ("潍坊市", ["通用设备制造业", "汽车制造业"]),
    ("淄博市", ["化学原料和化学制品制造业", "医药制造业"]),
    ("东营市", ["橡胶和塑料制品业", "化学原料和化学制品制造业"]),
    ("临沂市", ["专用设备制造业", "农副食品加工业"]),
    ("滨州市", ["纺织业", "有色金属冶炼和压延加工业"]),
    ("威海市", ["医药制造业", "计算机、通信和其他电子设备制造业"]),
    ("济宁市", ["专用设备制造业", "纺织业"]),
]

# Invented two-character brand names: a first and a second character, every combination.
BRAND_FIRST = "蜀锦岷峨嘉涪巴金龙剑蒙瑞华恒鼎宏久启沱凌博德卓安融汇泰明川科众润鸿致蓉翔海晨朗聚锐通兴云乾永昊星盛广同弘中佳万"
BRAND_SECOND = "光江山城陵丰锐通信远安明润达泰源盛创宇航和诚邦益川峰欣图康驰"

LABEL = "（示例）"


# ----------------------------------------------------------------------------- helpers
def org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714-1997): 8 digits and its check character."""
    body = [rng.randrange(10) for _ in range(8)]
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(b * w for b, w in zip(body, weights)) % 11
    return "".join(map(str, body)) + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, city: str) -> str:
    first17 = "91" + DIVISIONS[city] + org_code(rng)
    assert all(ch in USCC_CHARSET for ch in first17)
    return first17 + uscc_check_character(first17)


def gauss(rng: random.Random, mean: float, sd: float, lo: float, hi: float, digits: int = 1) -> float:
    return round(min(hi, max(lo, rng.gauss(mean, sd))), digits)


def num(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass
class Project:
    """One synthetic application, with the typed values and the outcome the generator intends."""

    project_id: str
    project_name: str
    enterprise: str
    credit_code: str | None
    province: str
    city: str
    industry: str
    group: str
    level: str  # 卓越级 / 领航级
    rating: str  # 无 / 基础级 / 先进级 / 卓越级
    maturity: int
    stages: list[bool]
    ai_share: float
    expert_score: float | None
    efficiency_gain: float | None
    cost_reduction: float | None
    defect_reduction: float | None
    rd_cycle_reduction: float | None
    energy_reduction: float | None
    investment: int | None
    patents: int | None = None
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    why_zh: str = ""
    # How the cells are written (officials write the same thing several ways).
    maturity_text: str = ""
    rating_text: str = ""
    stage_yes: str = "是"


MATURITY_SPELLINGS = {2: ["二级", "2"], 3: ["三级", "3", "3级"], 4: ["四级", "4", "4级"], 5: ["五级", "5"]}


def new_project(rng: random.Random, pid: str, province: str, city: str, industry: str, level: str, brand: str,
                group: str = "", enterprise: str | None = None, maturity_weights=(0.0, 0.55, 0.38, 0.07),
                ai=(30.0, 8.0), rating: str = "先进级") -> Project:
    word, products = INDUSTRIES[industry]
    product = rng.choice(products)
    city_short = city.removesuffix("市")
    maturity = rng.choices([2, 3, 4, 5], weights=maturity_weights)[0]
    return Project(
        project_id=pid,
        project_name=f"{LABEL}{brand}{product}智能工厂",
        enterprise=enterprise or f"{LABEL}{city_short}{brand}{word}有限公司",
        credit_code=credit_code(rng, city),
        province=province,
        city=city,
        industry=industry,
        group=group,
        level=level,
        rating=rating,
        maturity=maturity,
        stages=[True] * 5,
        ai_share=gauss(rng, ai[0], ai[1], 5.0, 95.0),
        expert_score=gauss(rng, 82.0, 6.0, 60.0, 98.0),
        efficiency_gain=gauss(rng, 22.3, 7.0, 3.0, 60.0),
        cost_reduction=gauss(rng, 18.0, 6.0, 2.0, 45.0),
        defect_reduction=gauss(rng, 38.0, 9.0, 5.0, 80.0),
        rd_cycle_reduction=gauss(rng, 28.4, 8.0, 3.0, 70.0),
        energy_reduction=gauss(rng, 15.0, 5.0, 1.0, 40.0),
        investment=int(round(rng.lognormvariate(10.3, 0.7), -2)),
        maturity_text="",
        rating_text=rating,
        stage_yes=rng.choices(["是", "√", "Y"], weights=[0.9, 0.07, 0.03])[0],
    )


def brand_pool(rng: random.Random) -> list[str]:
    brands = [a + b for a in BRAND_FIRST for b in BRAND_SECOND if a != b]
    rng.shuffle(brands)
    return brands


def finish(rng: random.Random, projects: list[Project], advisory_id: str, advisory_min: float) -> None:
    """Spell the cells and record the advisory warning each project should raise."""
    for p in projects:
        p.maturity_text = rng.choice(MATURITY_SPELLINGS[p.maturity])
        if p.ai_share < advisory_min:
            p.warnings.append(advisory_id)


def blank_some(rng: random.Random, projects: list[Project], attribute: str, count: int) -> None:
    for p in rng.sample(projects, count):
        setattr(p, attribute, None)


# ----------------------------------------------------------------------------- the pools
def sichuan(rng: random.Random) -> list[Project]:
    """About 120 excellent-level candidates of 四川省 for 2025, 15 of them ineligible."""
    brands = brand_pool(rng)
    groups = [  # (group, brand, industry, city, members)
        ("（示例）天府装备集团有限公司", "天府", "通用设备制造业", "德阳市", 4),
        ("（示例）蜀光电子集团有限公司", "蜀光", "计算机、通信和其他电子设备制造业", "绵阳市", 3),
        ("（示例）岷江酒业集团有限公司", "岷江", "酒、饮料和精制茶制造业", "宜宾市", 2),
        ("（示例）川能化工集团有限公司", "川能", "化学原料和化学制品制造业", "乐山市", 2),
    ]
    brands = [b for b in brands if b not in {g[1] for g in groups}]
    projects: list[Project] = []
    n = 0
    for group, brand, industry, home, members in groups:
        for k in range(members):
            n += 1
            city = home if k == 0 else rng.choice([c for c, _, inds in SICHUAN_CITIES if industry in inds] or [home])
            sub = ["", "精密", "智能", "新材"][k]
            projects.append(new_project(
                rng, f"SC-{n:03d}", "四川省", city, industry, "卓越级", brand + sub, group=group,
                enterprise=f"{LABEL}{city.removesuffix('市')}{brand}{sub}{INDUSTRIES[industry][0]}有限公司"))
    cities = [c for c, _, _ in SICHUAN_CITIES]
    weights = [w for _, w, _ in SICHUAN_CITIES]
    while n < 120:
        n += 1
        city = rng.choices(cities, weights=weights)[0]
        industry = rng.choice(next(inds for c, _, inds in SICHUAN_CITIES if c == city))
        projects.append(new_project(rng, f"SC-{n:03d}", "四川省", city, industry, "卓越级", brands.pop()))
    rng.shuffle(projects)
    for i, p in enumerate(projects, start=1):  # ids in file order, as a department numbers its intake
        p.project_id = f"SC-{i:03d}"

    # Fifteen ineligible projects, each for a stated reason (a sixteenth kind: advisory-only warnings).
    chosen = rng.sample([p for p in projects if not p.group], 15)
    plans = [
        ("basic", "已获评基础级，未获评先进级"), ("basic", "已获评基础级，未获评先进级"), ("none", "尚未获评任何层级"),
        ("maturity", "成熟度仅二级"), ("maturity", "成熟度仅二级"), ("maturity", "成熟度仅二级"),
        ("stage", "未覆盖全部五个环节"), ("stage", "未覆盖全部五个环节"), ("stage", "未覆盖全部五个环节"),
        ("no_ai", "未开展人工智能应用"), ("no_ai", "未开展人工智能应用"),
        ("chongqing", "项目位于重庆市，误报入四川省申报池"), ("guizhou", "项目位于贵州省，误报入四川省申报池"),
        ("leading", "申报领航级，不属于卓越级推荐"), ("basic+maturity", "已获评基础级且成熟度仅二级"),
    ]
    for p, (plan, why) in zip(chosen, plans):
        p.why_zh = why
        if plan in ("basic", "basic+maturity"):
            p.rating = p.rating_text = "基础级"
            p.failed.append("E2025-E-rating")
        if plan == "none":
            p.rating = p.rating_text = "无"
            p.failed.append("E2025-E-rating")
        if plan in ("maturity", "basic+maturity"):
            p.maturity = 2
            p.failed.append("E2025-E-maturity")
        if plan == "stage":
            p.stages[rng.randrange(5)] = False
            p.failed.append("E2025-E-stages")
        if plan == "no_ai":
            p.ai_share = 0.0
            p.failed.append("E2025-E-ai")
        if plan == "chongqing":
            p.province, p.city = "重庆市", "重庆市"
            p.credit_code = credit_code(rng, "重庆市")
            p.enterprise = p.enterprise.replace(LABEL, LABEL + "重庆", 1)
            p.failed.append("unit-membership")
        if plan == "guizhou":
            p.province, p.city = "贵州省", "遵义市"
            p.credit_code = credit_code(rng, "遵义市")
            p.enterprise = p.enterprise.replace(LABEL, LABEL + "遵义", 1)
            p.failed.append("unit-membership")
        if plan == "leading":
            p.level = "领航级"
            p.rating = p.rating_text = "卓越级"
            p.failed.append("level-match")
    # Officials' spellings: a few ratings written short.
    for p in rng.sample([p for p in projects if p.rating == "先进级"], 6):
        p.rating_text = "先进"
    for p in projects:
        p.patents = int(min(120, rng.lognormvariate(2.6, 0.8)))
    blank_some(rng, projects, "credit_code", 4)
    blank_some(rng, projects, "expert_score", 6)
    blank_some(rng, projects, "investment", 3)
    blank_some(rng, projects, "energy_reduction", 5)
    blank_some(rng, projects, "patents", 4)
    finish(rng, projects, "E2025-E-ai-share", 20.0)
    return projects


CE_GROUP = "（示例）中国华远装备集团有限公司"
CE_OTHER = "（示例）中国华辰化工集团有限公司"
CE_SITES = [
    ("北京市", "北京市", "计算机、通信和其他电子设备制造业"), ("上海市", "上海市", "铁路、船舶、航空航天和其他运输设备制造业"),
    ("湖北省", "武汉市", "汽车制造业"), ("四川省", "德阳市", "专用设备制造业"), ("陕西省", "西安市", "铁路、船舶、航空航天和其他运输设备制造业"),
    ("辽宁省", "沈阳市", "通用设备制造业"), ("江苏省", "南京市", "电气机械和器材制造业"), ("广东省", "广州市", "汽车制造业"),
    ("湖南省", "株洲市", "铁路、船舶、航空航天和其他运输设备制造业"), ("天津市", "天津市", "专用设备制造业"),
    ("黑龙江省", "哈尔滨市", "电气机械和器材制造业"), ("吉林省", "长春市", "汽车制造业"), ("河南省", "洛阳市", "通用设备制造业"),
]


def central(rng: random.Random) -> list[Project]:
    """Fifteen excellent-level candidates of one central enterprise for 2025; two of another group."""
    projects: list[Project] = []
    for i, (province, city, industry) in enumerate(CE_SITES, start=1):
        brand = "华远"
        p = new_project(rng, f"CE-{i:03d}", province, city, industry, "卓越级", brand + city.removesuffix("市"),
                        group=CE_GROUP, enterprise=f"{LABEL}华远装备{city.removesuffix('市')}{INDUSTRIES[industry][0]}有限公司",
                        maturity_weights=(0.0, 0.45, 0.45, 0.10))
        projects.append(p)
    for j, (province, city) in enumerate([("山东省", "东营市"), ("江苏省", "苏州市")], start=len(projects) + 1):
        industry = "化学原料和化学制品制造业"
        p = new_project(rng, f"CE-{j:03d}", province, city, industry, "卓越级", "华辰" + city.removesuffix("市"),
                        group=CE_OTHER, enterprise=f"{LABEL}华辰化工{city.removesuffix('市')}有限公司")
        p.failed.append("unit-membership")
        p.why_zh = "属于另一中央企业集团，不由本集团推荐"
        projects.append(p)
    weak = rng.choice(projects[:len(CE_SITES)])
    weak.rating = weak.rating_text = "基础级"
    weak.failed.append("E2025-E-rating")
    weak.why_zh = "已获评基础级，未获评先进级"
    blank_some(rng, projects, "expert_score", 1)
    finish(rng, projects, "E2025-E-ai-share", 20.0)
    return projects


def shandong(rng: random.Random) -> list[Project]:
    """Twelve leading-level candidates of 山东省 for 2025 (quota 3); four ineligible."""
    brands = ["海岳", "泰山", "齐鲁", "黄河", "蓬莱", "琴岛", "鸢都", "沂蒙", "渤海", "孔孟", "稷下", "胶东"]
    projects: list[Project] = []
    for i, brand in enumerate(brands, start=1):
        city, industries = SHANDONG_CITIES[(i - 1) % len(SHANDONG_CITIES)]
        p = new_project(rng, f"SD-{i:03d}", "山东省", city, rng.choice(industries), "领航级", brand,
                        maturity_weights=(0.0, 0.0, 0.75, 0.25), ai=(62.0, 10.0), rating="卓越级")
        p.investment = int(round(rng.lognormvariate(11.5, 0.6), -2))
        projects.append(p)
    # A central enterprise's factory in Shandong: in 2025 it goes through the province (三（二）2).
    host = projects[2]
    host.group = CE_GROUP
    host.enterprise = f"{LABEL}华远装备{host.city.removesuffix('市')}{INDUSTRIES[host.industry][0]}有限公司"
    plans = [
        (projects[4], "E2025-L-rating", "已获评先进级，未获评卓越级"),
        (projects[7], "E2025-L-maturity", "成熟度仅三级"),
        (projects[9], "level-match", "申报卓越级，不属于领航级推荐"),
        (projects[10], "unit-membership", "项目位于江苏省，误报入山东省申报池"),
    ]
    for p, rule, why in plans:
        p.failed.append(rule)
        p.why_zh = why
        if rule == "E2025-L-rating":
            p.rating = p.rating_text = "先进级"
        elif rule == "E2025-L-maturity":
            p.maturity = 3
        elif rule == "level-match":
            p.level = "卓越级"
        else:
            p.province, p.city = "江苏省", "苏州市"
            p.credit_code = credit_code(rng, "苏州市")
            p.enterprise = p.enterprise.replace(LABEL, LABEL + "苏州", 1)
    blank_some(rng, projects, "energy_reduction", 2)
    finish(rng, projects, "E2025-L-ai-share", 60.0)
    return projects


# ----------------------------------------------------------------------------- writers
def headers(with_patents: bool) -> list[str]:
    return [c.zh for c in CANDIDATE_COLUMNS] + ([PATENTS] if with_patents else [])


def text_row(p: Project, with_patents: bool) -> list[str]:
    """The row as an official would type it in a CSV."""
    investment = "" if p.investment is None else (f"{p.investment:,}" if p.investment % 3 == 0 else str(p.investment))
    cells = [
        p.project_id, p.project_name, p.enterprise, p.credit_code or "", p.province, p.city, p.industry, p.group,
        p.level, p.rating_text, p.maturity_text,
        *[p.stage_yes if s else "否" for s in p.stages],
        f"{num(p.ai_share)}%", num(p.expert_score), num(p.efficiency_gain), num(p.cost_reduction),
        num(p.defect_reduction), num(p.rd_cycle_reduction), num(p.energy_reduction), investment,
    ]
    return cells + ([num(p.patents)] if with_patents else [])


def csv_text(projects: list[Project], with_patents: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as Excel on Windows writes it
    writer.writerow(headers(with_patents))
    for p in projects:
        writer.writerow(text_row(p, with_patents))
    return buffer.getvalue()


def write_xlsx(projects: list[Project], path: Path, with_patents: bool) -> None:
    """The pool as Excel holds it: numbers as numbers, the AI share as a percentage-formatted cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "候选项目"
    ws.append(headers(with_patents))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for p in projects:
        row = [
            p.project_id, p.project_name, p.enterprise, p.credit_code, p.province, p.city, p.industry, p.group or None,
            p.level, p.rating_text, p.maturity_text, *[p.stage_yes if s else "否" for s in p.stages],
            round(p.ai_share / 100, 4), p.expert_score, p.efficiency_gain, p.cost_reduction, p.defect_reduction,
            p.rd_cycle_reduction, p.energy_reduction, p.investment,
        ] + ([p.patents] if with_patents else [])
        ws.append(row)
        ws.cell(ws.max_row, 17).number_format = "0.0%"
        ws.cell(ws.max_row, 24).number_format = "#,##0"
    ws.freeze_panes = "B2"
    note = wb.create_sheet("说明")
    note.append(["本工作簿为合成示例数据，项目、企业与集团均为虚构（名称带“（示例）”），信用代码为随机生成的有效格式代码。"])
    note.append(["This workbook is synthetic sample data: every project, enterprise and group is invented."])
    save_reproducibly(wb, path)


def truth_text(projects: list[Project]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["project_id", "eligible", "failed_rules", "warnings", "why_zh"])
    for p in projects:
        writer.writerow([p.project_id, "yes" if not p.failed else "no", ";".join(p.failed), ";".join(p.warnings), p.why_zh])
    return buffer.getvalue()


# ----------------------------------------------------------------------------- the expert panel (issue 11)
# Seven invented experts score every project of the Sichuan pool: two are lenient (+9 points), one
# (E04) works for a group and scored its projects generously although he had to recuse himself, and
# a few cells are empty (not scored; one of them a pair listed in the recusal table).
PANEL_EXPERTS = [  # id, name, employer, group, bias in points
    ("E01", "（示例）张明", "（示例）四川大学机械工程学院", "", 0.0),
    ("E02", "（示例）李华", "（示例）电子科技大学自动化学院", "", 9.0),
    ("E03", "（示例）王强", "（示例）西南交通大学", "", 0.0),
    ("E04", "（示例）赵军", "（示例）天府装备集团有限公司", "（示例）天府装备集团有限公司", 0.0),
    ("E05", "（示例）陈静", "（示例）四川省智能制造研究院", "", 9.0),
    ("E06", "（示例）刘洋", "（示例）成都工业学院", "", 0.0),
    ("E07", "（示例）周敏", "（示例）西南智能制造创新中心", "", 0.0),
]
PANEL_NOISE = 3.0  # sd of an expert's disagreement with a project's merit, in points
PANEL_FAVOUR = 8.0  # what E04 adds on his own group's projects
PANEL_GAPS = 4


@dataclass
class Panel:
    scores: dict[tuple[str, str], float | None]  # (expert, project) -> score; None: not scored
    truth: list[list[str]]  # kind, expert_id, project_id, value


def sichuan_panel(rng: random.Random, projects: list[Project]) -> Panel:
    merit = {p.project_id: p.expert_score if p.expert_score is not None else gauss(rng, 82, 6, 60, 97)
             for p in projects}
    scores: dict[tuple[str, str], float | None] = {}
    for eid, _, _, group, bias in PANEL_EXPERTS:
        for p in projects:
            favour = PANEL_FAVOUR if group and p.group == group else 0.0
            value = merit[p.project_id] + bias + favour + rng.gauss(0, PANEL_NOISE)
            scores[(eid, p.project_id)] = round(min(100.0, max(0.0, value)), 1)
    truth: list[list[str]] = [["flagged_expert", "E02", "", "lenient"], ["flagged_expert", "E04", "", "conflicted"],
                              ["flagged_expert", "E05", "", "lenient"]]
    conflicted = [(e[0], p.project_id) for e in PANEL_EXPERTS for p in projects if e[3] and p.group == e[3]]
    truth += [["excluded_score", e, pid, "own_group"] for e, pid in conflicted]
    free = [(e[0], p.project_id) for e in PANEL_EXPERTS if not e[3] for p in projects if not p.group]
    gaps = rng.sample(free, PANEL_GAPS + 1)
    for e, pid in gaps:
        scores[(e, pid)] = None
    truth += [["not_scored", e, pid, ""] for e, pid in sorted(gaps[:-1])]
    truth.append(["declared_recusal", gaps[-1][0], gaps[-1][1], ""])
    truth.append(["not_scored", gaps[-1][0], gaps[-1][1], ""])
    return Panel(scores, truth)


def panel_xlsx(panel: Panel, projects: list[Project], path: Path) -> None:
    """Wide form: one sheet per expert (named by his id, with a 专家编号 cell above the header)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for eid, *_ in PANEL_EXPERTS:
        ws = wb.create_sheet(eid)
        ws.append([f"专家编号：{eid}"])
        ws.append(["项目编号", "项目名称", "得分"])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for p in projects:
            ws.append([p.project_id, p.project_name, panel.scores[(eid, p.project_id)]])
    save_reproducibly(wb, path)


def panel_long_csv(panel: Panel, projects: list[Project]) -> str:
    """Long form: one row per expert and project he scored."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["专家编号", "项目编号", "得分"])
    for eid, *_ in PANEL_EXPERTS:
        for p in projects:
            value = panel.scores[(eid, p.project_id)]
            if value is not None:
                writer.writerow([eid, p.project_id, f"{value:g}"])
    return buffer.getvalue()


def panel_tables(panel: Panel) -> tuple[str, str, str]:
    """The experts table, the recusal table and the truth file."""
    experts, recusals, truth = io.StringIO(), io.StringIO(), io.StringIO()
    w = csv.writer(experts, lineterminator="\r\n")
    w.writerow(["专家编号", "姓名", "工作单位", "所属集团"])
    for eid, name, employer, group, _ in PANEL_EXPERTS:
        w.writerow([eid, name, employer, group])
    w = csv.writer(recusals, lineterminator="\r\n")
    w.writerow(["专家编号", "项目编号", "回避原因"])
    for kind, eid, pid, _ in panel.truth:
        if kind == "declared_recusal":
            w.writerow([eid, pid, "（示例）近三年曾为该企业提供咨询服务"])
    w = csv.writer(truth, lineterminator="\n")
    w.writerow(["kind", "expert_id", "project_id", "value"])
    w.writerows(panel.truth)
    return experts.getvalue(), recusals.getvalue(), truth.getvalue()


def generate(out: Path = OUT, seed: int = SEED) -> list[Path]:
    """Write every sample pool and its truth file to ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, data: bytes) -> None:
        (out / name).write_bytes(data)
        written.append(out / name)

    sc = sichuan(random.Random(seed))
    write("sichuan_excellent_2025.csv", csv_text(sc, True).encode("utf-8-sig"))
    write("sichuan_excellent_2025_gbk.csv", csv_text(sc, True).encode("gbk"))
    write_xlsx(sc, out / "sichuan_excellent_2025.xlsx", True)
    written.append(out / "sichuan_excellent_2025.xlsx")
    write("sichuan_excellent_2025_truth.csv", truth_text(sc).encode("utf-8"))
    panel = sichuan_panel(random.Random(seed + 11), sc)
    panel_xlsx(panel, sc, out / "sichuan_excellent_2025_panel.xlsx")
    written.append(out / "sichuan_excellent_2025_panel.xlsx")
    write("sichuan_excellent_2025_panel_long.csv", panel_long_csv(panel, sc).encode("utf-8-sig"))
    experts, recusals, truth = panel_tables(panel)
    write("sichuan_excellent_2025_experts.csv", experts.encode("utf-8-sig"))
    write("sichuan_excellent_2025_recusals.csv", recusals.encode("utf-8-sig"))
    write("sichuan_excellent_2025_panel_truth.csv", truth.encode("utf-8"))

    sd = shandong(random.Random(seed + 1))
    write("shandong_leading_2025.csv", csv_text(sd, False).encode("utf-8-sig"))
    write("shandong_leading_2025_truth.csv", truth_text(sd).encode("utf-8"))

    ce = central(random.Random(seed + 2))
    write("central_enterprise_excellent_2025.csv", csv_text(ce, False).encode("utf-8-sig"))
    write("central_enterprise_excellent_2025_truth.csv", truth_text(ce).encode("utf-8"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成合成示例候选项目池 / generate the synthetic sample pools")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default data/samples)")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
