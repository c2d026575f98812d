"""Every string the app shows, in Chinese and English, in one place; Chinese first, English at a switch.

``t(key, **values)`` gives the text of ``key`` in the session's language (``st.session_state["lang"]``,
"zh" or "en"). Texts from the core come as (Chinese, English) pairs -- ``pick(zh, en)`` -- or as one
string "中文 / English" -- ``local(text)``. Column headers come from the core's labels
(``label(name)``). User text (project names, file names) put into Markdown goes through ``esc``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import streamlit as st

from quota_opt.columns import Level, column_label, output_label
from quota_opt.units import lookup_unit

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    # --- the frame
    "app.title": ("quota-opt 智能工厂推荐", "quota-opt smart-factory recommendations"),
    "lang.label": ("语言 / Language", "语言 / Language"),
    "nav.results": ("推荐结果", "Results"),
    "nav.data": ("候选项目", "Candidates"),
    "nav.quota": ("推荐名额", "Quota"),
    "nav.rules": ("权重与规则", "Weights & rules"),
    "nav.export": ("导出与保存", "Export & save"),
    "nav.robustness": ("稳健性与假设分析", "Robustness & what-if"),
    "nav.compare": ("比较已保存的运行", "Compare saved runs"),
    "nav.section.workflow": ("工作流程", "Workflow"),
    "side.current": ("当前推荐", "Current recommendation"),
    "side.pool": ("候选项目：{name}（{rows} 行）", "Candidates: {name} ({rows} rows)"),
    "side.pool.sample": ("候选项目：{name}", "Candidates: {name}"),
    "side.pool.none": ("候选项目：未选择", "Candidates: none chosen"),
    "side.unit": ("{unit} · {level} · {year} 年", "{unit} · {level} · {year}"),
    "side.quota": ("名额：{quota} 个", "Quota: {quota}"),
    "side.quota.none": ("名额：待定", "Quota: undetermined"),
    "side.quota.override": ("名额由用户指定（原 {original}），理由：{reason}", "Quota set by the user (was {original}); reason: {reason}"),
    "side.quota.figures": ("名额依据含用户提供的数据 {n} 项", "The quota rests on {n} figure(s) supplied by the user"),
    "side.quota.file": ("名额依据使用上传的数据文件：{name}", "The quota uses the uploaded data file: {name}"),
    "side.quota.pending": ("名额调整未生效：请填写名额和理由", "Quota override not applied: give a number and a reason"),
    "side.scenario": ("方案：{name}", "Scenario: {name}"),
    "side.status.ok": ("推荐 {n} / {quota} 个，得分合计 {total}", "{n} of {quota} recommended, total score {total}"),
    "side.status.infeasible": ("规则无法同时满足，未推荐任何项目", "The rules cannot all hold: nothing recommended"),
    "side.status.error": ("尚无推荐结果", "No recommendation yet"),
    "common.undetermined": ("未确定", "undetermined"),
    "common.none": ("无", "none"),
    "common.default": ("默认方案", "default scenario"),
    "common.custom": ("自定义方案", "custom scenario"),
    "common.choose": ("请选择", "Choose"),
    "stage.quota.hint": ("可在“推荐名额”页补充缺失的数据（注明来源）、上传更正的数据文件，或说明理由后指定名额。",
                         "On the Quota page, supply the missing figures (with their source), upload a corrected data "
                         "file, or set the quota with a reason."),
    "common.go.data": ("前往“候选项目”", "Go to Candidates"),
    "common.go.quota": ("前往“推荐名额”", "Go to Quota"),
    "common.go.rules": ("前往“权重与规则”", "Go to Weights & rules"),
    "common.go.results": ("前往“推荐结果”", "Go to Results"),
    "common.go.export": ("前往“导出与保存”", "Go to Export & save"),
    "common.go.robustness": ("前往“稳健性与假设分析”", "Go to Robustness & what-if"),
    "common.go.compare": ("前往“比较已保存的运行”", "Go to Compare saved runs"),
    "common.synthetic": ("示例数据为虚构项目，仅供试用", "Sample pools are invented projects, for trying the tool"),
    "stage.pool": ("候选项目文件无法使用", "The candidate file cannot be used"),
    "stage.eligibility": ("无法判断资格", "Eligibility cannot be decided"),
    "stage.quota": ("名额未确定", "The quota is not determined"),
    "stage.scenario": ("权重或规则设置有误", "The weights or rules are not valid"),
    "stage.recommend": ("无法计算推荐结果", "The recommendation cannot be computed"),
    # --- results
    "res.title": ("推荐结果", "Results"),
    "res.context": ("{unit} · {year} 年{level} · 名额 {quota} 个 · 依据 {notice}",
                    "{unit} · {year} {level} level · quota {quota} · under {notice}"),
    "res.metric.quota": ("推荐名额", "Quota"),
    "res.metric.selected": ("推荐", "Recommended"),
    "res.metric.not_selected": ("未推荐", "Not recommended"),
    "res.metric.ineligible": ("不符合条件", "Ineligible"),
    "res.metric.invalid": ("无效行", "Invalid rows"),
    "res.metric.total": ("得分合计", "Total score"),
    "res.infeasible": ("推荐规则无法同时满足，未推荐任何项目。原因如下：", "The rules cannot all hold, so nothing is recommended. Why:"),
    "res.infeasible.fix": ("请在“权重与规则”中放宽或关闭上述规则。", "Loosen or switch off these rules under Weights & rules."),
    "res.summary": ("推荐汇总表（按优先顺序）", "Summary table (in priority order)"),
    "res.summary.empty": ("没有推荐项目。", "No project is recommended."),
    "res.breakdown": ("得分构成（各指标贡献的分数）", "Score breakdown (points from each criterion)"),
    "res.breakdown.caption": ("得分 = 100 × Σ 权重 × 标准化值；每段为一个指标贡献的分数。",
                              "Score = 100 × Σ weight × normalised value; each segment is one criterion's points."),
    "res.breakdown.table": ("得分构成明细", "Breakdown as a table"),
    "chart.project": ("推荐项目（优先顺序）", "Recommended project (priority order)"),
    "chart.points": ("得分", "Points"),
    "chart.criterion": ("指标", "Criterion"),
    "res.not_selected": ("未推荐项目及原因", "Not recommended, with reasons"),
    "res.not_selected.filter": ("按原因筛选", "Filter by reason"),
    "res.usage": ("各行业、城市推荐数与上下限", "Recommended per industry and city, against caps and floors"),
    "res.usage.industry": ("按行业", "By industry"),
    "res.usage.city": ("按城市", "By city"),
    "res.usage.group": ("按企业集团", "By enterprise group"),
    "res.usage.caption": ("上限、下限为空表示未设该规则。", "An empty cap or floor means no such rule is set."),
    "res.balance": ("为满足均衡规则让出的得分", "Score given up to the balance rules"),
    "res.balance.metric": ("让出的得分", "Score given up"),
    "res.balance.explain": (
        "只保留名额、必须推荐、不推荐和最低分时，得分合计最高为 {reference}；在全部规则下为 {recommended}，两者之差为 {given_up}。",
        "With only the quota, the must-include and must-exclude lists and the minimum score, the best total score is {reference}; "
        "under all the rules it is {recommended}: {given_up} less."),
    "res.balance.none": ("均衡规则没有让出任何得分：推荐结果与只按得分选择相同。",
                         "The balance rules cost nothing: the picks are those the scores alone give."),
    "res.balance.infeasible": ("规则无法同时满足，无法计算。", "The rules cannot all hold, so this cannot be computed."),
    "res.balance.in": ("因规则而入选", "Brought in by the rules"),
    "res.balance.out": ("因规则而落选", "Kept out by the rules"),
    "res.ineligible": ("不符合条件的项目（{n}）", "Ineligible projects ({n})"),
    "res.invalid": ("数据有误的行（{n}）", "Rows with errors ({n})"),
    "res.warnings": ("计算提示（{n}）", "Notes on the calculation ({n})"),
    "res.download.xlsx": ("下载推荐汇总表（Excel）", "Download the summary (Excel)"),
    "res.download.csv": ("下载推荐汇总表（CSV）", "Download the summary (CSV)"),
    "res.state.at_cap": ("已达上限", "at its cap"),
    "res.state.at_floor": ("恰好达到下限", "exactly at its floor"),
    "res.state.below_floor": ("低于下限", "below its floor"),
    "res.state.free": ("", ""),
    # --- column headers the app adds (the others are the core's labels)
    "col.candidates": ("候选数", "Candidates"),
    "col.selected": ("推荐数", "Recommended"),
    "col.floor": ("下限", "Floor"),
    "col.cap": ("上限", "Cap"),
    "col.state": ("状态", "State"),
    "col.industry": ("行业", "Industry"),
    "col.city": ("城市", "City"),
    "col.group": ("企业集团", "Group"),
    "col.eligible": ("符合条件", "Eligible"),
    "col.warnings": ("提示", "Warnings"),
    "col.severity": ("级别", "Severity"),
    "col.column": ("列", "Column"),
    "col.problem": ("问题", "Problem"),
    "col.message": ("说明", "Message"),
    "col.criterion": ("指标", "Criterion"),
    "col.direction": ("方向", "Direction"),
    "col.weight.given": ("滑块", "Slider"),
    "col.weight.ahp": ("层次分析法", "AHP"),
    "col.weight.entropy": ("熵权法", "Entropy"),
    "col.weight.used": ("采用的权重", "Weight used"),
    "col.entropy": ("信息熵 e", "Entropy e"),
    "col.divergence": ("差异系数 d", "Divergence d"),
    "col.unit": ("推荐单位", "Unit"),
    "col.unit_type": ("类型", "Type"),
    "col.quota": ("名额", "Quota"),
    "col.status": ("状态", "Status"),
    "col.via": ("经由", "Via"),
    "col.rank_min": ("最好名次", "Best rank"),
    "col.rank_max": ("最差名次", "Worst rank"),
    "col.rank_bounds": ("已知名次", "Stated rank"),
    "col.data_status": ("数据状态", "Data status"),
    "col.basis": ("依据", "Basis"),
    "col.province": ("省份", "Province"),
    "col.figure": ("数值", "Figure"),
    "col.source": ("来源", "Source"),
    "col.user_value": ("您的数值", "Your figure"),
    "col.user_source": ("您的数值的来源", "Source of your figure"),
    "col.name": ("名称", "Name"),
    "col.run": ("名称", "Name"),
    "col.created": ("时间（北京时间）", "Time (China Standard Time)"),
    "col.objective": ("得分合计", "Total score"),
    "col.n_selected": ("推荐数", "Recommended"),
    "col.reason": ("原因", "Reason"),
    "col.rule": ("规则", "Rule"),
    "col.clause": ("条款", "Clause"),
    "col.id": ("编号", "Id"),
    "data.rule.hard": ("必须满足", "must hold"),
    "data.rule.advisory": ("提示", "advisory"),
    # --- data page
    "data.title": ("候选项目", "Candidates"),
    "data.caption": ("上传申报汇总表（.csv 或 .xlsx，UTF-8 或 GBK 均可），或选择示例数据；逐行校验并判断每个项目是否符合推荐条件。",
                     "Upload the applications (.csv or .xlsx, UTF-8 or GBK) or pick a sample pool; every row is checked "
                     "and every project's eligibility decided."),
    "data.source": ("数据来源", "Source"),
    "data.source.sample": ("示例数据", "Sample pool"),
    "data.source.upload": ("上传文件", "Upload a file"),
    "data.template": ("下载空白模板", "Blank template"),
    "data.sample": ("示例数据（虚构项目）", "Sample pool (invented projects)"),
    "data.upload": ("候选项目表（.csv 或 .xlsx，不超过 {mb} MB）", "Candidate file (.csv or .xlsx, at most {mb} MB)"),
    "data.upload.current": ("当前文件：{name}（{kb} KB）", "Current file: {name} ({kb} KB)"),
    "data.upload.too_big": ("文件“{name}”有 {mb:.1f} MB，超过上限 {limit} MB，未读取。请删去无关的工作表或列后再上传。",
                            "The file '{name}' is {mb:.1f} MB, over the limit of {limit} MB, and was not read. "
                            "Remove unrelated sheets or columns and upload it again."),
    "data.upload.none": ("请上传文件或选择示例数据。", "Upload a file or pick a sample pool."),
    "data.sheet": ("工作表（空则第一个）", "Sheet (empty: the first)"),
    "data.unit": ("推荐单位", "Unit"),
    "data.year": ("通知年度", "Notice year"),
    "data.level": ("层级", "Level"),
    "data.group": ("集团名称（空则取项目最多的集团）", "Group (empty: the group most projects name)"),
    "data.metric.rows": ("数据行", "Rows"),
    "data.metric.valid": ("有效", "Valid"),
    "data.metric.invalid": ("无效", "Invalid"),
    "data.metric.errors": ("错误", "Errors"),
    "data.metric.warnings": ("提示", "Warnings"),
    "data.metric.empty": ("跳过空行", "Empty rows"),
    "data.problems": ("问题", "Problems"),
    "data.problems.show": ("显示", "Show"),
    "data.problems.none": ("没有发现问题。", "No problems found."),
    "data.severity.error": ("错误", "error"),
    "data.severity.warning": ("提示", "warning"),
    "data.invalid": ("无效行（{n}）：不参与资格判断", "Invalid rows ({n}): not considered"),
    "data.eligibility": ("资格", "Eligibility"),
    "data.eligibility.count": ("{unit} · {level} · {year}：符合条件 {ok} 个，不符合 {bad} 个",
                               "{unit} · {level} · {year}: {ok} eligible, {bad} not eligible"),
    "data.filter": ("筛选", "Filter"),
    "data.filter.all": ("全部", "all"),
    "data.filter.eligible": ("符合", "eligible"),
    "data.filter.ineligible": ("不符合", "not eligible"),
    "data.filter.warned": ("有提示", "with warnings"),
    "data.search": ("搜索（编号、名称、企业、城市、行业）", "Search (id, name, enterprise, city, industry)"),
    "data.rules": ("适用规则", "Rules applied"),
    "data.next": ("数据就绪：共 {n} 个符合条件的项目参与推荐。", "Data ready: {n} eligible projects compete."),
    # --- quota page
    "quota.title": ("推荐名额", "Quota"),
    "quota.context": ("推荐单位、层级和年度在“候选项目”页选择。", "The unit, level and year are chosen on the Candidates page."),
    "quota.metric": ("{unit} {level}名额", "{unit}: {level}-level quota"),
    "quota.status.ok": ("按通知确定", "set by the notice"),
    "quota.status.override": ("用户指定", "set by the user"),
    "quota.status.undetermined": ("待定", "undetermined"),
    "quota.status.via": ("经由其他单位推荐", "recommends through another unit"),
    "quota.basis": ("依据", "Basis"),
    "quota.source": ("数据来源（{status}）：{source}", "Data source ({status}): {source}"),
    "quota.missing": ("名额取决于缺失的数据：{names}。可在下方补充数据（注明来源）、上传更正的数据文件，或说明理由后指定名额。",
                      "The quota depends on missing figures: {names}. Supply them below (with their source), upload a "
                      "corrected data file, or set the quota with a reason."),
    "quota.figures": ("补充或更正数据", "Supply or correct figures"),
    "quota.figures.caption": ("名额规则读取“{dataset}”。在“您的数值”一列填写数字，并在“来源”一列注明出处（文件、公报或网址）；未注明来源的数值不被采用。",
                              "The quota rule reads '{dataset}'. Enter a number under 'Your figure' and say where it comes "
                              "from under its source (a document, communiqué or address); a figure without a source is not used."),
    "quota.figures.none": ("该单位的名额不依赖统计数据。", "This unit's quota does not depend on statistics."),
    "quota.figures.clear": ("清除您填写的数据", "Clear the figures you entered"),
    "quota.file.current": ("正在使用上传的数据文件：{name}", "Using the uploaded data file: {name}"),
    "quota.file.remove": ("停用上传的数据文件", "Stop using the uploaded file"),
    "quota.override": ("指定名额", "Set the quota"),
    "quota.override.on": ("由我指定名额（须说明理由）", "I set the quota myself (a reason is required)"),
    "quota.override.number": ("名额", "Quota"),
    "quota.override.reason": ("理由（将记录在导出文件中）", "Reason (recorded in the export)"),
    "quota.override.pending": ("请填写名额和理由；在此之前不采用指定的名额。", "Give a number and a reason; until then the quota is not overridden."),
    "quota.override.active": ("名额已由用户指定：{quota} 个（原名额 {original}）。理由：{reason}",
                              "The quota is set by the user: {quota} (was {original}). Reason: {reason}"),
    "quota.figures.active": ("名额依据采用了您提供的数据：{items}", "The quota uses figures you supplied: {items}"),
    "quota.all": ("全部推荐单位（{year} 年{level}）", "Every recommending unit ({year}, {level} level)"),
    "quota.all.unit": ("查看单位", "Show one unit"),
    "quota.all.undetermined": ("{n} 个单位的名额因数据缺失或通知未规定而待定：{units}",
                               "{n} units' quotas are undetermined (missing figures or no rule): {units}"),
    # --- rules page
    "rules.title": ("权重与规则", "Weights & rules"),
    "rules.caption": ("修改后立即重新计算；结果见“推荐结果”页，右侧为简要预览。",
                      "Every change recomputes at once; see Results for the full picture, the preview on the right."),
    "rules.weights": ("指标权重", "Criterion weights"),
    "rules.method": ("赋权方法", "Weighting method"),
    "rules.method.manual": ("直接赋权（滑块）", "Given weights (sliders)"),
    "rules.method.ahp": ("层次分析法（AHP）", "Analytic hierarchy process (AHP)"),
    "rules.method.entropy": ("熵权法", "Entropy weights"),
    "rules.method.blend": ("组合赋权（主观 + 熵权）", "Blend (subjective + entropy)"),
    "rules.slider.help": ("权重只看相对大小，会自动归一化为合计 1。", "Only relative sizes matter: weights are normalised to sum 1."),
    "rules.direction.benefit": ("越大越好", "higher is better"),
    "rules.direction.cost": ("越小越好", "lower is better"),
    "rules.sliders.unused": ("当前赋权方法不使用滑块的数值。", "The current method does not use the sliders' values."),
    "rules.ahp": ("层次分析法：两两比较", "AHP: pairwise comparisons"),
    "rules.ahp.criteria": ("参与比较的指标（2 至 10 个）", "Criteria to compare (2 to 10)"),
    "rules.ahp.pair": ("{a} 与 {b}", "{a} versus {b}"),
    "rules.ahp.equal": ("同等重要", "equally important"),
    "rules.ahp.more": ("{name} 重要 {x} 倍", "{name} {x}× as important"),
    "rules.ahp.cr": ("一致性比率 CR = {cr:.3f}（λmax = {lam:.3f}，CI = {ci:.3f}，RI = {ri:.2f}）",
                     "Consistency ratio CR = {cr:.3f} (λmax = {lam:.3f}, CI = {ci:.3f}, RI = {ri:.2f})"),
    "rules.ahp.ok": ("CR ≤ 0.1：判断可以接受。", "CR ≤ 0.1: the judgements are acceptable."),
    "rules.ahp.need2": ("请至少选择两个指标。", "Pick at least two criteria."),
    "rules.entropy": ("熵权法：由数据的离散程度确定权重", "Entropy weights: from how much the data vary"),
    "rules.entropy.criteria": ("参与熵权计算的指标", "Criteria for entropy weights"),
    "rules.blend": ("组合赋权", "Blend"),
    "rules.blend.subjective": ("主观权重来自", "Subjective weights from"),
    "rules.blend.sliders": ("滑块", "the sliders"),
    "rules.blend.ahp": ("层次分析法", "AHP"),
    "rules.blend.alpha": ("主观权重所占比例 α", "Share of the subjective weights α"),
    "rules.blend.form": ("组合方式", "Combination"),
    "rules.blend.linear": ("线性加权：α·主观 + (1−α)·熵权", "Linear: α·subjective + (1−α)·entropy"),
    "rules.blend.multiplicative": ("乘法合成归一化", "Multiplicative, normalised"),
    "rules.used": ("采用的权重", "Weights used"),
    "rules.constraints": ("推荐规则", "Rules"),
    "rules.constraints.caption": ("通知只规定名额；以下均衡规则由本单位自行决定，每项可单独开关。",
                                  "The notice sets only the quota; these balance rules are the unit's own, each with its own switch."),
    "rules.fam.industry_cap": ("每个行业最多推荐", "At most per industry"),
    "rules.fam.industry_floor": ("每个有候选项目的行业至少推荐", "At least per industry with a candidate"),
    "rules.fam.city_cap": ("每个城市最多推荐", "At most per city"),
    "rules.fam.city_floor": ("每个有候选项目的城市至少推荐", "At least per city with a candidate"),
    "rules.fam.group_cap": ("每个企业集团最多推荐", "At most per enterprise group"),
    "rules.fam.min_score": ("最低得分（必须推荐的项目不受此限）", "Minimum score (must-include projects are exempt)"),
    "rules.fam.include": ("必须推荐的项目", "Projects that must be recommended"),
    "rules.fam.exclude": ("不推荐的项目", "Projects not to recommend"),
    "rules.general": ("统一数值（空则只用下表中的数值）", "For all (empty: only the table's values)"),
    "rules.named": ("按名称设定上下限（覆盖统一数值；空格表示不设）", "Caps and floors by name (override the general value; empty means none)"),
    "rules.named.off": ("请先打开相应的规则开关，表中数值才会生效。", "Switch the matching rule on for the table's values to apply."),
    "rules.reset": ("恢复默认方案", "Back to the default scenario"),
    "rules.download": ("下载方案（TOML）", "Download the scenario (TOML)"),
    "rules.upload": ("载入方案（TOML）", "Load a scenario (TOML)"),
    "rules.upload.done": ("已载入方案“{name}”。", "Loaded scenario '{name}'."),
    "rules.name": ("方案名称", "Scenario name"),
    "rules.name.hint": ("空则自动命名（未改动时为 default）", "empty: named for you (default while unchanged)"),
    "rules.scenario": ("方案：保存、载入、恢复默认", "Scenario: save, load, back to the default"),
    "rules.share": ("归一化后", "Normalised"),
    "rules.preview": ("预览", "Preview"),
    "rules.preview.top": ("排名前 {n} 的推荐项目", "Top {n} recommended"),
    # --- robustness page
    "rob.title": ("稳健性与假设分析", "Robustness & what-if"),
    "rob.heading": ("权重稳健性：权重略有变化时，哪些项目仍然入选", "Weight robustness: which picks hold when the weights vary"),
    "rob.caption": (
        "在当前权重附近随机抽取多组权重，每组都按全部规则重新选择。入选频率不低于 {core:.0%} 的为“核心”项目，"
        "不高于 {exterior:.0%} 的为“外围”项目，其余为“临界”项目——这些项目是否入选取决于权重的具体取值。",
        "Many weight vectors are drawn around the current weights and the selection is made again under every rule "
        "for each. Projects picked in at least {core:.0%} of the samples are core, in at most {exterior:.0%} exterior, "
        "the rest borderline: whether they are picked hangs on the exact weights."),
    "rob.samples": ("抽样次数", "Number of samples"),
    "rob.samples.help": ("次数越多结果越稳定，耗时也越长。", "More samples give steadier figures and take longer."),
    "rob.spread": ("扰动幅度（均匀抽样）", "Spread (uniform sampling)"),
    "rob.spread.help": ("每个权重乘以 1 − 幅度 到 1 + 幅度 之间的随机数，再归一化。0 表示不扰动。",
                        "Each weight is multiplied by a random factor between 1 − spread and 1 + spread, then "
                        "normalised. 0 means no change."),
    "rob.seed": ("随机种子", "Random seed"),
    "rob.seed.help": ("种子相同，结果完全相同，便于复核。", "The same seed gives exactly the same result, for checking."),
    "rob.dirichlet": ("改用狄利克雷分布抽样", "Sample from a Dirichlet distribution instead"),
    "rob.concentration": ("狄利克雷集中度", "Dirichlet concentration"),
    "rob.concentration.help": ("以当前权重为中心；数值越大，抽到的权重越接近当前权重。打开上面的开关后才使用。",
                               "Centred on the current weights; the larger, the closer the samples stay to them. "
                               "Used only when the switch above is on."),
    "rob.run": ("开始分析", "Run the analysis"),
    "rob.none": ("设置抽样次数和幅度后点击“开始分析”。", "Set the number of samples and the spread, then press Run the analysis."),
    "rob.stale": ("数据、名额、权重或规则在上次分析后已改变。请点击“开始分析”按当前设置重新计算。",
                  "The data, quota, weights or rules have changed since the last analysis. Press Run the analysis "
                  "to compute it for the current settings."),
    "rob.progress": ("正在按抽样权重重新选择", "Selecting again under the sampled weights"),
    "rob.infeasible": ("推荐规则无法同时满足，没有可分析的推荐结果。请先在“权重与规则”中放宽规则。",
                       "The rules cannot all hold, so there is no recommendation to analyse. Loosen the rules under "
                       "Weights & rules first."),
    "rob.method.uniform": ("均匀抽样 {n:,} 次：每个权重乘以 [{low:g}, {high:g}] 内的随机数后归一化；随机种子 {seed}；用时 {seconds:.2f} 秒",
                           "{n:,} uniform samples: each weight times a random factor in [{low:g}, {high:g}], then "
                           "normalised; seed {seed}; {seconds:.2f} s"),
    "rob.method.dirichlet": ("狄利克雷抽样 {n:,} 次：集中度 {c:g}，以当前权重为中心；随机种子 {seed}；用时 {seconds:.2f} 秒",
                             "{n:,} Dirichlet samples: concentration {c:g}, centred on the current weights; seed "
                             "{seed}; {seconds:.2f} s"),
    "rob.infeasible_samples": ("有 {n} 组抽样权重下规则无法同时满足（这些样本不选任何项目）。",
                               "Under {n} of the sampled weight vectors the rules cannot all hold (those samples pick nothing)."),
    "rob.metric.core": ("核心项目", "Core"),
    "rob.metric.borderline": ("临界项目", "Borderline"),
    "rob.metric.exterior": ("外围项目", "Exterior"),
    "rob.metric.eligible": ("符合条件的项目", "Eligible projects"),
    "rob.class.core": ("核心", "core"),
    "rob.class.borderline": ("临界", "borderline"),
    "rob.class.exterior": ("外围", "exterior"),
    "rob.chart": ("入选频率与得分名次范围", "Selection frequency and rank range"),
    "rob.chart.caption": (
        "左：在多少比例的抽样中入选。右：按得分在全部符合条件项目中的名次，线段为 5% 至 95% 分位，圆点为中位数；"
        "虚线为名额。受均衡规则影响，名次在名额以内的项目也可能未入选。",
        "Left: the share of the samples that pick the project. Right: its rank by score among all eligible "
        "projects, the line from the 5th to the 95th percentile, the dot the median; the dashed line is the quota. "
        "Under the balance rules a project ranked within the quota may still not be picked."),
    "rob.chart.hidden": ("另有 {n} 个项目在所有抽样中都未入选，未画出，见下表。",
                         "{n} more projects are picked in no sample; they are not drawn, see the table."),
    "rob.chart.cut": ("图中只画出入选频率最高的 {n} 个项目；全部项目见下表。",
                      "The chart shows the {n} most often picked projects; the table lists them all."),
    "rob.axis.frequency": ("入选频率", "Selection frequency"),
    "rob.axis.rank": ("得分名次（1 为最高）", "Rank by score (1 = highest)"),
    "rob.axis.project": ("项目", "Project"),
    "rob.axis.class": ("类别", "Class"),
    "rob.axis.quota": ("名额", "Quota"),
    "rob.table": ("全部符合条件的项目", "Every eligible project"),
    "rob.col.class": ("类别", "Class"),
    "rob.col.frequency": ("入选频率", "Selection frequency"),
    "rob.col.p05": ("名次 5% 分位", "Rank, 5th percentile"),
    "rob.col.p50": ("名次中位数", "Rank, median"),
    "rob.col.p95": ("名次 95% 分位", "Rank, 95th percentile"),
    "rob.col.base_selected": ("当前入选", "Picked now"),
    "rob.col.base_rank": ("当前名次", "Rank now"),
    "rob.download": ("下载分析结果（JSON）", "Download the analysis (JSON)"),
    # --- what would it take
    "wi.heading": ("要达到什么条件：某个项目入选或落选的代价", "What would it take: the price of a project's place"),
    "wi.caption": ("选择一个项目：若未入选，看强制其入选要让出多少总分、替换哪个项目、得分需达到多少；"
                   "若已入选，看将其拿掉的代价、由谁补上、得分降到多少会落选。",
                   "Pick a project. If it is not recommended: the total score given up by forcing it in, whose place "
                   "it takes, and the score it needs. If it is: the price of taking it out, who takes its place, and "
                   "the score it needs to stay."),
    "wi.project": ("项目", "Project"),
    "wi.state.in": ("已入选，第 {rank} 位", "recommended, rank {rank}"),
    "wi.state.out": ("未入选", "not recommended"),
    "wi.metric.score": ("当前得分", "Score now"),
    "wi.metric.needed.in": ("入选所需得分", "Score needed to enter"),
    "wi.metric.needed.out": ("保持入选所需得分", "Score needed to stay"),
    "wi.metric.cost.in": ("强制入选让出的总分", "Total score given up by forcing it in"),
    "wi.metric.cost.out": ("强制拿掉让出的总分", "Total score given up by taking it out"),
    "wi.places.in": ("它将替换的项目", "Projects whose place it would take"),
    "wi.places.out": ("补上其位置的项目", "Projects that would take its place"),
    "wi.rules": ("均衡规则的代价（整个推荐结果）", "The price of the balance rules (the whole selection)"),
    "wi.rules.family": ("单独取消一类规则可多得的总分", "Total score gained by lifting one family of rules alone"),
    "wi.rules.family.caption": ("各类规则单独的代价不一定相加等于总代价。", "The families' own costs need not add up to the total."),
    "wi.rules.none": ("当前方案没有启用均衡规则。", "The scenario switches no balance rule on."),
    # --- compare page
    "cmp.title": ("比较已保存的运行", "Compare saved runs"),
    "cmp.caption": ("在“导出与保存”页保存的运行都在这里；选择两次运行（A 为基准，B 为对比），查看哪些项目进入、退出或名次变化，以及权重和规则的不同。",
                    "Runs saved on the Export & save page are listed here. Pick two (A the reference, B the "
                    "alternative) to see which projects entered, left or moved, and how the weights and rules differ."),
    "cmp.db": ("数据库：{path}", "Database: {path}"),
    "cmp.runs": ("已保存的运行（{n}）", "Saved runs ({n})"),
    "cmp.need2": ("需要至少两次保存的运行才能比较（现有 {n} 次）。请在“导出与保存”页保存当前运行，修改权重或规则后再保存一次。",
                  "Comparing needs at least two saved runs (there are {n}). Save the current run on the Export & save "
                  "page, change the weights or rules, and save again."),
    "cmp.a": ("运行 A（基准）", "Run A (reference)"),
    "cmp.b": ("运行 B（对比）", "Run B (alternative)"),
    "cmp.same": ("请选择两次不同的运行。", "Pick two different runs."),
    "cmp.context": ("两次运行的条件不同：", "The two runs differ in their settings:"),
    "cmp.metric.objective_a": ("A 得分合计", "A total score"),
    "cmp.metric.objective_b": ("B 得分合计", "B total score"),
    "cmp.metric.entered": ("进入", "Entered"),
    "cmp.metric.left": ("退出", "Left"),
    "cmp.metric.moved": ("名次变化", "Moved"),
    "cmp.metric.stayed": ("名次不变", "Unchanged"),
    "cmp.same_selection": ("两次运行推荐的项目相同。", "The two runs recommend the same projects."),
    "cmp.entered": ("进入：B 推荐、A 未推荐", "Entered: recommended in B, not in A"),
    "cmp.left": ("退出：A 推荐、B 未推荐", "Left: recommended in A, not in B"),
    "cmp.moved": ("名次变化：两次都推荐", "Moved: recommended in both"),
    "cmp.stayed": ("名次不变（{n}）", "Unchanged rank ({n})"),
    "cmp.none": ("无。", "None."),
    "cmp.weights": ("权重的不同", "Weights that differ"),
    "cmp.weights.same": ("两次运行的权重相同。", "The two runs have the same weights."),
    "cmp.weights.equivalent": ("给定的权重不同，但两次运行采用的权重相同，得分不变。",
                               "The given weights differ, but the two runs used the same weights: the scores do not change."),
    "cmp.rules": ("规则与设置的不同", "Rules and settings that differ"),
    "cmp.rules.same": ("两次运行的规则与设置相同。", "The two runs have the same rules and settings."),
    "cmp.unset": ("—（未设置）", "— (not set)"),
    "cmp.download": ("下载比较报告（文本）", "Download the comparison (text)"),
    "cmp.col.rank_a": ("A 中名次", "Rank in A"),
    "cmp.col.rank_b": ("B 中名次", "Rank in B"),
    "cmp.col.score_a": ("A 中得分", "Score in A"),
    "cmp.col.score_b": ("B 中得分", "Score in B"),
    "cmp.col.in_a": ("在 A 中", "In A"),
    "cmp.col.in_b": ("在 B 中", "In B"),
    "cmp.col.places": ("上升名次（负数为下降）", "Places up (negative: down)"),
    "cmp.col.setting": ("设置", "Setting"),
    "cmp.col.a": ("运行 A", "Run A"),
    "cmp.col.b": ("运行 B", "Run B"),
    "cmp.standing.ineligible": ("不符合条件", "ineligible"),
    "cmp.standing.invalid": ("数据有误", "invalid row"),
    "cmp.standing.absent": ("不在输入中", "not in the input"),
    "cmp.standing.not_selected": ("未推荐", "not recommended"),
    "cmp.key.input_sha256": ("输入文件", "Input file"),
    "cmp.key.description": ("方案说明", "Scenario description"),
    "cmp.delete": ("删除已保存的运行", "Delete a saved run"),
    "cmp.delete.pick": ("要删除的运行", "Run to delete"),
    "cmp.delete.button": ("删除…", "Delete…"),
    "cmp.delete.confirm": ("确定删除第 {id} 号运行“{name}”吗？删除后无法恢复。", "Delete run {id}, '{name}'? This cannot be undone."),
    "cmp.delete.yes": ("确认删除", "Yes, delete it"),
    "cmp.delete.no": ("取消", "Cancel"),
    "cmp.delete.done": ("已删除第 {id} 号运行“{name}”。", "Deleted run {id}, '{name}'."),
    "cmp.delete.gone": ("第 {id} 号运行已不存在。", "Run {id} no longer exists."),
    # --- export page
    "export.title": ("导出与保存", "Export & save"),
    "export.caption": ("导出的推荐汇总表使用通知要求的中文表头；工作簿还包括未推荐项目、不符合条件项目、无效行、运行信息和得分构成。",
                       "The exported summary uses the official Chinese headers; the workbook also holds the projects not "
                       "recommended, the ineligible, the invalid rows, the run information and the score breakdown."),
    "export.preview": ("推荐汇总表预览（导出格式）", "Preview of the summary table (as exported)"),
    "export.scenario": ("下载方案（TOML）", "Download the scenario (TOML)"),
    "export.json": ("下载完整结果（JSON）", "Download the full result (JSON)"),
    "export.run": ("运行信息", "Run information"),
    "export.save": ("保存本次运行", "Save this run"),
    "export.save.name": ("名称", "Name"),
    "export.save.button": ("保存", "Save"),
    "export.save.done": ("已保存为第 {id} 号运行“{name}”。", "Saved as run {id}, '{name}'."),
    "export.saved": ("已保存的运行", "Saved runs"),
    "export.saved.none": ("尚无保存的运行。", "No saved runs yet."),
    "export.saved.compare": ("保存两次以上的运行后，可在“比较已保存的运行”页比较。",
                             "With two or more saved runs, compare them on the Compare saved runs page."),
    "export.nothing": ("尚无可导出的推荐结果。", "There is no recommendation to export yet."),
    "export.infeasible": ("规则无法同时满足：导出的汇总表没有推荐项目，只列出原因。",
                          "The rules cannot all hold: the exported summary lists no project, only the reasons."),
    # --- issue 12: the summary table and the recommendation letter as Word documents, the unit profile
    "export.docs": ("推荐汇总表与推荐函（Word）", "Summary table and recommendation letter (Word)"),
    "export.docs.caption": ("按通知要求的格式生成，打印后签字盖章即可报送；推荐函为草稿，请核对后使用。",
                            "Laid out as the notice asks: print, sign and stamp. The letter is a draft: check it before use."),
    "export.docs.none": ("没有推荐项目，不生成推荐汇总表和推荐函。", "Nothing is recommended: no summary table or letter is made."),
    "export.docs.score": ("汇总表加“得分”列", "Add the score column to the table"),
    "export.docs.date": ("填报日期 / 成文日期", "Date of the documents"),
    "export.docs.table": ("下载推荐汇总表（Word）", "Download the summary table (Word)"),
    "export.docs.letter": ("下载推荐函（Word）", "Download the recommendation letter (Word)"),
    "export.docs.preview": ("推荐函预览", "Preview of the letter"),
    "export.docs.fonts": ("打印用的电脑需装有字体{body}和{title}（缺少时分别以{body_alt}、{title_alt}代替）。",
                          "The computer that prints needs the fonts {body} and {title} ({body_alt} and {title_alt} "
                          "stand in when they are missing)."),
    "export.profile": ("推荐单位信息（署名与联系人）", "Recommending unit (signature and contact)"),
    "export.profile.caption": ("{unit}的信息只需填写一次，保存在本机的运行记录数据库中。",
                               "Entered once for {unit} and kept in the saved-runs database on this computer."),
    "export.profile.name": ("单位全称（与公章一致）", "Full name as on the seal"),
    "export.profile.co_signers": ("联合署名单位（以“、”分隔）", "Co-signing departments (separated by 、)"),
    "export.profile.contact": ("联系人", "Contact person"),
    "export.profile.phone": ("联系电话", "Phone"),
    "export.profile.email": ("电子邮箱", "E-mail"),
    "export.profile.address": ("通信地址", "Postal address"),
    "export.profile.save": ("保存单位信息", "Save the unit's details"),
    "export.profile.saved": ("单位信息已保存。", "The unit's details are saved."),
    "export.profile.none": ("尚未保存单位信息：文书以“{name}”署名，联系人、联系电话留空待手填。",
                            "No details saved yet: the documents are signed \"{name}\" and the contact lines are left blank to fill in by hand."),
    # --- the expert panel (专家评审), issue 11
    "nav.panel": ("专家评审", "Expert panel"),
    "common.go.panel": ("前往“专家评审”", "Go to Expert panel"),
    "stage.panel": ("专家评分表无法使用", "The score sheets cannot be used"),
    "side.panel": ("专家得分：专家评审（{n} 位专家，{rule}）", "Expert score: the panel ({n} experts, {rule})"),
    "side.panel.std": ("，已按专家标准化", ", standardised per expert"),
    "panel.title": ("专家评审", "Expert panel"),
    "panel.intro": ("上传各位专家的评分表（长表：每行一条评分；宽表：每位专家一个工作表），可附专家名单、回避表和评分标准。"
                    "汇总得分将作为“专家评审得分”用于推荐结果，与命令行 quota-opt recommend --panel 相同。",
                    "Upload the experts' score sheets (long form: a row per score; wide form: a sheet per expert), with "
                    "the experts table, the recusal table and the scoring scheme if you have them. The panel score is "
                    "the expert score of the results, as quota-opt recommend --panel makes it."),
    "panel.sample": ("使用示例评分表（四川省）", "Use the sample panel (Sichuan)"),
    "panel.clear": ("清除评分表", "Clear the panel"),
    "panel.template": ("下载评分表模板", "Download the score-sheet template"),
    "panel.upload.scores": ("专家评分表（可多个，.csv 或 .xlsx）", "Score sheets (one or more, .csv or .xlsx)"),
    "panel.upload.experts": ("专家名单（专家编号、姓名、工作单位、所属集团）", "Experts table (id, name, employer, group)"),
    "panel.upload.recusals": ("回避表（专家编号、项目编号）", "Recusal table (expert id, project id)"),
    "panel.upload.scheme": ("评分标准（评分项、满分）", "Scoring scheme (item, maximum)"),
    "panel.current": ("当前文件：{names}", "Files in use: {names}"),
    "panel.rule": ("汇总方式", "Aggregation"),
    "panel.rule.trimmed": ("去掉一个最高分和一个最低分后取平均", "Drop the highest and the lowest, average the rest"),
    "panel.rule.mean": ("算术平均", "Mean"),
    "panel.rule.median": ("中位数", "Median"),
    "panel.min": ("最少有效评分数", "Minimum valid scores"),
    "panel.std": ("按专家标准化", "Standardise per expert"),
    "panel.std.help": ("将每位专家的得分按其所评项目上全体专家的均值和标准差重新标定，以消除评分宽严差异。",
                       "Rescale each expert's scores to the panel's mean and spread over the projects he scored, "
                       "removing leniency."),
    "panel.thresholds": ("标记阈值", "Flag thresholds"),
    "panel.range": ("极差超过（分）", "Range above (points)"),
    "panel.leniency": ("宽严超过 ±（分）", "Leniency beyond ± (points)"),
    "panel.spearman": ("斯皮尔曼相关低于", "Spearman rho below"),
    "panel.thresholds.used": ("标记阈值：极差 > {range} 分；宽严超出 ±{leniency} 分；斯皮尔曼相关 < {spearman}。",
                              "Thresholds: range > {range} points; leniency beyond ±{leniency} points; Spearman rho < {spearman}."),
    "panel.use": ("在推荐结果中使用专家评审得分", "Use the panel score in the results"),
    "panel.none": ("尚未上传专家评分表：推荐结果使用候选项目表中的专家评审得分。",
                   "No score sheet uploaded: the results use the expert score of the candidate file."),
    "panel.off": ("专家评审得分未启用：推荐结果使用候选项目表中的专家评审得分。",
                  "The panel score is switched off: the results use the expert score of the candidate file."),
    "panel.metric.experts": ("专家", "Experts"),
    "panel.metric.scored": ("有专家得分的项目", "Projects with a panel score"),
    "panel.metric.set_aside": ("有效评分不足", "Too few valid scores"),
    "panel.metric.excluded": ("不计入的评分", "Scores left out"),
    "panel.metric.problems": ("问题", "Problems"),
    "panel.feeds": ("推荐结果中的专家评审得分为本页汇总得分（{rule}；少于 {n} 个有效评分的项目不计分）。",
                    "The results use this page's panel score as the expert score ({rule}; a project with fewer than "
                    "{n} valid scores gets none)."),
    "panel.feeds.std": ("已按专家标准化。", " Standardised per expert."),
    "panel.set_aside": ("以下项目有效评分少于 {n} 个，没有专家得分，不参与排序：{ids}",
                        "These projects have fewer than {n} valid scores: no panel score, left out of the ranking: {ids}"),
    "panel.problems": ("评分表中的问题", "Problems in the score sheets"),
    "panel.problems.none": ("评分表没有发现问题。", "No problem found in the score sheets."),
    "panel.excluded": ("回避与不计入的评分", "Recusals and scores left out"),
    "panel.excluded.none": ("没有不计入的评分。", "No score is left out."),
    "panel.check": ("评审质量检查", "A check on the panel"),
    "panel.kendall": ("肯德尔和谐系数 W = {w}（{m} 位专家、全部专家均有效评分的 {n} 个项目），χ² = {chi2}，自由度 {df}，{p}。",
                      "Kendall's W = {w} ({m} experts, {n} projects scored validly by all), χ² = {chi2}, df {df}, {p}."),
    "panel.kendall.none": ("无法计算肯德尔和谐系数：全部专家均有效评分的项目只有 {n} 个。",
                           "Kendall's W cannot be computed: only {n} projects were scored validly by every expert."),
    "panel.map.excluded": ("不计入", "left out"),
    "panel.map.extreme": ("极差过大项目的最高或最低分", "highest or lowest of a wide-range project"),
    "panel.col.file": ("文件", "File"),
    "panel.col.sheet": ("工作表", "Sheet"),
    "panel.col.column": ("列", "Column"),
    "panel.col.value": ("内容", "Value"),
    "panel.col.severity": ("级别", "Severity"),
    "panel.col.problem": ("问题", "Problem"),
    "panel.col.expert": ("专家编号", "Expert"),
    "panel.col.score": ("评分", "Score"),
    "panel.col.reason": ("原因", "Reason"),
    "panel.col.projects": ("有效评分项目数", "Projects scored"),
    "panel.col.leniency": ("宽严（分）", "Leniency (points)"),
    "panel.col.spearman": ("斯皮尔曼相关", "Spearman rho"),
    "panel.col.flags": ("标记", "Flags"),
    "panel.col.valid": ("有效评分数", "Valid scores"),
    "panel.col.aggregate": ("专家得分", "Panel score"),
    "panel.col.range": ("极差", "Range"),
    "panel.col.std": ("标准差", "Std"),
    "panel.compare": ("不同汇总方式下的推荐", "Picks under each aggregation rule"),
    "panel.compare.caption": ("同一评分、同一规则，分别按三种汇总方式计分：哪些项目会因汇总方式不同而进出推荐名单。",
                              "The same panel and rules, scored under each of the three rules: which projects would "
                              "be picked under one rule and not another."),
    "panel.compare.run": ("比较三种汇总方式", "Compare the three rules"),
    "panel.compare.running": ("正在比较……", "Comparing..."),
    "panel.compare.counts": ("推荐数：去极值平均 {trimmed}，算术平均 {mean}，中位数 {median}。",
                             "Picks: trimmed {trimmed}, mean {mean}, median {median}."),
    "panel.compare.same": ("三种汇总方式推荐的项目相同。", "The three rules pick the same projects."),
    "panel.compare.rank": ("名次（{rule}）", "Rank ({rule})"),
    "panel.compare.score": ("专家得分（{rule}）", "Panel score ({rule})"),
    # --- issue 9 (h3-app): what a new user ran into in the app
    "wi.unreachable": ("仅靠分数无法达到", "Not reachable by score alone"),
    "wi.unreachable.help": ("所需得分超过最高可能得分 100；只有调整规则才可能。",
                            "The score needed is above the highest attainable score of 100; only a change of the rules could do it."),
    "wi.metric.gain.in": ("强制入选多得的总分", "Total score gained by forcing it in"),
    "wi.metric.gain.out": ("强制拿掉多得的总分", "Total score gained by taking it out"),
    "rules.ahp.ok.n": ("CR ≤ {limit:g}（{n} 个指标时的上限）：判断可以接受。",
                       "CR ≤ {limit:g} (the limit for {n} criteria): the judgements are acceptable."),
    "rules.ahp.ok.two": ("两个指标的比较总是一致的。", "A comparison of two criteria is always consistent."),
    "cmp.col.a_used": ("运行 A 采用的权重", "Run A: weight used"),
    "cmp.col.b_used": ("运行 B 采用的权重", "Run B: weight used"),
    "cmp.col.a_given": ("运行 A 滑块（给定）", "Run A: given (sliders)"),
    "cmp.col.b_given": ("运行 B 滑块（给定）", "Run B: given (sliders)"),
    "cmp.ahp.criteria": ("参与比较的指标（按存储顺序）", "criteria (in their stored order)"),
    "cmp.ahp.matrix": ("判断矩阵（逐行，按存储顺序）", "comparison matrix (row by row, in its stored order)"),
    "data.none_eligible": ("没有符合 {unit}{level}推荐条件的项目：文件中项目的所在省份为 {provinces}，与所选推荐单位“{unit}”不一致。"
                           "请在上方选择正确的推荐单位，或上传该单位的候选项目文件。",
                           "No project is eligible for {unit} at the {level} level: the file's projects are in {provinces}, "
                           "not in the chosen unit '{unit}'. Choose the right unit above, or upload that unit's file."),
    "data.none_valid": ("文件中没有有效的候选项目行：请按上方“问题”表修正文件（例如补上缺少的必填列）后重新上传。",
                        "The file has no valid candidate row: correct it as the problems table above says (add a "
                        "missing required column, for one) and upload it again."),
    "data.none_eligible.rules": ("没有符合 {unit}{level}推荐条件的项目：每个项目不符合的条件见上表。",
                                 "No project is eligible for {unit} at the {level} level: the table above says which "
                                 "condition each one fails."),
    "run.status.optimal": ("已得出推荐", "recommended (optimal)"),
    "run.status.infeasible": ("规则无法同时满足", "the rules cannot all hold"),
    "upload.button": ("选择文件", "Upload"),
    "upload.limit": ("单个文件不超过 {mb} MB", "{mb} MB per file"),
    "rules.not_candidate": ("不是符合条件的候选项目", "not an eligible candidate"),
    "rules.exact": ("权重采用载入方案中的精确数值；滑块显示的是四舍五入后的数值，移动某个滑块只改变该指标的权重。",
                    "The weights are the loaded scenario's exact values; the sliders show them rounded, and moving a "
                    "slider changes that criterion's weight alone."),
    "rules.ahp.exact": ("判断矩阵采用载入方案中的精确数值（见下表）；修改任一比较后改用滑块上的标度。",
                        "The comparison matrix is the loaded scenario's, exactly (see the table); once you change a "
                        "comparison the scale values on the sliders apply."),
    # --- issue 13: selection frequency beside the results
    "res.stability.caption": (
        "入选频率：在当前权重附近随机抽取 {n} 组权重（每个权重乘以 {low}～{high} 的随机数，种子 {seed}），"
        "按全部规则重新选择时入选的比例；不低于 {core:.0%} 为核心（绿），不高于 {exterior:.0%} 为外围（灰），其余为临界（橙）。"
        "未推荐项目中只有排在最前的 {rows} 个显示入选频率；全部项目的入选频率见“稳健性与假设分析”页。",
        "Selection frequency: the share of {n} weight samples near the current weights (each weight times a random "
        "number in {low}-{high}, seed {seed}), each selected under every rule, that pick the project; at least "
        "{core:.0%} is core (green), at most {exterior:.0%} exterior (grey), the rest borderline (orange). Of the "
        "projects not recommended, only the first {rows} show it; the Robustness & what-if page lists every project's."),
    "res.stability.error": ("未能计算入选频率：{message}", "The selection frequency could not be computed: {message}"),
    # ---- issue 10: the national quota table, user notice rules (通知规则 page), user reference data
    "nav.notice": ("通知规则", "Notice rules"),
    "common.go.notice": ("前往“通知规则”", "Go to Notice rules"),
    "col.rank": ("名次", "Rank"),
    "col.margin": ("距档次分界", "Margin to tier boundary"),
    "col.margin_pct": ("距分界（%）", "Margin (%)"),
    "col.margin_to": ("分界另一侧最近的省份", "Nearest across the boundary"),
    "col.unit_name": ("推荐单位", "Unit"),
    "quota.all.caption": ("点击表头排序。“距档次分界”是与分界另一侧最近省份数值之差，百分比以两者中较小者为基数。",
                          "Click a header to sort. The margin is the gap to the nearest province across a tier "
                          "boundary; the percentage is of the smaller of the two figures."),
    "quota.all.download": ("下载全国名额表（CSV）", "Download the national table (CSV)"),
    "quota.all.file": ("全国推荐名额表", "national_quotas"),
    "quota.all.one": ("查看一个单位的依据", "One unit's basis"),
    "quota.chart.position": ("全国位次（按数值）", "National position (by figure)"),
    "quota.override.for": ("以下指定只适用于：{unit}，{year} 年{level}。", "The override below is for {unit}, {year}, {level} level only."),
    "quota.userdata": ("新统计年度的参考数据", "Reference data for a new basis year"),
    "quota.userdata.editor": ("或逐省填写（数值与来源）", "Or type the figures (value and source)"),
    "quota.userdata.save": ("保存到用户数据文件夹", "Save to the user data folder"),
    "quota.userdata.saved": ("已保存 {file}，现在使用它。", "Saved {file}; it is used now."),
    "quota.userdata.remove": ("删除用户数据文件夹中的 {file}", "Delete {file} from the user data folder"),
    "notice.title": ("通知规则", "Notice rules"),
    "notice.context": ("每个年度的通知规则：随软件提供的年度，以及您在此或用 quota-opt rules new 新建的年度。",
                       "Each year's notice rules: the years shipped with quota-opt and those you add here or with quota-opt rules new."),
    "notice.year": ("年度", "Year"),
    "notice.origin.shipped": ("随软件提供：{file}", "Shipped with quota-opt: {file}"),
    "notice.origin.user": ("用户规则：{file}", "User rules: {file}"),
    "notice.error": ("该年度的规则无法使用：{message}", "This year's rules cannot be used: {message}"),
    "notice.quota": ("名额规则", "Quota rules"),
    "notice.eligibility": ("申报条件", "Eligibility rules"),
    "notice.download": ("下载该年度规则（TOML）", "Download this year's rules (TOML)"),
    "notice.new": ("新建下一年度的规则", "Start next year's rules"),
    "notice.new.caption": ("以 {year} 年度规则为起点。填写新通知的文号、标题、日期，各层级的档次与名额、名次依据的统计数据和申报门槛；保存前逐项检查。",
                           "Starts from the {year} rules. Fill in the new notice's document number, title and date, each "
                           "level's tiers and quotas, the statistics ranks use and the eligibility thresholds; every field is checked before saving."),
    "notice.f.year": ("新年度", "New year"),
    "notice.f.document": ("通知文号", "Document number"),
    "notice.f.title_zh": ("通知标题（中文）", "Title (Chinese)"),
    "notice.f.title_en": ("通知标题（英文）", "Title (English)"),
    "notice.f.date": ("发布日期（YYYY-MM-DD）", "Date (YYYY-MM-DD)"),
    "notice.f.levels": ("开展的层级", "Levels opened"),
    "notice.f.dataset": ("{rule}：名次/数量依据的数据集", "{rule}: dataset the ranks or counts use"),
    "notice.f.measure": ("{rule}：统计指标名称", "{rule}: name of the statistic"),
    "notice.f.tiers": ("{rule}：档次（界限与名额）", "{rule}: tiers (bound and quota)"),
    "notice.f.fixed": ("{rule}：固定名额", "{rule}: fixed quota"),
    "notice.f.value": ("{rule}：门槛", "{rule}: threshold"),
    "notice.f.save": ("检查并保存", "Check and save"),
    "notice.f.problems": ("以下各项需要修改，尚未保存：", "Fix these fields; nothing was saved yet:"),
    "notice.f.saved": ("已保存 {year} 年度规则到 {path}，所有页面即可使用。", "Saved the {year} rules to {path}; every page can use them now."),
    "notice.col.bound": ("界限", "Bound"),
    "notice.col.quota": ("名额", "Quota"),
    "notice.col.label_zh": ("档次（中文）", "Tier (Chinese)"),
    "notice.col.label_en": ("档次（英文）", "Tier (English)"),
    "notice.col.id": ("规则编号", "Rule id"),
    "notice.col.kind": ("类型", "Kind"),
    "notice.col.level": ("层级", "Level"),
    "notice.col.applies_to": ("适用单位", "Applies to"),
    "notice.col.values": ("取值", "Values"),
    "notice.col.clause": ("条款", "Clause"),
    "notice.col.text": ("原文", "Text"),
    "notice.col.severity": ("性质", "Severity"),
    # h8-review (a new user's review): saved-run times in China Standard Time; where a run's expert score came from
    "cmp.key.panel": ("专家评审得分来源", "Expert score from"),
    "cmp.panel.none": ("候选项目表中的“专家评审得分”列", "the candidate file's expert score column"),
    "cmp.panel.used": ("专家评审汇总（{n} 位专家，{rule}{std}；{files}）", "the panel's aggregate ({n} experts, {rule}{std}; {files})"),
    # --- issue 13, ux (a new user's review): a file under 1 KB said in bytes (an empty one is not "1 KB")
    "data.upload.current.bytes": ("当前文件：{name}（{n} 字节）", "Current file: {name} ({n} bytes)"),
    # --- issue 13, ux3 (a fresh review as an official meets the app): rule kinds, severities and applicable
    # units in words; a sample named by its label, not its file; the dataset by its statistic's name
    "rule.kind.rank_tier": ("按名次分档", "Tiers by rank"),
    "rule.kind.count_tier": ("按获评数量分档", "Tiers by count"),
    "rule.kind.fixed": ("固定名额", "Fixed quota"),
    "rule.kind.via_province": ("由所在省（区、市）统一推荐", "Through its province"),
    "rule.kind.via_factory_province": ("由工厂所在省（区、市）推荐", "Through the factory's province"),
    "rule.kind.unspecified": ("通知未规定名额", "No quota set by the notice"),
    "rule.kind.min_rating": ("已获评层级达到要求", "Current rating high enough"),
    "rule.kind.min_maturity": ("智能制造能力成熟度达到要求", "Maturity level high enough"),
    "rule.kind.all_stages": ("覆盖全部五个环节", "Covers all five stages"),
    "rule.kind.ai_applied": ("开展人工智能技术应用", "AI applied"),
    "rule.kind.min_ai_share": ("人工智能场景占比达到要求", "AI scenario share high enough"),
    "rule.kind.level-match": ("申报层级相符", "Declared level matches"),
    "rule.kind.unit-membership": ("属于本推荐单位", "Belongs to the recommending unit"),
    "rule.value.quota": ("{n} 个", "{n} projects"),
    "rule.value.maturity": ("{n} 级及以上", "level {n} or above"),
    "rule.value.rating": ("{rating}及以上", "{rating} or above"),
    "rule.value.share": ("不低于 {n}%", "at least {n}%"),
    "notice.origin.shipped.doc": ("随软件提供的规则（{document}）", "Shipped with quota-opt ({document})"),
    "notice.bound.rank_max": ("（名次不超过）", "(rank at most)"),
    "notice.bound.count_min": ("（数量不少于）", "(count at least)"),
    "data.summary.sample": ("（示例数据：{name}）", " (sample data: {name})"),
    "quota.source.detail": ("数据来源详情（原始记录，部分为英文）", "Data source in full"),
    "quota.userdata.caption.measure": ("规则读取“{measure}”（数据集 {dataset}），目前来自：{origin}。可上传该数据的 CSV 文件，或逐省填写数值和来源；保存在用户数据文件夹（{folder}），以后每次使用。",
                                       "The rule reads '{measure}' (dataset {dataset}), now from: {origin}. Upload its CSV file, or type "
                                       "each province's figure with its source; it is kept in the user data folder ({folder}) for later use."),
    "export.run.sample": ("示例数据：{name}", "Sample data: {name}"),
    "quota.file.words": ("或上传更正的数据文件（CSV；表头须为英文：province 省份、{figure} {measure}，可选 source 来源、status 数据状态）",
                         "Or upload a corrected data file (CSV with columns province, {figure} ({measure}); optionally source, status)"),
    "quota.userdata.upload.measure": ("上传“{measure}”数据文件（CSV，保存为 {file}）", "Upload the '{measure}' data file (CSV, kept as {file})"),
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def t(key: str, **values: object) -> str:
    """The text of ``key`` in the session's language, with ``values`` filled in."""
    zh, en = TEXT[key]
    text = zh if lang() == "zh" else en
    return text.format(**values) if values else text


