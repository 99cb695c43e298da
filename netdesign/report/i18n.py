"""Chinese and English labels, display units and number formats for the report, compare, export.

Every user-facing text goes through `t(key, lang)`; quantities go through a `DisplayUnit`
that says how to scale a value for display (e.g. parcels/day shown as 万件/日 in Chinese,
thousand parcels/day in English) and how to label it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

# The glossary: key -> (zh, en). Values of the results (modes, service classes, statuses, the
# default study's cases and policies, node kinds, link roles, cost components) are keys here
# too, so that `term()` shows them in the reader's language. Chinese text uses full-width
# punctuation (：，（）), English half-width. The pilot's own terms are those of the Hangzhou
# plan (杭政办函〔2020〕20号): 两进一出, 快递进村, 快递进厂, 快递出海, 全球123快货物流圈.
LABELS: dict[str, tuple[str, str]] = {
    # modes
    "road": ("公路", "Road"),
    "rail": ("铁路", "Rail"),
    "water": ("水运", "Water"),
    "air": ("航空", "Air"),
    # service classes (the 全球123快货物流圈 of the pilot plan)
    "domestic": ("国内1天送达", "Domestic, 1 day"),
    "neighbouring": ("周边国家2天送达", "Neighbouring countries, 2 days"),
    "global": ("全球主要城市3天送达", "Major world cities, 3 days"),
    # cost components
    "transport": ("运输", "Transport"),
    "handling": ("分拣处理", "Handling"),
    "capacity": ("扩能", "Capacity"),
    "carbon": ("碳成本", "Carbon"),
    "late_penalty": ("延误罚金", "Late penalty"),
    "unserved_penalty": ("未满足需求罚金", "Unserved penalty"),
    # link roles
    "collection": ("揽收", "Collection"),
    "linehaul": ("干线", "Line-haul"),
    "distribution": ("派送", "Distribution"),
    # node kinds
    "district": ("城区", "District"),
    "city": ("城市", "City"),
    "county": ("县（快递进村）", "County (into villages)"),
    "industrial_park": ("产业园区（快递进厂）", "Industrial park (into factories)"),
    "airport": ("机场货站", "Airport cargo terminal"),
    "rail_terminal": ("铁路货运站", "Rail freight terminal"),
    "port": ("港口", "Seaport"),
    "overseas_gateway": ("境外枢纽", "Overseas gateway"),
    # solver statuses
    "optimal": ("最优", "Optimal"),
    "feasible": ("可行（未证最优）", "Feasible (not proven optimal)"),
    "infeasible": ("不可行", "Infeasible"),
    "unbounded": ("无界", "Unbounded"),
    "infeasible_or_unbounded": ("不可行或无界", "Infeasible or unbounded"),
    "no_solution": ("无解", "No solution"),
    "time_limit_no_solution": ("达时限仍无解", "No solution at the time limit"),
    "error": ("求解出错", "Error"),
    "killed": ("求解进程中止", "Worker killed"),
    # the default study's cases and policies
    "case_growth_low": ("低增长", "Low growth"),
    "case_growth_base": ("基准增长", "Base growth"),
    "case_growth_high": ("高增长", "High growth"),
    "case_costs_base": ("基准成本", "Base costs"),
    "case_costs_high_fuel": ("燃油涨价", "High fuel prices"),
    "case_costs_cheap_rail": ("铁路降价", "Cheaper rail"),
    "case_policy_none": ("无政策约束", "No policy constraint"),
    "case_policy_rail_push": ("铁路份额下限", "Rail share floor"),
    "case_policy_co2_cap": ("碳排放总量上限", "CO2 cap"),
    "case_policy_one_two_three": ("123时效刚性约束", "1-2-3 day standards enforced"),
    "case_demand_quantile_mean": ("需求均值", "Mean demand"),
    "case_demand_quantile_hi_80": ("需求80%上界", "Demand at 80% upper bound"),
    "case_demand_quantile_hi_95": ("需求95%上界", "Demand at 95% upper bound"),
    # status flags (status.py)
    "flag_no_solution": ("无可用解，数值空缺", "no usable solution; figures blank"),
    "flag_time_limit": ("达到求解时限后停止", "stopped at the solver's time limit"),
    "flag_gap": ("间隙 {gap} 高于设定的 {tol}", "gap {gap} above the configured {tol}"),
    "flag_unserved": ("有 {n} 件/日需求未满足", "{n} parcels/day of demand unserved"),
    "flags": ("提示", "Flags"),
    "flags_note": ("带 ⚠ 的情景未达到设定的求解精度或有需求未满足，其数值仅供参考。",
                   "Scenarios marked ⚠ did not reach the configured solver tolerance or leave "
                   "demand unserved: read their figures with care."),
    # pilot terms
    "pilot": ("杭州快递业“两进一出”工程试点", "Hangzhou express “two in, one out” pilot"),
    "circle_123": ("全球123快货物流圈", "Global 1-2-3 day express circle"),
    "existing": ("现有能力", "Existing"),
    "added": ("新增能力", "Added"),
    # report structure
    "report_title": ("多式联运快递网络方案比较报告", "Multimodal express network: scenario report"),
    "study": ("研究", "Study"),
    "scenarios": ("情景", "Scenarios"),
    "scenario": ("情景", "Scenario"),
    "summary": ("主要指标", "Headline figures"),
    "summary_note": ("经济成本为运输、分拣、扩能与碳成本；罚金为延误与未满足需求的罚金，"
                     "是模型中的计价，不是实际支出（总成本 = 经济成本 + 罚金）。"
                     "运输方式份额为干线件公里份额。",
                     "Economic cost: transport, handling, capacity and carbon; penalties: the "
                     "model's prices on late and unserved parcels, not money spent (total "
                     "cost = economic cost + penalties). Mode shares are shares of line-haul "
                     "parcel-km."),
    "mode_split": ("运输方式结构", "Mode split"),
    "mode_parcels": ("各干线运输方式件量", "Parcels by main line-haul mode"),
    "mode_pkm": ("干线件公里", "Line-haul parcel-km"),
    "hub_capacity": ("枢纽分拣能力：现有与新增", "Hub sorting capacity: existing and added"),
    "hub_utilisation": ("枢纽利用率", "Hub utilisation"),
    "cost_breakdown": ("成本构成", "Cost breakdown"),
    "co2": ("二氧化碳排放", "CO2 emissions"),
    "on_time": ("全球123快货物流圈：准时送达率", "Global 1-2-3 day circle: on-time share"),
    "rural": ("快递进村：农村线路发车频次", "Into villages: rural-route frequencies"),
    "rural_required": ("要求频次", "Required"),
    "rural_provided": ("实际频次", "Provided"),
    "rural_min": ("最低要求频次", "Minimum required"),
    "rural_lowest": ("各情景中的最低频次", "Lowest across scenarios"),
    "rural_unopened": ("未启用枢纽的备选线路不计", "legs of unopened optional hubs not shown"),
    "no_rural": ("数据中没有农村线路。", "There are no rural routes in the data."),
    "unserved": ("未满足需求", "Unserved demand"),
    "no_unserved": ("各情景均无未满足需求。", "No scenario leaves demand unserved."),
    "forecasts": ("主要通道需求预测", "Forecasts for the largest corridors"),
    "no_forecasts": ("结果文件中没有预测数据。", "The results file holds no forecasts."),
    "no_data": ("结果文件中没有此项数据。", "The results file holds no data for this."),
    "no_solution_any": ("没有情景得到可用解，无法作图。",
                        "No scenario has a usable solution to draw."),
    "history": ("历史", "History"),
    "forecast_mean": ("预测均值", "Forecast (mean)"),
    "pi_80": ("80%预测区间", "80% prediction interval"),
    "pi_95": ("95%预测区间", "95% prediction interval"),
    "network_map": ("网络图", "Network map"),
    "map_note": ("线路颜色表示运输方式，线宽表示流量；远距离线路按大圆航线绘制，"
                 "水运线路沿主要航道示意。底图：中国国界按国家标准地图口径"
                 "（数据见报告末尾说明）。",
                 "Leg colour = mode, width = flow; long legs drawn as great circles, sea legs "
                 "along the main shipping lanes (schematic). "
                 "Basemap: China's boundary as on official Chinese maps (sources at the end "
                 "of the report)."),
    "map_all": ("全部", "All"),
    "map_world": ("全球", "World"),
    "map_china": ("中国", "China"),
    "map_local": ("研究区域", "Study area"),
    "basemap_sources": ("底图数据来源", "Basemap sources"),
    "nodes": ("节点", "Nodes"),
    "unused_link": ("未使用线路", "Unused leg"),
    "provenance": ("数据来源与可追溯信息", "Provenance"),
    "config_hash": ("配置哈希", "Config hash"),
    "data_source": ("数据来源", "Data source"),
    "data_version": ("数据版本", "Data version"),
    "created_utc": ("生成时间（UTC）", "Created (UTC)"),
    "netdesign_version": ("netdesign 版本", "netdesign version"),
    "package_versions": ("软件包版本", "Package versions"),
    "solver": ("求解状态", "Solver status"),
    "status": ("状态", "Status"),
    "mip_gap": ("MIP 间隙", "MIP gap"),
    "solve_seconds": ("求解时间", "Solve time"),
    "message": ("信息", "Message"),
    "config_yaml": ("研究配置（YAML）", "Study config (YAML)"),
    "unknown": ("未知", "unknown"),
    "year": ("年份", "Year"),
    "growth": ("增长情景", "Growth case"),
    "costs": ("成本情景", "Cost case"),
    "policy": ("政策", "Policy"),
    "demand_quantile": ("需求取值", "Demand quantile"),
    "carbon_price": ("碳价", "Carbon price"),
    "total_cost": ("总成本", "Total cost"),
    "on_time_share": ("准时率", "On-time share"),
    "unserved_total": ("未满足需求", "Unserved demand"),
    "hub_capacity_added": ("枢纽新增能力", "Hub capacity added"),
    "share": ("份额", "share"),
    "generated_by": ("本报告由 netdesign {version} 生成", "Generated by netdesign {version}"),
    "mode": ("运输方式", "Mode"),
    "hub": ("枢纽", "Hub"),
    "link": ("线路", "Link"),
    "kind": ("类型", "Kind"),
    "corridor": ("通道", "Corridor"),
    "service_class": ("服务等级", "Service class"),
    "cost_component": ("成本项", "Cost component"),
    "month": ("月份", "Month"),
    "period": ("期间", "Period"),
    "from": ("起点", "From"),
    "to": ("终点", "To"),
    "origin": ("始发地", "Origin"),
    "destination": ("目的地", "Destination"),
    "role": ("线路类型", "Role"),
    "distance": ("距离", "Distance"),
    "flow": ("流量", "Flow"),
    "link_capacity": ("线路能力", "Link capacity"),
    "modules_added": ("新增班次", "Modules added"),
    "departures": ("每周发车", "Departures per week"),
    "min_frequency": ("最低每周发车", "Minimum departures per week"),
    "demand": ("需求", "Demand"),
    "late": ("延误件量", "Late parcels"),
    "on_time_parcels": ("准时件量", "On-time parcels"),
    "throughput": ("处理量", "Throughput"),
    "capacity_after": ("扩能后能力", "Capacity after expansion"),
    "name": ("名称", "Name"),
    "value": ("值", "Value"),
    "change": ("变化", "Change"),
    "base": ("基准", "Base"),
    "all_classes": ("全部服务等级", "All classes"),
    "capacity_changes": ("能力变化的枢纽与线路", "Hubs and links that change capacity"),
    "comparison": ("情景比较", "Scenario comparison"),
    "kpi_base": ("基准情景主要指标", "Base scenario at a glance"),
    "change_vs_base": ("相对基准的变化", "Change versus the base"),
    "tradeoff_co2": ("成本与碳排放的权衡", "Cost versus CO2"),
    "tradeoff_on_time": ("成本与准时率的权衡", "Cost versus on-time share"),
    "title_page_note": ("情景数", "Scenarios"),
    "contents": ("目录", "Contents"),
    "months": ("预测月数", "Months forecast"),
    "served": ("已服务件量", "Parcels served"),
    "co2_per_parcel": ("单件碳排放", "CO2 per parcel"),
    "id": ("编号", "Id"),
    "gap_tolerance": ("设定间隙", "Gap tolerance"),
    "all_classes_short": ("全部", "All"),
    # into factories (report/parks.py, issue 15)
    "parks": ("快递进厂：重点园区", "Into factories: key industrial parks"),
    "park": ("园区", "Park"),
    "park_volume": ("各细分需求件量", "Volume by segment"),
    "park_tonnes": ("货量", "Tonnes"),
    "park_mode_split": ("运输方式（件量份额）", "Mode split (share of parcels)"),
    "park_cost": ("运输、分拣与碳成本", "Transport, handling and carbon cost"),
    "park_cost_per_tkm": ("单位干线吨公里成本", "Cost per line-haul tonne-km"),
    "park_dc": ("仓配一体中心", "Warehouse-and-distribute centre"),
    "park_dc_closed": ("未启用", "not opened"),
    "park_dc_none": ("无备选", "no candidate"),
    "parks_note": ("园区通道：起点或终点为该园区的通道。成本不含扩能成本（各园区共用）。"
                   "件量按件计，吨数按各细分需求的单件重量折算；仓配一体中心能力以标准件"
                   "（1.2千克）计。",
                   "A park's corridors start or end at it. Costs exclude capacity costs (shared "
                   "by all parks). Volumes count pieces; tonnes use each segment's weight per "
                   "piece; centre capacity is in reference parcels (1.2 kg)."),
    "segment_parts_inbound": ("入厂物流（零部件）", "Inbound parts to plants"),
    "segment_order_outbound": ("订单快递（出厂）", "Outbound orders from plants"),
    "segment_reverse": ("逆向物流", "Reverse logistics to plants"),
    # cost split and on-time by class (summary.csv, issue 13)
    "economic_cost": ("经济成本", "Economic cost"),
    "penalty_cost": ("罚金（延误与未满足）", "Penalties (late and unserved)"),
    "on_time_share_domestic": ("国内1天送达准时率", "On time, domestic (1 day)"),
    "on_time_share_neighbouring": ("周边国家2天送达准时率", "On time, neighbouring (2 days)"),
    "on_time_share_global": ("全球主要城市3天送达准时率", "On time, global (3 days)"),
    # design-day sizing (planning:, issue 14)
    "peak_factor": ("设计日系数", "Design-day factor"),
    "max_utilisation": ("设计日利用率上限", "Utilisation cap (design day)"),
    "max_hub_utilisation_peak": ("设计日最高枢纽利用率", "Highest hub use on the design day"),
    "hub_utilisation_avg": ("平均日利用率", "Average day"),
    "hub_utilisation_peak": ("设计日利用率", "Design day"),
    "hub_utilisation_cap": ("利用率上限", "Utilisation cap"),
    "hub_utilisation_pair": ("枢纽利用率：设计日（柱）与平均日（短横）",
                             "Hub utilisation: design day (bars), average day (ticks)"),
    # the base-year check (calibration.csv)
    "calibration": ("基年校核：模型与实际观测", "Base-year check: model against observed"),
    "calibration_note": ("以最后一个历史年份的需求、仅用现有能力求解，模型结果与公开数据对照；"
                         "“–”表示无公开数据。",
                         "The last history year solved with existing capacity only, beside "
                         "published figures; '–' where nothing is published."),
    "no_calibration": ("结果中没有基年校核（研究未附观测数据 calibration_observed.csv，"
                       "或结果由旧版本写出）。",
                       "The results hold no base-year check (the study ships no "
                       "calibration_observed.csv, or the results predate it)."),
    "figure": ("指标", "Figure"),
    "model": ("模型", "Model"),
    "observed": ("实际观测", "Observed"),
    "unit_col": ("单位", "Unit"),
    "source": ("来源", "Source"),
    "ratio": ("模型/观测", "Model / observed"),
    # the price of the circle (sweep over on_time_floor_<class>, issue 13)
    "price_of_circle": ("全球123快货物流圈的代价：准时率下限与成本",
                        "The price of the circle: cost against the on-time floor"),
    "price_of_circle_note": ("每个点是一个求解方案。横轴：该服务等级实际达到的准时率"
                             "（点旁标注所要求的下限及经济成本相对无下限方案的变化）；纵轴：日成本，实线为经济成本"
                             "（运输、分拣、扩能、碳），虚线为含延误与未满足罚金的总成本。",
                             "Each point is one design. Across: the on-time share the class "
                             "reaches (labelled with the floor required and the economic cost "
                             "against the design without a floor); up: cost per day, solid the "
                             "economic cost (transport, handling, capacity, carbon), dashed the "
                             "total with the late and unserved penalties."),
    "no_circle_sweep": ("结果中没有准时率下限的扫描。要得到此曲线：在研究配置的 sweep 中"
                        "按某服务等级设置 on_time_floor_global"
                        "（或 _neighbouring、_domestic）的取值，运行 "
                        "netdesign sweep，再对其 results.nc 生成报告（见 docs/sweeps.md）。",
                        "The results hold no sweep over an on-time floor. To draw this curve, "
                        "give on_time_floor_global (or _neighbouring, _domestic) several values "
                        "in the study's sweep, run netdesign sweep and report its results.nc "
                        "(docs/sweeps.md)."),
    "floor": ("准时率下限", "On-time floor"),
    "floor_none": ("无下限", "no floor"),
    "floor_part": ("{cls}准时率≥{share}", "{cls} on time ≥ {share}"),
    "floor_domestic": ("国内", "Domestic"),
    "floor_neighbouring": ("周边", "Neighbouring"),
    "floor_global": ("全球", "Global"),
    "achieved": ("实际准时率", "On-time share reached"),
    "infeasible_floor": ("不可达（不可行）", "cannot be reached (infeasible)"),
    # demand segments (issue 13)
    "segments": ("分客群：件量、运输方式与准时率", "Demand segments: volume, mode and on time"),
    "segment": ("客群", "Segment"),
    "segment_table_note": ("件量为日均需求；运输方式份额按件数（主干线方式）计。",
                           "Volumes are average-day demand; mode shares are shares of parcels "
                           "by main line-haul mode."),
    "no_segments": ("结果中没有分客群数据。", "The results hold no demand segments."),
    "on_time_by_segment": ("各客群准时率", "On-time share by segment"),
    "segment_more": ("表中列出前 {n} 个情景；全部情景见 Excel 导出的“分客群准时率”表。",
                     "The table lists the first {n} scenarios; all are in the Excel export's "
                     "'on-time by segment' sheet."),
    "segment_parcel": ("国内电商包裹", "Domestic B2C parcels"),
    "segment_direct_mail": ("跨境直邮", "Cross-border direct mail"),
    "segment_restocking": ("海外仓备货", "Overseas-warehouse restocking"),
    # the network map's flow legend (netmap.py)
    "map_other_flows": ("其余线路（合并）", "Other legs (merged)"),
    "map_corridor": ("走廊", "Corridor"),
    "map_width_legend": ("线宽：日流量", "Width: parcels/day"),
    "map_legs_note": ("画出件公里最大的 {n} 条线路（占件公里 {share}）；同方向、同方式的"
                      "远程线路合并为走廊示意，往返合并。",
                      "The {n} legs with the most parcel-km are drawn ({share} of parcel-km); "
                      "long legs of one mode and direction are bundled into corridors "
                      "(schematic), both directions as one."),
}

# display units: key -> (zh label, zh divisor, en label, en divisor)
_UNITS: dict[str, tuple[str, float, str, float]] = {
    "parcels_day": ("万件/日", 1e4, "thousand parcels/day", 1e3),
    "pkm_day": ("亿件公里/日", 1e8, "million parcel-km/day", 1e6),
    "cny_day": ("万元/日", 1e4, "thousand CNY/day", 1e3),
    "t_day": ("吨 CO2/日", 1.0, "t CO2/day", 1.0),
    "share": ("%", 0.01, "%", 0.01),
    "parcels_month": ("万件/月", 1e4, "thousand parcels/month", 1e3),
    "per_week": ("班次/周", 1.0, "departures/week", 1.0),
    "cny_t": ("元/吨", 1.0, "CNY/t", 1.0),
    "tonnes_day": ("吨/日", 1.0, "t/day", 1.0),
    "cny_tkm": ("元/吨公里", 1.0, "CNY/t-km", 1.0),
    "km": ("公里", 1.0, "km", 1.0),
    "s": ("秒", 1.0, "s", 1.0),
}

# raw (SI-like) unit labels for tables that show unscaled values (export, compare)
RAW_UNITS: dict[str, tuple[str, str]] = {
    "parcels_day": ("件/日", "parcels/day"),
    "pkm_day": ("件公里/日", "parcel-km/day"),
    "cny_day": ("元/日", "CNY/day"),
    "t_day": ("吨 CO2/日", "t CO2/day"),
    "share": ("比例", "share"),
    "parcels_month": ("件/月", "parcels/month"),
    "parcels_year": ("件/年", "parcels/year"),
    "kg_parcel": ("千克 CO2/件", "kg CO2/parcel"),
    "per_week": ("班次/周", "departures/week"),
    "modules": ("班次/日", "modules (departures/day)"),
    "cny_t": ("元/吨 CO2", "CNY/t CO2"),
    "km": ("公里", "km"),
    "s": ("秒", "s"),
    "none": ("", ""),
}


def check_lang(lang: str) -> Lang:
    """Return `lang` if it is supported, else raise ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; choose one of {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


# glossary keys asked for but missing (a test renders the zh report and expects none)
MISSING: set[str] = set()
CASE_FIELDS = ("growth", "costs", "policy", "demand_quantile")


def t(key: str, lang: str) -> str:
    """The label `key` in `lang` (zh or en); unknown keys are returned unchanged (and
    recorded in `MISSING`)."""
    pair = LABELS.get(key)
    if pair is None:
        MISSING.add(key)
        return key
    return pair[0] if lang == "zh" else pair[1]


def term(value: str, lang: str) -> str:
    """A value of the results (mode, service class, status, node kind, role, cost component)
    in `lang`; a value not in the glossary is shown with '_' as spaces (and recorded)."""
    if value in LABELS:
        return t(value, lang)
    MISSING.add(value)
    return value.replace("_", " ")


def case_value(field: str, value: str, lang: str) -> str:
    """A scenario's case (field: growth, costs, policy, demand_quantile) in `lang`, e.g.
    case_value('policy', 'rail_push', 'zh') -> '铁路份额下限'. A case the glossary does
    not know (a user's own) is shown as named in the config, '_' as spaces (and recorded)."""
    key = f"case_{field}_{value}"
    if key in LABELS:
        return t(key, lang)
    MISSING.add(key)
    return value.replace("_", " ")


def colon(lang: str) -> str:
    """'：' in Chinese, ': ' in English."""
    return "：" if lang == "zh" else ": "


def paren(text: str, lang: str) -> str:
    """'（text）' in Chinese, ' (text)' in English (the space belongs to the English form)."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def sep(lang: str) -> str:
    """List separator: '、' in Chinese, ', ' in English."""
    return "、" if lang == "zh" else ", "


@dataclass(frozen=True)
class DisplayUnit:
    """How a quantity is shown in charts: value / divisor, labelled `label`."""

    label: str
    divisor: float

    def scale(self, value: float) -> float:
        return value / self.divisor


def unit(key: str, lang: str) -> DisplayUnit:
    """The display unit of a quantity kind (parcels_day, pkm_day, cny_day, t_day, share, ...)."""
    zh_label, zh_div, en_label, en_div = _UNITS[key]
    return DisplayUnit(zh_label, zh_div) if lang == "zh" else DisplayUnit(en_label, en_div)


def raw_unit(key: str, lang: str) -> str:
    """The label of an unscaled unit, e.g. 'parcels/day' or '件/日'."""
    zh, en = RAW_UNITS[key]
    return zh if lang == "zh" else en


def header(label_key: str, unit_key: str, lang: str) -> str:
    """A column header with its unit, e.g. 'Total cost (CNY/day)' or '总成本 (元/日)'."""
    u = raw_unit(unit_key, lang)
    return f"{t(label_key, lang)}{paren(u, lang)}" if u else t(label_key, lang)


def fmt_number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number in the conventions of `lang`.

    zh: 万 (10^4) and 亿 (10^8) for large magnitudes, e.g. 1 234 567 -> '123.46万';
    en: thousands separators, e.g. '1,234,567'. NaN/None -> '–'.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    if lang == "zh":
        if abs(v) >= 1e8:
            return f"{v / 1e8:,.2f}亿"
        if abs(v) >= 1e4:
            return f"{v / 1e4:,.2f}万"
        return f"{v:,.{digits}f}"
    return f"{v:,.{digits}f}"


def fmt_share(value: float | None, digits: int = 1) -> str:
    """A share (0..1) as a percentage, e.g. 0.1234 -> '12.3%'. NaN/None -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.{digits}f}%"


def fmt_signed(value: float | None, lang: str, digits: int = 0, share: bool = False) -> str:
    """A difference with an explicit sign ('+1,200', '−3.4%'); NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    sign = "+" if v > 0 else ("−" if v < 0 else "±")
    body = fmt_share(abs(v), digits) if share else fmt_number(abs(v), lang, digits)
    return f"{sign}{body}"


def plotly_separators(lang: str) -> str:
    """Plotly `layout.separators` (decimal then thousands); both languages use '.' and ','."""
    return ".,"
