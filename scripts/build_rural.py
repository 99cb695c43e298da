"""Build the default study's rural-tier tables (issue 15, "into villages"):
netdesign/data/default/hangzhou/rural_counties.csv and rural_townships.csv.

Every figure is cited in DATA_SOURCES.md ("Rural tier"); what is an estimate, and how it is
made, is said here and there:

- village counts per county are published figures (one is scaled, see Jiande);
- village counts per township are NOT public in the sources found: each county's total is
  split over its townships, weight 1 per town (镇) or township (乡) and 0.5 per subdistrict
  (街道, mostly urban communities), largest remainder;
- township names are those the sources list; where a source gives only counts (Lin'an,
  Fuyang) the townships are numbered units of the right kind;
- distances come from area: the mean distance from the centre of a disc of area A to a point
  of it is (2/3) sqrt(A/π); times 1.3 for winding roads; trunk_km from the county's area
  (county seat -> township), village_km from the area per township (station -> village);
- bus_runs_per_week is left empty (no public timetable per township): the config's bus
  limit applies.

Run: .venv/bin/python scripts/build_rural.py
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "netdesign" / "data" / "default" / "hangzhou"
CIRCUITY = 1.3
SUBDISTRICT_WEIGHT = 0.5

#: county node -> (name_en, name_zh, villages, population, urban population, area km2)
COUNTIES = {
    # 181 villages (2021), Shanghai Daily; residents 455,000 of which urban 322,600 (start of
    # 2022), 桐庐县 Wikipedia; area 1,829.59 km2, same.
    "HZ_TONGLU": ("Tonglu", "桐庐县", 181, 455_000, 322_600, 1829.59),
    # 337 villages "as of 2025" (the older listing's 425 predates the 2019 mergers); census
    # 2020 residents 328,957, urban 153,611; area 4,417.48 km2 (淳安县 Wikipedia).
    "HZ_CHUNAN": ("Chun'an", "淳安县", 337, 328_957, 153_611, 4417.48),
    # 513 villages and 505,000 people in the 2005 listing (97616.net); villages scaled by
    # Chun'an's merger ratio 337/425 -> 407 [estimate]; urban share not found -> the mean
    # rural share of the other four counties [estimate]; area 2,321 km2.
    "HZ_JIANDE": ("Jiande", "建德市", round(513 * 337 / 425), 505_000, None, 2321.0),
    # 298 villages, 5 subdistricts and 13 towns/townships (chacimao.com 2025); census 2020
    # residents 634,555, urban 376,348; area 3,118.77 km2 (临安区 Wikipedia).
    "HZ_LINAN": ("Lin'an", "临安区", 298, 634_555, 376_348, 3118.77),
    # 276 villages, 5 subdistricts, 13 towns, 6 townships (end 2012, hz.2233323.com); census
    # 2020 residents 832,017, urban 584,196; area 1,821.03 km2 (富阳区 Wikipedia).
    "HZ_FUYANG": ("Fuyang", "富阳区", 276, 832_017, 584_196, 1821.03),
}

#: county node -> [(name_zh, name_en, kind)] with kind subdistrict / town / township
TOWNSHIPS: dict[str, list[tuple[str, str, str]]] = {
    "HZ_TONGLU": [
        *[(z, e, "subdistrict") for z, e in (("桐君街道", "Tongjun"), ("旧县街道", "Jiuxian"),
                                             ("城南街道", "Chengnan"), ("凤川街道", "Fengchuan"))],
        *[(z, e, "town") for z, e in (("富春江镇", "Fuchunjiang"), ("横村镇", "Hengcun"),
                                      ("江南镇", "Jiangnan"), ("分水镇", "Fenshui"),
                                      ("瑶琳镇", "Yaolin"), ("百江镇", "Baijiang"))],
        *[(z, e, "township") for z, e in (("莪山畲族乡", "Eshan She"), ("钟山乡", "Zhongshan"),
                                          ("新合乡", "Xinhe"), ("合村乡", "Hecun"))],
    ],
    "HZ_CHUNAN": [
        *[(z, e, "town") for z, e in (
            ("千岛湖镇", "Qiandaohu"), ("文昌镇", "Wenchang"), ("石林镇", "Shilin"),
            ("临岐镇", "Linqi"), ("威坪镇", "Weiping"), ("姜家镇", "Jiangjia"),
            ("梓桐镇", "Zitong"), ("汾口镇", "Fenkou"), ("中洲镇", "Zhongzhou"),
            ("大墅镇", "Dashu"), ("枫树岭镇", "Fengshuling"))],
        *[(z, e, "township") for z, e in (
            ("里商乡", "Lishang"), ("金峰乡", "Jinfeng"), ("富文乡", "Fuwen"),
            ("左口乡", "Zuokou"), ("屏门乡", "Pingmen"), ("瑶山乡", "Yaoshan"),
            ("王阜乡", "Wangfu"), ("宋村乡", "Songcun"), ("鸠坑乡", "Jiukeng"),
            ("浪川乡", "Langchuan"), ("界首乡", "Jieshou"), ("安阳乡", "Anyang"))],
    ],
    "HZ_JIANDE": [
        *[(z, e, "subdistrict") for z, e in (("洋溪街道", "Yangxi"), ("更楼街道", "Genglou"),
                                             ("新安江街道", "Xin'anjiang"))],
        *[(z, e, "town") for z, e in (
            ("梅城镇", "Meicheng"), ("下涯镇", "Xiaya"), ("杨村桥镇", "Yangcunqiao"),
            ("乾潭镇", "Qiantan"), ("三都镇", "Sandu"), ("寿昌镇", "Shouchang"),
            ("大同镇", "Datong"), ("航头镇", "Hangtou"), ("李家镇", "Lijia"),
            ("大洋镇", "Dayang"), ("莲花镇", "Lianhua"), ("大慈岩镇", "Daciyan"))],
        ("钦堂乡", "Qintang", "township"),
    ],
    "HZ_LINAN": [
        *[(f"临安街道{i}", f"Lin'an subdistrict {i}", "subdistrict") for i in range(1, 6)],
        *[(f"临安乡镇{i}", f"Lin'an town {i}", "town") for i in range(1, 14)],
    ],
    "HZ_FUYANG": [
        *[(f"富阳街道{i}", f"Fuyang subdistrict {i}", "subdistrict") for i in range(1, 6)],
        *[(f"富阳镇{i}", f"Fuyang town {i}", "town") for i in range(1, 14)],
        *[(f"富阳乡{i}", f"Fuyang township {i}", "township") for i in range(1, 7)],
    ],
}
PREFIX = {"HZ_TONGLU": "TL", "HZ_CHUNAN": "CA", "HZ_JIANDE": "JD", "HZ_LINAN": "LA",
          "HZ_FUYANG": "FY"}


def split_largest_remainder(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, whole numbers summing to `total`."""
    raw = [total * w / sum(weights) for w in weights]
    out = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[:total - sum(out)]:
        out[i] += 1
    return out


