"""Build the embedded default study "Hangzhou two in, one out" (netdesign/data/default/hangzhou).

Writes nodes.csv, links.csv, hubs.csv, corridors.csv and history.csv following
`netdesign.data.schema`. Deterministic: a fixed seed and fixed number formats, so running it
twice writes byte-identical files. Needs nothing outside this file: the public figures it uses
are embedded below, each with its source (see DATA_SOURCES.md beside the data for the full list
and for what is synthetic).

    python scripts/build_hangzhou_study.py              # rewrite the package data
    python scripts/build_hangzhou_study.py --out DIR    # write into DIR instead

Units: distances km, costs CNY, times h, capacities parcels/day, CO2 kg per tonne-km.

The file is long on purpose: about 250 lines are the embedded figures (nodes, hubs, link
classes), kept in one self-contained script so that it runs without ../shared.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import math
import os
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20150101
OUT_DEFAULT = Path(__file__).resolve().parents[1] / "netdesign" / "data" / "default" / "hangzhou"
PARCEL_KG = 1.2  # [E] facts §2.3/§7: planning placeholder 1.2 kg, range 0.8-2.0
MONTHS = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]

# --------------------------------------------------------------------------------------------
# Public figures (sources in DATA_SOURCES.md; flags as in china-express-facts.md)
# --------------------------------------------------------------------------------------------
# National express volume, 100 m parcels (SPB via news mirrors; facts §1.1). 2024 = 1,750.8.
NATIONAL_100M = {2015: 206.7, 2016: 312.8, 2017: 400.6, 2018: 507.1, 2019: 635.2,
                 2020: 833.6, 2021: 1083.0, 2022: 1105.8, 2023: 1320.7, 2024: 1750.8}
# Lunar new year (Spring Festival) dates, common knowledge.
LUNAR_NEW_YEAR = {2015: date(2015, 2, 19), 2016: date(2016, 2, 8), 2017: date(2017, 1, 28),
                  2018: date(2018, 2, 16), 2019: date(2019, 2, 5), 2020: date(2020, 1, 25),
                  2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
                  2024: date(2024, 2, 10)}

# --------------------------------------------------------------------------------------------
# Nodes: id, name_en, name_zh, kind, lat, lon, country, region, weight (synthetic gravity mass)
# Coordinates: facts §3 (OpenFlights / common knowledge / ESTIMATE hub sites); others [E].
# --------------------------------------------------------------------------------------------
HUB_NODES = [  # id, en, zh, kind, lat, lon, region
    ("HGH", "Hangzhou Xiaoshan International Airport air-express hub",
     "杭州萧山国际机场航空快件中心",
     "airport", 30.2295, 120.4340, "Hangzhou"),
    ("HZ_YRD_EXPRESS_PARK", "Xiaoshan Yangtze River Delta Express Logistics Park",
     "萧山长三角快递物流产业园", "hub", 30.22, 120.40, "Hangzhou"),
    ("HZ_XIAONAN", "Xiaonan Logistics Park", "萧南物流园", "hub", 30.07, 120.27, "Hangzhou"),
    ("HZ_JIANGDONG", "Jiangdong Logistics Park", "江东物流园", "hub", 30.30, 120.55, "Hangzhou"),
    ("HZ_WEST_HSR", "Hangzhou West Station HSR Logistics Centre", "杭州西站高铁物流中心",
     "rail_terminal", 30.30, 119.97, "Hangzhou"),
    ("HZ_QIANTANG", "Qiantang integrated express industrial base", "钱塘综合快递产业基地",
     "hub", 30.31, 120.45, "Hangzhou"),
    ("NINGBO_PORT", "Ningbo-Zhoushan Port (Beilun) sea and sea-rail gateway", "宁波舟山港",
     "port", 29.93, 121.88, "Zhejiang"),
    ("YIWU_RAIL", "Yiwu West rail port (Yixin'ou China-Europe terminal)", "义乌西铁路口岸",
     "rail_terminal", 29.33, 119.98, "Zhejiang"),
    ("HZ_TONGLU_HUB", "Tonglu county express hub (candidate)", "桐庐快递分拨中心(备选)",
     "hub", 29.82, 119.70, "Hangzhou"),
    ("JIAXING_AIR", "Jiaxing Nanhu air-cargo hub (candidate)", "嘉兴南湖机场航空物流枢纽(备选)",
     "airport", 30.70, 120.68, "Zhejiang"),
]
# Zhejiang origins: id, en, zh, kind, lat, lon, region, out-weight, in-weight, intl propensity
ZJ_NODES = [
    ("HZ_SHANGCHENG", "Shangcheng District", "上城区",
     "district", 30.25, 120.17, "Hangzhou", 8, 7, 1.0),
    ("HZ_GONGSHU", "Gongshu District", "拱墅区",
     "district", 30.32, 120.14, "Hangzhou", 8, 7, 1.0),
    ("HZ_XIHU", "Xihu District", "西湖区",
     "district", 30.26, 120.09, "Hangzhou", 10, 8, 1.0),
    ("HZ_BINJIANG", "Binjiang District", "滨江区",
     "district", 30.21, 120.21, "Hangzhou", 7, 5, 1.2),
    ("HZ_XIAOSHAN", "Xiaoshan District", "萧山区",
     "district", 30.17, 120.26, "Hangzhou", 16, 9, 1.0),
    ("HZ_YUHANG", "Yuhang District", "余杭区",
     "district", 30.33, 119.95, "Hangzhou", 18, 8, 1.2),
    ("HZ_LINPING", "Linping District", "临平区",
     "district", 30.42, 120.30, "Hangzhou", 10, 6, 1.0),
    ("HZ_QIANTANG_DIST", "Qiantang District", "钱塘区",
     "district", 30.30, 120.50, "Hangzhou", 7, 5, 1.0),
    ("HZ_FUYANG", "Fuyang (rural county area)", "富阳",
     "county", 30.05, 119.96, "Hangzhou", 4, 4, 0),
    ("HZ_LINAN", "Lin'an (rural county area)", "临安",
     "county", 30.23, 119.72, "Hangzhou", 3, 3, 0),
    ("HZ_TONGLU", "Tonglu County", "桐庐县",
     "county", 29.80, 119.69, "Hangzhou", 3, 2.5, 0),
    ("HZ_JIANDE", "Jiande", "建德市",
     "county", 29.47, 119.28, "Hangzhou", 1.5, 2, 0),
    ("HZ_CHUNAN", "Chun'an County", "淳安县",
     "county", 29.61, 119.04, "Hangzhou", 1, 2, 0),
    ("HZ_PARK_XIASHA", "Hangzhou Economic & Technological Development Zone (Xiasha)",
     "杭州经济技术开发区(下沙)", "industrial_park", 30.31, 120.35, "Hangzhou", 4, 0, 1.5),
    ("HZ_PARK_XIAOSHAN_EDZ", "Xiaoshan Economic & Technological Development Zone",
     "萧山经济技术开发区", "industrial_park", 30.22, 120.30, "Hangzhou", 4, 0, 1.5),
    ("HZ_PARK_YUHANG_EDZ", "Yuhang Economic & Technological Development Zone",
     "余杭经济技术开发区", "industrial_park", 30.43, 120.33, "Hangzhou", 3, 0, 1.5),
    ("HZ_PARK_FUTURE_SCI", "Future Sci-Tech City", "未来科技城", "industrial_park",
     30.29, 120.00, "Hangzhou", 2, 0, 1.5),
    ("ZJ_NINGBO", "Ningbo", "宁波",
     "city", 29.87, 121.54, "Zhejiang", 8, 8, 0.6),
    ("ZJ_WENZHOU", "Wenzhou", "温州",
     "city", 28.00, 120.67, "Zhejiang", 6, 7, 0.6),
    ("ZJ_SHAOXING", "Shaoxing", "绍兴",
     "city", 30.00, 120.58, "Zhejiang", 8, 5, 0.6),
    ("ZJ_JIAXING", "Jiaxing", "嘉兴",
     "city", 30.75, 120.76, "Zhejiang", 7, 5, 0.6),
    ("ZJ_HUZHOU", "Huzhou", "湖州",
     "city", 30.89, 120.09, "Zhejiang", 6, 0, 0),
    ("ZJ_JINHUA", "Jinhua", "金华",
     "city", 29.08, 119.65, "Zhejiang", 6, 5, 0.6),
    ("ZJ_YIWU", "Yiwu", "义乌",
     "city", 29.31, 120.08, "Zhejiang", 10, 4, 2.0),
    ("ZJ_TAIZHOU", "Taizhou", "台州",
     "city", 28.66, 121.42, "Zhejiang", 5, 0, 0),
    ("ZJ_QUZHOU", "Quzhou", "衢州",
     "city", 28.97, 118.87, "Zhejiang", 2, 0, 0),
    ("ZJ_LISHUI", "Lishui", "丽水",
     "city", 28.45, 119.92, "Zhejiang", 2, 0, 0),
    ("ZJ_ZHOUSHAN", "Zhoushan", "舟山",
     "city", 30.02, 122.21, "Zhejiang", 1, 0, 0),
]
# Destinations: id, en, zh, lat, lon, country, attraction weight (synthetic)
DOMESTIC = [
    ("CN_SHANGHAI", "Shanghai", "上海", 31.23, 121.47, 10),
    ("CN_BEIJING", "Beijing", "北京", 39.90, 116.41, 9),
    ("CN_GUANGZHOU", "Guangzhou", "广州", 23.13, 113.26, 8),
    ("CN_SHENZHEN", "Shenzhen", "深圳", 22.54, 114.06, 8),
    ("CN_CHENGDU", "Chengdu", "成都", 30.57, 104.07, 7),
    ("CN_CHONGQING", "Chongqing", "重庆", 29.56, 106.55, 6),
    ("CN_WUHAN", "Wuhan", "武汉", 30.59, 114.31, 6), ("CN_XIAN", "Xi'an", "西安", 34.34, 108.94, 5),
    ("CN_ZHENGZHOU", "Zhengzhou", "郑州", 34.75, 113.63, 5),
    ("CN_URUMQI", "Urumqi", "乌鲁木齐", 43.83, 87.62, 2),
    ("CN_HARBIN", "Harbin", "哈尔滨", 45.80, 126.53, 3),
    ("CN_KUNMING", "Kunming", "昆明", 25.04, 102.71, 3.5),
    ("CN_NANJING", "Nanjing", "南京", 32.06, 118.80, 7),
    ("CN_SUZHOU", "Suzhou", "苏州", 31.30, 120.62, 7),
    ("CN_HEFEI", "Hefei", "合肥", 31.82, 117.23, 5),
    ("CN_FUZHOU", "Fuzhou", "福州", 26.07, 119.30, 4),
    ("CN_XIAMEN", "Xiamen", "厦门", 24.48, 118.09, 3.5),
    ("CN_NANCHANG", "Nanchang", "南昌", 28.68, 115.86, 3.5),
    ("CN_CHANGSHA", "Changsha", "长沙", 28.23, 112.94, 5),
    ("CN_JINAN", "Jinan", "济南", 36.65, 117.12, 4),
    ("CN_QINGDAO", "Qingdao", "青岛", 36.07, 120.38, 4),
    ("CN_TIANJIN", "Tianjin", "天津", 39.08, 117.20, 5),
    ("CN_SHENYANG", "Shenyang", "沈阳", 41.80, 123.43, 4),
    ("CN_DALIAN", "Dalian", "大连", 38.91, 121.61, 3),
    ("CN_CHANGCHUN", "Changchun", "长春", 43.82, 125.32, 3),
    ("CN_SHIJIAZHUANG", "Shijiazhuang", "石家庄", 38.04, 114.51, 4),
    ("CN_TAIYUAN", "Taiyuan", "太原", 37.87, 112.55, 3),
    ("CN_NANNING", "Nanning", "南宁", 22.82, 108.37, 3),
    ("CN_GUIYANG", "Guiyang", "贵阳", 26.65, 106.63, 3),
    ("CN_LANZHOU", "Lanzhou", "兰州", 36.06, 103.83, 2),
    ("CN_HOHHOT", "Hohhot", "呼和浩特", 40.84, 111.75, 1.5),
    ("CN_HAIKOU", "Haikou", "海口", 20.04, 110.34, 1.5),
]
NEIGHBOURING = [
    ("KR_SEOUL", "Seoul", "首尔", 37.57, 126.98, "KR", 3),
    ("JP_TOKYO", "Tokyo", "东京", 35.68, 139.69, "JP", 3),
    ("JP_OSAKA", "Osaka", "大阪", 34.69, 135.50, "JP", 2),
    ("TH_BANGKOK", "Bangkok", "曼谷", 13.76, 100.50, "TH", 2),
    ("SG_SINGAPORE", "Singapore", "新加坡", 1.29, 103.85, "SG", 2),
    ("VN_HO_CHI_MINH", "Ho Chi Minh City", "胡志明市", 10.82, 106.63, "VN", 1.5),
    ("VN_HANOI", "Hanoi", "河内", 21.03, 105.85, "VN", 1.2),
    ("MY_KUALA_LUMPUR", "Kuala Lumpur", "吉隆坡", 3.14, 101.69, "MY", 1.5),
    ("PH_MANILA", "Manila", "马尼拉", 14.60, 120.98, "PH", 1.2),
    ("ID_JAKARTA", "Jakarta", "雅加达", -6.21, 106.85, "ID", 1.5),
]
GLOBAL = [
    ("US_LOS_ANGELES", "Los Angeles", "洛杉矶", 34.05, -118.24, "US", 3),
    ("US_NEW_YORK", "New York", "纽约", 40.71, -74.01, "US", 3),
    ("CA_VANCOUVER", "Vancouver", "温哥华", 49.28, -123.12, "CA", 1),
    ("US_MIAMI", "Miami", "迈阿密", 25.76, -80.19, "US", 1),
    ("GB_LONDON", "London", "伦敦", 51.51, -0.13, "GB", 2.5),
    ("DE_FRANKFURT", "Frankfurt", "法兰克福", 50.11, 8.68, "DE", 2),
    ("BE_LIEGE", "Liège", "列日", 50.63, 5.57, "BE", 1.5),
    ("FR_PARIS", "Paris", "巴黎", 48.86, 2.35, "FR", 2),
    ("ES_MADRID", "Madrid", "马德里", 40.42, -3.70, "ES", 2),
    ("PL_WARSAW", "Warsaw", "华沙", 52.23, 21.01, "PL", 1),
    ("HU_BUDAPEST", "Budapest", "布达佩斯", 47.50, 19.04, "HU", 0.8),
    ("RU_MOSCOW", "Moscow", "莫斯科", 55.76, 37.62, "RU", 2),
    ("AE_DUBAI", "Dubai", "迪拜", 25.20, 55.27, "AE", 1.5),
    ("AU_SYDNEY", "Sydney", "悉尼", -33.87, 151.21, "AU", 1.5),
]
# Sea-route length / great-circle distance from Ningbo, by destination country [E].
SEA_ROUTE_FACTOR = {"KR": 1.3, "JP": 1.3, "TH": 1.35, "SG": 1.3, "VN": 1.3, "MY": 1.35,
                    "PH": 1.3, "ID": 1.3, "US": 1.1, "CA": 1.1, "GB": 2.15, "DE": 2.15,
                    "BE": 2.15, "FR": 2.15, "ES": 2.1, "PL": 2.2, "HU": 2.25, "AE": 1.6,
                    "AU": 1.25}
SEA_US_EAST = {"US_NEW_YORK": 1.65, "US_MIAMI": 1.55}  # via Panama
CHINA_EUROPE_RAIL = ["RU_MOSCOW", "PL_WARSAW", "HU_BUDAPEST", "DE_FRANKFURT", "BE_LIEGE",
                     "FR_PARIS", "GB_LONDON", "ES_MADRID"]
ASEAN_RAIL = ["VN_HANOI", "TH_BANGKOK"]  # via Pingxiang / China-Laos railway
COASTAL = ["CN_TIANJIN", "CN_DALIAN", "CN_QINGDAO", "CN_XIAMEN", "CN_GUANGZHOU",
           "CN_SHENZHEN", "CN_HAIKOU", "CN_FUZHOU"]
TONGLU_ROAD_DEST = ["CN_SHANGHAI", "CN_BEIJING", "CN_GUANGZHOU", "CN_SHENZHEN", "CN_NANJING",
                    "CN_WUHAN", "CN_CHENGDU", "CN_HEFEI", "CN_NANCHANG", "CN_CHANGSHA"]
JIAXING_AIR_DEST = ["CN_BEIJING", "CN_GUANGZHOU", "CN_SHENZHEN", "CN_CHENGDU", "CN_CHONGQING",
                    "CN_XIAN", "CN_KUNMING", "CN_HARBIN", "CN_URUMQI", "CN_SHENYANG",
                    "KR_SEOUL", "JP_TOKYO", "JP_OSAKA", "TH_BANGKOK", "SG_SINGAPORE",
                    "US_LOS_ANGELES", "US_NEW_YORK", "BE_LIEGE"]

# --------------------------------------------------------------------------------------------
# Hubs: capacity, module, module cost, handling, transfer modes, optional, fixed cost, customs
# --------------------------------------------------------------------------------------------
CRF = 0.06 / (1 - 1.06 ** -20)  # capital recovery factor, 6 %/yr over 20 yr [E]


def annualised(capex_cny: float, om_share: float = 0.03) -> float:
    """Annualised cost of an investment, CNY/yr: capex x (CRF + O&M share)."""
    return round(capex_cny * (CRF + om_share), -3)


# id, capacity, module, capex per module, handling CNY/parcel, handling h, transfer modes,
# optional, capex of opening (optional hubs), customs h, max modules
HUBS = [
    ("HGH", 900_000, 200_000, 4.0e8, 0.60, 2.5, "road|air", False, 0, 6.0, 3),
    ("HZ_YRD_EXPRESS_PARK", 2_500_000, 180_000, 2.2e8, 0.26, 2.0, "road", False, 0, None, None),
    ("HZ_XIAONAN", 3_500_000, 180_000, 2.2e8, 0.26, 2.0, "road", False, 0, None, None),
    ("HZ_JIANGDONG", 1_000_000, 180_000, 2.2e8, 0.28, 2.0, "road|water", False, 0, None, None),
    ("HZ_WEST_HSR", 150_000, 50_000, 1.0e8, 0.50, 1.5, "road|rail", False, 0, None, 4),
    ("HZ_QIANTANG", 1_500_000, 180_000, 2.2e8, 0.26, 2.0, "road|rail", False, 0, None, None),
    ("NINGBO_PORT", 200_000, 100_000, 1.5e8, 0.80, 6.0, "road|rail|water", False, 0, 24.0, None),
    ("YIWU_RAIL", 100_000, 50_000, 0.6e8, 0.60, 6.0, "road|rail", False, 0, 12.0, None),
    ("HZ_TONGLU_HUB", 360_000, 180_000, 2.2e8, 0.26, 2.0, "road", True, 3.0e8, None, None),
    ("JIAXING_AIR", 300_000, 150_000, 3.0e8, 0.60, 2.5, "road|air", True, 1.5e9, 6.0, None),
]
SORTING_HUBS = ["HZ_YRD_EXPRESS_PARK", "HZ_XIAONAN", "HZ_JIANGDONG", "HZ_QIANTANG"]
HZ_COLLECT_HUBS = SORTING_HUBS + ["HZ_WEST_HSR", "HGH"]
EXTRA_COLLECT = {"ZJ_NINGBO": "NINGBO_PORT", "ZJ_ZHOUSHAN": "NINGBO_PORT", "ZJ_YIWU": "YIWU_RAIL",
                 "ZJ_JINHUA": "YIWU_RAIL", "ZJ_JIAXING": "JIAXING_AIR", "ZJ_HUZHOU": "JIAXING_AIR"}

# --------------------------------------------------------------------------------------------
# Link classes: rate CNY/tkm, terminal CNY/parcel, detour, km/h, dwell h, kg CO2/tkm,
#               module parcels/day, fixed share phi of full-load variable cost, CNY/departure
# --------------------------------------------------------------------------------------------
LINK_CLASSES = {
    "road_trunk": dict(mode="road", rate=0.35, term=0.0, detour=1.2, kmh=65, dwell=1.0,
                       co2=0.077, module=25_000, phi=0.35, dep=600),
    "road_feeder": dict(mode="road", rate=0.70, term=0.0, detour=1.3, kmh=45, dwell=0.5,
                        co2=0.1016, module=12_000, phi=0.5, dep=300),
    "road_rural": dict(mode="road", rate=0.70, term=0.0, detour=1.35, kmh=45, dwell=0.5,
                       co2=0.1016, module=4_000, phi=0.5, dep=200),
    "hsr": dict(mode="rail", rate=0.52, term=1.0, detour=1.15, kmh=200, dwell=3.0,
                co2=0.045, module=5_000, phi=1.0, dep=1_500),
    "rail_express": dict(mode="rail", rate=0.13, term=0.3, detour=1.3, kmh=50, dwell=8.0,
                         co2=0.0278, module=25_000, phi=0.5, dep=4_000),
    "rail_shuttle": dict(mode="rail", rate=0.13, term=0.3, detour=1.3, kmh=40, dwell=6.0,
                         co2=0.0278, module=50_000, phi=0.5, dep=4_000),
    "rail_intl": dict(mode="rail", rate=0.13, term=2.0, detour=None, kmh=700 / 24, dwell=48.0,
                      co2=0.0278, module=20_000, phi=0.3, dep=8_000),
    "air_dom": dict(mode="air", rate=2.0, term=0.5, detour=1.05, kmh=700, dwell=4.0,
                    co2=0.755, module=23_000, phi=0.6, dep=20_000),
    "air_intl_short": dict(mode="air", rate=2.0, term=0.5, detour=1.05, kmh=700, dwell=4.0,
                           co2=0.755, module=8_000, phi=0.6, dep=3_000),
    "air_intl_long": dict(mode="air", rate=2.0, term=0.5, detour=1.05, kmh=700, dwell=4.0,
                          co2=0.531, module=8_000, phi=0.6, dep=3_000),
    "sea": dict(mode="water", rate=0.03, term=0.8, detour=None, kmh=30, dwell=48.0,
                co2=0.0161, module=20_000, phi=0.3, dep=4_000),
    "coastal": dict(mode="water", rate=0.03, term=0.6, detour=1.3, kmh=30, dwell=24.0,
                    co2=0.0325, module=20_000, phi=0.3, dep=2_000),
    "inland": dict(mode="water", rate=0.035, term=0.3, detour=1.5, kmh=12, dwell=8.0,
                   co2=0.0386, module=90_000, phi=0.4, dep=5_000),
}
AIR_LONG_HAUL_KM = 3_700  # DESNZ short-haul/long-haul split [R, DESNZ methodology]
YIWU_MADRID_KM = 13_052  # Yixin'ou route length [R] facts §2.2

# Synthetic volume targets for 2024, parcels/day (DATA_SOURCES.md "Volumes").
TARGET_2024 = {"out_domestic": 4_700_000, "in_domestic": 2_550_000,
               "out_international": 160_000, "in_international": 70_000}
INTL_OUT_ORIGINS = 18  # districts, parks and the six largest other Zhejiang cities
LATE_STARTS = {  # corridor filter -> first month with parcels (new lanes) [synthetic]
    "to_budapest_vancouver": "2019-09", "from_liege": "2018-11", "future_sci_domestic": "2017-01"}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance, km (R = 6,371 km)."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
def build_nodes() -> list[dict]:
    """All nodes: hubs, Zhejiang origins, domestic and overseas cities."""
    rows = []
    for nid, en, zh, kind, lat, lon, region in HUB_NODES:
        rows.append(dict(node_id=nid, name_en=en, name_zh=zh, kind=kind, lat=lat, lon=lon,
                         country="CN", region=region, rural=False))
    for nid, en, zh, kind, lat, lon, region, *_ in ZJ_NODES:
        rows.append(dict(node_id=nid, name_en=en, name_zh=zh, kind=kind, lat=lat, lon=lon,
                         country="CN", region=region, rural=kind == "county"))
    for nid, en, zh, lat, lon, _ in DOMESTIC:
        rows.append(dict(node_id=nid, name_en=en, name_zh=zh, kind="city", lat=lat, lon=lon,
                         country="CN", region="Domestic", rural=False))
    for region, table in (("Neighbouring", NEIGHBOURING), ("Global", GLOBAL)):
        for nid, en, zh, lat, lon, cc, _ in table:
            rows.append(dict(node_id=nid, name_en=en, name_zh=zh, kind="city", lat=lat, lon=lon,
                             country=cc, region=region, rural=False))
    return rows


def build_hubs() -> list[dict]:
    """The hubs table (sorting capacity, expansion, handling, transfer modes)."""
    rows = []
    for hid, cap, mod, capex, hc, hh, modes, opt, fixed_capex, customs, max_mod in HUBS:
        rows.append(dict(hub_id=hid, capacity_parcels_per_day=cap, module_parcels_per_day=mod,
                         module_cost_cny_per_year=annualised(capex),
                         handling_cost_cny_per_parcel=hc, handling_h=hh, transfer_modes=modes,
                         fixed_cost_cny_per_year=annualised(fixed_capex) if opt else "",
                         optional=opt, customs_h="" if customs is None else customs,
                         max_modules="" if max_mod is None else max_mod))
    return rows


def _link(cls: str, a: str, b: str, role: str, gc_km: float, coords, rural: bool = False,
          detour: float | None = None) -> dict:
    """One directed link of class `cls`; cost, time, CO2 and module cost from the class."""
    c = LINK_CLASSES[cls]
    km = gc_km * (detour if detour is not None else c["detour"])
    var = c["rate"] * PARCEL_KG / 1000 * km  # CNY/parcel, load-dependent
    module = c["module"]
    dep_fixed = c["phi"] * var * module + c["dep"]  # CNY per departure not covered by `var`
    return dict(link_id=f"{a}>{b}:{c['mode']}", from_node=a, to_node=b, mode=c["mode"],
                role=role, distance_km=round(km, 1),
                cost_cny_per_parcel=round(var + c["term"], 4),
                transit_h=round(km / c["kmh"] + c["dwell"], 2), co2_kg_per_tkm=c["co2"],
                capacity_parcels_per_day=0.0, module_parcels_per_day=module,
                module_cost_cny_per_year=round(365 * dep_fixed, -2),
                min_weekly_frequency=3 if rural else "", _cls=cls)


def _nearest(node: str, candidates: list[str], coords, k: int) -> list[str]:
    return sorted(candidates, key=lambda h: (haversine_km(coords[node], coords[h]), h))[:k]


def attach_hubs(coords) -> dict[str, list[str]]:
    """Collection (and mirrored distribution) hubs of each Zhejiang node, nearest first."""
    out = {}
    for nid, _en, _zh, kind, *_rest in ZJ_NODES:
        if nid.startswith("HZ_"):
            out[nid] = _nearest(nid, HZ_COLLECT_HUBS, coords, 3)
            if not any(h in SORTING_HUBS for h in out[nid]):
                out[nid][-1] = _nearest(nid, SORTING_HUBS, coords, 1)[0]
            if kind == "county":  # the optional Tonglu hub serves the western counties
                out[nid].append("HZ_TONGLU_HUB")
        else:
            out[nid] = _nearest(nid, SORTING_HUBS, coords, 2)
            if nid in EXTRA_COLLECT:
                out[nid].append(EXTRA_COLLECT[nid])
    return out


def build_links(coords, attach: dict[str, list[str]]) -> list[dict]:
    """Collection, distribution and line-haul links in both directions."""
    rural = {r[0] for r in ZJ_NODES if r[3] == "county"}
    links = []

    def both(cls, a, b, role_ab="linehaul", role_ba="linehaul", rural_link=False, detour=None):
        d = haversine_km(coords[a], coords[b])
        links.append(_link(cls, a, b, role_ab, d, coords, rural_link, detour))
        links.append(_link(cls, b, a, role_ba, d, coords, rural_link, detour))

    for node, hubs in attach.items():
        for h in hubs:
            cls = "road_rural" if node in rural else "road_feeder"
            both(cls, node, h, "collection", "distribution", node in rural)
    hub_ids = [h[0] for h in HUBS]
    for i, a in enumerate(hub_ids):  # inter-hub road trunk, complete graph
        for b in hub_ids[i + 1:]:
            both("road_trunk", a, b)
    for a, b in (("HZ_QIANTANG", "NINGBO_PORT"), ("HZ_QIANTANG", "YIWU_RAIL"),
                 ("YIWU_RAIL", "NINGBO_PORT")):
        both("rail_shuttle", a, b)
    both("inland", "HZ_JIANGDONG", "NINGBO_PORT")
    hz = coords["HZ_YRD_EXPRESS_PARK"]
    for nid, *_ in DOMESTIC:
        for h in SORTING_HUBS + (["HZ_TONGLU_HUB"] if nid in TONGLU_ROAD_DEST else []):
            both("road_trunk", h, nid)
        if nid != "CN_HAIKOU":
            both("hsr", "HZ_WEST_HSR", nid)
        gc = haversine_km(hz, coords[nid])
        if gc > 500:
            both("air_dom", "HGH", nid)
        if gc > 1000:
            both("rail_express", "HZ_QIANTANG", nid)
        if nid in COASTAL:
            both("coastal", "NINGBO_PORT", nid)
        if nid in JIAXING_AIR_DEST:
            both("air_dom", "JIAXING_AIR", nid)
    madrid_factor = YIWU_MADRID_KM / haversine_km(coords["YIWU_RAIL"], coords["ES_MADRID"])
    for table in (NEIGHBOURING, GLOBAL):
        for nid, _en, _zh, _lat, _lon, cc, _w in table:
            for airport in ("HGH", "JIAXING_AIR") if nid in JIAXING_AIR_DEST else ("HGH",):
                gc = haversine_km(coords[airport], coords[nid])
                both("air_intl_long" if gc > AIR_LONG_HAUL_KM else "air_intl_short", airport, nid)
            if nid != "RU_MOSCOW":
                both("sea", "NINGBO_PORT", nid, detour=SEA_US_EAST.get(nid, SEA_ROUTE_FACTOR[cc]))
            if nid in CHINA_EUROPE_RAIL:
                both("rail_intl", "YIWU_RAIL", nid, detour=madrid_factor)
            if nid in ASEAN_RAIL:
                both("rail_intl", "YIWU_RAIL", nid, detour=1.4)
    return links


def build_corridors() -> list[dict]:
    """Outbound corridors (Zhejiang node -> city) and inbound (city -> Zhejiang node)."""
    rows = []
    zj = [r for r in ZJ_NODES]
    intl_out = [r[0] for r in zj if r[9] > 0][:INTL_OUT_ORIGINS]
    dom_in = [r[0] for r in zj if r[8] > 0]
    districts = [r[0] for r in zj if r[3] == "district"]
    intl = [(n[0], "neighbouring") for n in NEIGHBOURING] + [(n[0], "global") for n in GLOBAL]
    for r in zj:
        for d in DOMESTIC:
            rows.append((r[0], d[0], "domestic"))
        if r[0] in intl_out:
            rows.extend((r[0], d, sc) for d, sc in intl)
    for d in DOMESTIC:
        rows.extend((d[0], n, "domestic") for n in dom_in)
    for d, sc in intl:
        rows.extend((d, n, sc) for n in districts)
    return [dict(corridor_id=f"{o}>{d}", origin=o, destination=d, service_class=sc)
            for o, d, sc in rows]


def base_volumes(corridors: list[dict], coords) -> dict[str, float]:
    """Synthetic 2024 mean parcels/day per corridor: a gravity model scaled to TARGET_2024."""
    zj = {r[0]: r for r in ZJ_NODES}
    attraction = {r[0]: r[5] for r in DOMESTIC}
    attraction.update({r[0]: r[6] for r in NEIGHBOURING + GLOBAL})
    hz = coords["HZ_YRD_EXPRESS_PARK"]
    raw, group = {}, {}
    for c in corridors:
        o, d = c["origin"], c["destination"]
        outbound = o in zj
        node, city = (o, d) if outbound else (d, o)
        dist = haversine_km(coords[node], coords[city])
        if c["service_class"] == "domestic":
            decay = (max(dist, 100.0) / 500.0) ** -0.7
            mass = zj[node][7] if outbound else zj[node][8]
            raw[c["corridor_id"]] = mass * attraction[city] * decay
            group[c["corridor_id"]] = "out_domestic" if outbound else "in_domestic"
        else:
            propensity = zj[node][9] if outbound else 1.0
            mass = zj[node][7] if outbound else zj[node][8]
            near = 1.0 if haversine_km(hz, coords[city]) < 5000 else 0.8
            raw[c["corridor_id"]] = mass * propensity * attraction[city] * near
            group[c["corridor_id"]] = "out_international" if outbound else "in_international"
    totals = defaultdict(float)
    for cid, v in raw.items():
        totals[group[cid]] += v
    return {cid: v * TARGET_2024[group[cid]] / totals[group[cid]] for cid, v in raw.items()}


# --------------------------------------------------------------------------------------------
# Existing link capacity: a reference assignment of the 2024 volumes (synthetic)
# --------------------------------------------------------------------------------------------
def _ref_mode_split(service_class: str, gc_km: float, available: set[str]) -> dict[str, float]:
    """Share of a corridor's 2024 parcels by link class in the reference assignment [E]."""
    if service_class == "domestic":
        split = ({"road_trunk": 0.97, "hsr": 0.01, "air": 0.02} if gc_km < 900 else
                 {"road_trunk": 0.80, "hsr": 0.04, "air": 0.12, "rail_express": 0.02,
                  "coastal": 0.02})
        fallback = "road_trunk"
    else:
        split = {"air": 0.65, "sea": 0.30, "rail_intl": 0.05}
        fallback = "air"
    out: dict[str, float] = defaultdict(float)
    for k, v in split.items():
        out[k if k in available else fallback] += v
    return out