def pick(zh: str, en: str) -> str:
    return zh if lang() == "zh" else en


def split(text: str) -> tuple[str, str]:
    """A core message written "中文 / English" as its two halves (the whole text twice if it is not one).

    The cut is the first " / " (or "）/ ", as in "生成时间（北京时间）/ created") with Chinese on its left and no
    Chinese in the first word on its right.
    """
    start = 0
    while True:
        at = text.find("/ ", start)
        if at < 0:
            return text, text
        if at > 0 and text[at - 1] in " ）":
            left, right = text[:at].rstrip(" "), text[at + 2:]
            first_word = right.split(" ", 1)[0]
            if _CJK.search(left) and right and not _CJK.search(first_word):
                return left, right
        start = at + 2


def local(text: str) -> str:
    """The session's half of a "中文 / English" message."""
    return pick(*split(text))


def label(name: str) -> str:
    """The header of a candidate or output column in the session's language (the core's labels,
    capitalised in English: "project id" heads a table as "Project id")."""
    text = output_label(name, lang()) if name else name
    return text[:1].upper() + text[1:] if lang() == "en" else text


def level_name(level: str) -> str:
    """A level's name in the session's language; an unknown value (a damaged saved run) shown as it is."""
    try:
        known = Level(level)
    except ValueError:
        return str(level)
    return known.zh if lang() == "zh" else level


def esc(text: object) -> str:
    """User text made inert in Markdown: every ASCII punctuation mark that Markdown, HTML, LaTeX or a
    Streamlit directive could read is backslash-escaped, so the text shows as typed."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def unit_name(name: str) -> str:
    """A recommending unit's name in the session's language (English: "Sichuan"; an unknown name as it is)."""
    if lang() == "zh":
        return name
    unit = lookup_unit(name)
    if unit is None:
        return name
    if unit.group:
        return f"Central enterprise {unit.group}"
    return unit.name_en


def criterion(name: str) -> str:
    """A criterion's name in the session's language ("Expert score")."""
    text = column_label(name, lang())
    return text[:1].upper() + text[1:] if lang() == "en" else text


def fmt(options: Iterable[object], text: Callable[[object], str]) -> Callable[[object], str]:
    """A widget's ``format_func``: every option's text made now, in the session's language (Streamlit may
    call a format_func again after the run, when the session's state is out of reach)."""
    table = {option: text(option) for option in options}
    return lambda option: table.get(option, str(option))


__all__ = ["LANGS", "LANG_NAMES", "TEXT", "criterion", "esc", "fmt", "label", "lang", "level_name", "local", "pick",
           "split", "t", "unit_name"]