def mean_km(area_km2: float) -> float:
    """Road km from the centre of a disc of `area_km2` to a mean point of it."""
    return round(CIRCUITY * 2.0 / 3.0 * math.sqrt(area_km2 / math.pi), 1)


def build() -> tuple[pd.DataFrame, pd.DataFrame]:
    known = [(p, u) for _, _, _, p, u, _ in COUNTIES.values() if u is not None]
    mean_rural = sum(1 - u / p for p, u in known) / len(known)
    counties, towns = [], []
    for node, (en, zh, villages, pop, urban, area) in COUNTIES.items():
        urban_est = urban is None
        if urban_est:
            urban = round(pop * (1 - mean_rural))
        counties.append({"county_node": node, "name_en": en, "name_zh": zh,
                         "villages": villages, "population": pop, "urban_population": urban,
                         "area_km2": area,
                         "estimated": "villages, urban_population" if urban_est else ""})
        units = TOWNSHIPS[node]
        weights = [SUBDISTRICT_WEIGHT if kind == "subdistrict" else 1.0 for *_, kind in units]
        split = split_largest_remainder(villages, weights)
        for i, ((tzh, ten, kind), v) in enumerate(zip(units, split, strict=True), start=1):
            towns.append({"township_id": f"{PREFIX[node]}{i:02d}", "county_node": node,
                          "name_en": ten, "name_zh": tzh, "kind": kind, "villages": v,
                          "trunk_km": mean_km(area), "village_km": mean_km(area / len(units)),
                          "bus_runs_per_week": "", "min_weekly_frequency": ""})
    return pd.DataFrame(counties), pd.DataFrame(towns)


def main() -> None:
    counties, towns = build()
    counties.to_csv(OUT / "rural_counties.csv", index=False)
    towns.to_csv(OUT / "rural_townships.csv", index=False)
    print(f"{len(counties)} counties, {len(towns)} townships, "
          f"{int(towns['villages'].sum())} villages -> {OUT}")


if __name__ == "__main__":
    main()