MODE_HUB = {"road_trunk": None, "hsr": "HZ_WEST_HSR", "air": "HGH", "rail_express": "HZ_QIANTANG",
            "coastal": "NINGBO_PORT", "sea": "NINGBO_PORT", "rail_intl": "YIWU_RAIL"}


def reference_link_flows(corridors, volumes, attach, links, coords) -> dict[str, float]:
    """Parcels/day per link when the 2024 volumes follow the reference assignment."""
    by_ends = {(lk["from_node"], lk["to_node"], lk["_cls"]): lk["link_id"] for lk in links}
    cls_of = {lk["link_id"]: lk["_cls"] for lk in links}
    into: dict[tuple[str, str], set[str]] = defaultdict(set)  # (hub, city) -> classes
    for lk in links:
        if lk["role"] == "linehaul":
            cls = "air" if lk["_cls"].startswith("air") else lk["_cls"]
            into[(lk["from_node"], lk["to_node"])].add(cls)
            into[(lk["to_node"], lk["from_node"])].add(cls)
    flow: dict[str, float] = defaultdict(float)
    hz = coords["HZ_YRD_EXPRESS_PARK"]

    def road(a, b):
        return by_ends[(a, b, "road_trunk")]

    def feeder(a, b):
        for cls in ("road_feeder", "road_rural"):
            if (a, b, cls) in by_ends:
                return by_ends[(a, b, cls)]
        raise KeyError((a, b))

    for c in corridors:
        v = volumes[c["corridor_id"]]
        o, d = c["origin"], c["destination"]
        outbound = o in attach
        node, city = (o, d) if outbound else (d, o)
        hubs = attach[node]
        sorting = [h for h in hubs if h in SORTING_HUBS]
        weights = [0.6, 0.3, 0.1][:len(sorting)]
        weights = [w / sum(weights) for w in weights]
        available = set()
        for h in hubs + list(MODE_HUB.values()):
            if h is not None:
                available |= into.get((h, city), set())
        for cls, share in _ref_mode_split(c["service_class"], haversine_km(hz, coords[city]),
                                          available).items():
            if cls == "road_trunk":
                for h, w in zip(sorting, weights, strict=True):
                    legs = [feeder(node, h), road(h, city)]
                    for lk in legs if outbound else [road(city, h), feeder(h, node)]:
                        flow[lk] += v * share * w
                continue
            mh = MODE_HUB[cls]
            lh_cls = cls
            if cls == "air":
                gc = haversine_km(coords[mh], coords[city])
                lh_cls = ("air_dom" if c["service_class"] == "domestic" else
                          "air_intl_long" if gc > AIR_LONG_HAUL_KM else "air_intl_short")
            if mh in hubs:
                legs_out = [feeder(node, mh), by_ends[(mh, city, lh_cls)]]
                legs_in = [by_ends[(city, mh, lh_cls)], feeder(mh, node)]
            else:
                h1 = sorting[0]
                legs_out = [feeder(node, h1), road(h1, mh), by_ends[(mh, city, lh_cls)]]
                legs_in = [by_ends[(city, mh, lh_cls)], road(mh, h1), feeder(h1, node)]
            for lk in legs_out if outbound else legs_in:
                flow[lk] += v * share
    assert all(cls_of[k] for k in flow)
    return flow


EXISTING_SLACK = 1.15  # existing departures carry the 2024 reference flow + 15 % [E]


def set_existing_capacity(links, ref_flow: dict[str, float]) -> None:
    """Existing capacity = the whole daily departures (modules) that carry the reference flow
    plus EXISTING_SLACK; none on links of optional hubs."""
    optional = {h[0] for h in HUBS if h[7]}
    for lk in links:
        if lk["from_node"] in optional or lk["to_node"] in optional:
            continue
        f, m = ref_flow.get(lk["link_id"], 0.0), lk["module_parcels_per_day"]
        n = math.ceil(f * EXISTING_SLACK / m)
        lk["capacity_parcels_per_day"] = float(n * m)


# --------------------------------------------------------------------------------------------
# Monthly history 2015-01 .. 2024-12 (synthetic, seeded)
# --------------------------------------------------------------------------------------------
SEASON = np.array([1.00, 1.00, 0.97, 0.96, 0.98, 1.04, 0.94, 0.96, 1.00, 0.98, 1.30, 1.12])


def national_log_trend() -> np.ndarray:
    """Log of the national daily-average volume, per month (log-linear between mid-years)."""
    years = sorted(NATIONAL_100M)
    mid = np.array([(y - 2015) * 12 + 5.5 for y in years])
    level = np.log([NATIONAL_100M[y] / (366 if calendar.isleap(y) else 365) for y in years])
    t = np.arange(len(MONTHS), dtype=float)
    out = np.interp(t, mid, level)
    lo = (level[1] - level[0]) / 12
    hi = (level[-1] - level[-2]) / 12
    out[t < mid[0]] = level[0] + lo * (t[t < mid[0]] - mid[0])
    out[t > mid[-1]] = level[-1] + hi * (t[t > mid[-1]] - mid[-1])
    return out


def spring_festival_factor() -> np.ndarray:
    """Monthly factor of the Spring-Festival dip: days LNY-1..LNY+7 at 0.3 of normal (Zhejiang
    collected 1.68亿 in the 2024 festival week, ~25 % of a normal week), LNY-8..-2 and
    LNY+8..+15 at 0.7; averaged over the days of each month."""
    out = np.ones(len(MONTHS))
    for _y, lny in LUNAR_NEW_YEAR.items():
        for off in range(-8, 16):
            day = lny + timedelta(days=off)
            f = 0.3 if -1 <= off <= 7 else 0.7
            i = (day.year - 2015) * 12 + day.month - 1
            if 0 <= i < len(MONTHS):
                out[i] -= (1 - f) / calendar.monthrange(day.year, day.month)[1]
    return out


def _month_index(month: str) -> int:
    return MONTHS.index(month)


def late_start(c: dict) -> str | None:
    o, d = c["origin"], c["destination"]
    if o.startswith("HZ_") and d in ("HU_BUDAPEST", "CA_VANCOUVER") and o in _DISTRICTS:
        return LATE_STARTS["to_budapest_vancouver"]
    if o == "BE_LIEGE":
        return LATE_STARTS["from_liege"]
    if o == "HZ_PARK_FUTURE_SCI" and c["service_class"] == "domestic":
        return LATE_STARTS["future_sci_domestic"]
    return None


_DISTRICTS = {r[0] for r in ZJ_NODES if r[3] == "district"}
_COUNTIES = {r[0] for r in ZJ_NODES if r[3] == "county"}


def build_history(corridors: list[dict],
                  volumes: dict[str, float]) -> list[tuple[str, str, int]]:
    """Monthly parcels per corridor: national trend^beta x season x Spring Festival x shocks,
    scaled so that 2024 averages the corridor's base parcels/day, with AR(1) log noise and
    Poisson counts."""
    rng = np.random.default_rng(SEED)
    n = len(MONTHS)
    log_trend = national_log_trend()
    log_trend -= log_trend[-12:].mean()
    days = np.array([calendar.monthrange(int(m[:4]), int(m[5:]))[1] for m in MONTHS], float)
    season = np.tile(SEASON, n // 12) * spring_festival_factor()
    covid = np.ones(n)
    covid[_month_index("2020-02")] = 0.80
    covid[_month_index("2020-03")] = 0.95
    covid_intl = np.ones(n)
    covid_intl[_month_index("2020-02"):_month_index("2020-05") + 1] = 0.85
    shanghai = np.ones(n)
    shanghai[_month_index("2022-04")] = 0.35
    shanghai[_month_index("2022-05")] = 0.60
    last_year = slice(n - 12, n)
    rows = []
    for c in corridors:
        o, d, sc = c["origin"], c["destination"], c["service_class"]
        beta = 1.0 + (0.05 if sc != "domestic" else 0.0)
        beta += 0.10 if (o in _COUNTIES or d in _COUNTIES) else 0.0
        beta -= 0.05 if (o.startswith("ZJ_") or d.startswith("ZJ_")) else 0.0
        beta += rng.normal(0.0, 0.04)
        shape = np.exp(beta * log_trend) * season * covid * days
        if sc != "domestic":
            shape *= covid_intl
        if "CN_SHANGHAI" in (o, d):
            shape *= shanghai
        start = late_start(c)
        if start is not None:
            k = _month_index(start)
            ramp = np.clip((np.arange(n) - k + 1) / 6.0, 0.0, 1.0)
            shape *= ramp
        mean = shape * volumes[c["corridor_id"]] * days[last_year].sum() / shape[last_year].sum()
        noise = np.empty(n)
        e = rng.normal(0.0, 0.05 / math.sqrt(1 - 0.25))
        for t in range(n):
            e = 0.5 * e + rng.normal(0.0, 0.05)
            noise[t] = e
        counts = rng.poisson(mean * np.exp(noise - 0.5 * 0.05 ** 2 / 0.75))
        rows.extend((c["corridor_id"], MONTHS[t], int(counts[t])) for t in range(n))
    return rows


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
COLUMNS = {
    "nodes": ["node_id", "name_en", "name_zh", "kind", "lat", "lon", "country", "region", "rural"],
    "links": ["link_id", "from_node", "to_node", "mode", "role", "distance_km",
              "cost_cny_per_parcel", "transit_h", "co2_kg_per_tkm", "capacity_parcels_per_day",
              "module_parcels_per_day", "module_cost_cny_per_year", "min_weekly_frequency"],
    "hubs": ["hub_id", "capacity_parcels_per_day", "module_parcels_per_day",
             "module_cost_cny_per_year", "handling_cost_cny_per_parcel", "handling_h",
             "transfer_modes", "fixed_cost_cny_per_year", "optional", "customs_h", "max_modules"],
    "corridors": ["corridor_id", "origin", "destination", "service_class"],
    "history": ["corridor_id", "month", "parcels"],
}


def _fmt(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _write_csv(path: Path, header: list[str], rows) -> None:
    """Write a CSV atomically (temporary file in the same folder, then rename)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([_fmt(r[k]) for k in header] if isinstance(r, dict) else
                           [_fmt(x) for x in r])
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_study(out_dir: Path | str = OUT_DEFAULT) -> dict[str, int]:
    """Build every table and write them into `out_dir`; returns the row count per table."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nodes = build_nodes()
    coords = {r["node_id"]: (r["lat"], r["lon"]) for r in nodes}
    attach = attach_hubs(coords)
    links = build_links(coords, attach)
    hubs = build_hubs()
    corridors = build_corridors()
    volumes = base_volumes(corridors, coords)
    set_existing_capacity(links, reference_link_flows(corridors, volumes, attach, links, coords))
    history = build_history(corridors, volumes)
    tables = {"nodes": nodes, "links": links, "hubs": hubs, "corridors": corridors,
              "history": history}
    for name, rows in tables.items():
        _write_csv(out / f"{name}.csv", COLUMNS[name], rows)
    return {name: len(rows) for name, rows in tables.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT,
                        help="output folder (default: the package data folder)")
    args = parser.parse_args(argv)
    sizes = build_study(args.out)
    print(", ".join(f"{k}: {v} rows" for k, v in sizes.items()), "->", args.out)


if __name__ == "__main__":
    main()
