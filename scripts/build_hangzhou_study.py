"""Build the embedded default study "Hangzhou two in, one out" (netdesign/data/default/hangzhou).

Writes nodes.csv, links.csv, hubs.csv, corridors.csv and history.csv following
`netdesign.data.schema`, and calibration_observed.csv (the observed base-year figures read
by `netdesign.results.calibration`). Deterministic: a fixed seed and fixed number formats, so
running it twice writes byte-identical files. Needs nothing outside this file: the public
figures it uses are embedded below, each with its source (see DATA_SOURCES.md beside the data
for the full list and for what is synthetic).

    python scripts/build_hangzhou_study.py              # rewrite the package data
    python scripts/build_hangzhou_study.py --out DIR    # write into DIR instead
    python scripts/build_hangzhou_study.py --out DIR --without-factories  # before issue 15

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
# Vehicles fill by volume, not weight (calibration §3.1): a parcel of 1.2 kg takes ~0.01 m³
# [E, the low end of the 0.01-0.03 m³ bracket of calibration §3.1; small polybags dominate].
PARCEL_M3 = 0.01
FILL = 0.8  # usable share of a vehicle's volume [E, calibration §3.1]
TRAILER_M3 = 86.0  # 13 m high-rail semi-trailer [R, vendor; GB 1589-2016 limit 13.75 m]
FEU_M3 = 67.7  # internal volume of a 40 ft general-purpose container [E, ISO common knowledge]
PER_TRAILER = round(TRAILER_M3 * FILL / PARCEL_M3, -2)  # 6,900 parcels (8.3 t < 29-32 t payload)
PER_FEU = round(FEU_M3 * FILL / PARCEL_M3, -2)  # 5,400 parcels per FEU (6.5 t)
# Air freight is sold per chargeable kg: max(actual, volume / 6,000 cm³ per kg) [E, IATA
# volumetric divisor; calibration §3.1 gives 5,000-8,000 for express products].
CHARGEABLE_KG = max(PARCEL_KG, PARCEL_M3 * 1e6 / 6000)  # 1.67 kg
USD_CNY = 7.19  # 2024 average exchange rate [E, common knowledge, ~7.1-7.3 over the year]
# Per-km cost of a full vehicle: published rates are per tonne-km of dense freight, so a
# vehicle-km costs rate x typical payload; parcels then share it by volume.
FTL_PAYLOAD_T = 20.0  # typical full-truckload / loaded-FEU payload behind CNY/tkm rates [E]
ROAD_TRUCK_CNY_PER_KM = 0.35 * FTL_PAYLOAD_T  # 7.0 CNY/vehicle-km [D: 0.35 CNY/tkm, facts §7]
RAIL_FEU_CNY_PER_KM = 0.13 * FTL_PAYLOAD_T  # 2.6 CNY/FEU-km [D: 0.13 CNY/tkm, facts §2.1]
WATER_FEU_CNY_PER_KM = 0.03 * FTL_PAYLOAD_T  # 0.6 CNY/FEU-km, coastal [D from 0.03 [E]]
INLAND_FEU_CNY_PER_KM = 0.035 * FTL_PAYLOAD_T  # 0.7 CNY/FEU-km, canal barge [D from [E]]
# Ocean freight per FEU by lane, USD, 2024 means of the Drewry WCI spot quotes in
# calibration §2.1 (Shanghai -> Rotterdam: 4,406, 6,219, 4,157, 3,132, 4,775; -> Genoa: 5,213,
# 7,645, 5,842, 5,496; -> Los Angeles: 6,934, 6,030, 5,490, 4,814, 3,719; -> New York: 4,170,
# 9,213, 8,451, 6,028, 5,266); composite 2024 average 3,958 [R] for the Gulf and Australia;
# intra-Asia lanes 1,000 [E, no index in the references].
OCEAN_USD_PER_FEU = {"north_europe": 4_538, "mediterranean": 6_049, "us_west": 5_397,
                     "us_east": 6_626, "asia": 1_000, "other": 3_958}
SEA_LANE = {"KR": "asia", "JP": "asia", "TH": "asia", "SG": "asia", "VN": "asia", "MY": "asia",
            "PH": "asia", "ID": "asia", "US": "us_west", "CA": "us_west", "GB": "north_europe",
            "DE": "north_europe", "BE": "north_europe", "FR": "north_europe", "PL": "north_europe",
            "ES": "mediterranean", "HU": "mediterranean", "AE": "other", "AU": "other"}
# China-Europe rail, USD per FEU: 6,000-7,000 typical (July 2024) and 7,000 Zhengzhou-Hamburg
# (June 2024) [R, calibration §2.4] -> 6,500; ASEAN trains (Hanoi, Bangkok) [E] 3,000.
RAIL_INTL_USD_PER_FEU = {"europe": 6_500, "asean": 3_000}
# International air, 2024 (calibration §2.5): S. China -> US 4.75 USD/kg (May), HKG -> Europe
# 5.49, HKG -> N. America 6.73 (December) [R]; a full long-haul flight of ~10,000 km should
# cost ~5 USD per chargeable kg: (1 + phi) x 2.0 CNY/tkm x 10,000 km + 4 CNY/kg = 36 CNY/kg.
AIR_INTL_CNY_PER_TKM = 2.0
AIR_TERMINAL_CNY_PER_KG = 4.0  # export handling, screening, destination airport handling [E]
# Time abroad after the last line-haul leg into an overseas city (and before the first leg out
# of one): destination clearance of low-value e-commerce parcels + last-mile delivery [E].
ABROAD_H = {"Neighbouring": 4.0 + 18.0, "Global": 6.0 + 24.0}
WAREHOUSE_ABROAD_H = 72.0  # port/rail terminal clearance + drayage to an overseas warehouse [E]
WRITE_SEGMENTS = True  # write corridors.segment and links.module_departures_per_week (h13b)
# write the "into factories" parks, segments and centres (issue 15); off (`--without-factories`)
# writes the study as it was before them, for side-by-side benchmarks
WRITE_FACTORIES = WRITE_SEGMENTS
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
    ("HGH", "Hangzhou Xiaoshan International Airport air-express hub (domestic)",
     "杭州萧山国际机场航空快件中心(国内)",
     "airport", 30.2295, 120.4340, "Hangzhou"),
    ("HGH_IEC", "Hangzhou Xiaoshan airport international express processing centre",
     "杭州萧山国际机场国际快件处理中心", "airport", 30.2350, 120.4400, "Hangzhou"),
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
# Overseas warehouses (海外仓) restocked in bulk from Zhejiang: id, en, zh, lat, lon, country,
# sea lane, China-Europe rail (bool). Sites are the usual warehouse belts of each market [E].
WAREHOUSES = [
    ("US_WH_LA", "Overseas warehouse, Inland Empire (Los Angeles)", "海外仓(洛杉矶内陆帝国)",
     34.06, -117.65, "US", "us_west", False),
    ("US_WH_NJ", "Overseas warehouse, New Jersey (New York)", "海外仓(新泽西)",
     40.52, -74.41, "US", "us_east", False),
    ("GB_WH", "Overseas warehouse, Midlands (UK)", "海外仓(英国中部)",
     52.48, -1.90, "GB", "north_europe", True),
    ("DE_WH", "Overseas warehouse, Rhine-Main (Germany)", "海外仓(德国莱茵-美因)",
     50.05, 8.57, "DE", "north_europe", True),
    ("PL_WH", "Overseas warehouse, Warsaw region (Poland)", "海外仓(波兰华沙)",
     52.16, 20.85, "PL", "north_europe", True),
    ("ES_WH", "Overseas warehouse, Madrid region (Spain)", "海外仓(西班牙马德里)",
     40.33, -3.77, "ES", "mediterranean", True),
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
# The airport's international express processing centre (pilot plan task 5): design capacity
# of the 2020 international express centre 71,000 t/yr [R, caacnews 2020-09-25] / 365 / 1.2 kg
# = 162,000 parcels/day; a module of 80,000 parcels/day (35,040 t/yr) costs the phase-1
# international terminal's capex per t/yr (14.89亿 CNY for 600,000 t/yr [R]).
IEC_CAPACITY = round(71_000e3 / 365 / PARCEL_KG, -4)
IEC_MODULE = 80_000
IEC_MODULE_CAPEX = 14.89e8 / 600_000 * (IEC_MODULE * PARCEL_KG * 365 / 1000)
HUBS = [
    ("HGH", 700_000, 200_000, 4.0e8, 0.60, 2.5, "road|air", False, 0, None, 3),
    ("HGH_IEC", IEC_CAPACITY, IEC_MODULE, IEC_MODULE_CAPEX, 0.80, 2.5, "road|air", False, 0,
     4.0, 10),
    ("HZ_YRD_EXPRESS_PARK", 2_500_000, 180_000, 2.2e8, 0.26, 2.0, "road", False, 0, None, None),
    ("HZ_XIAONAN", 3_500_000, 180_000, 2.2e8, 0.26, 2.0, "road", False, 0, None, None),
    ("HZ_JIANGDONG", 1_000_000, 180_000, 2.2e8, 0.28, 2.0, "road|water", False, 0, None, None),
    ("HZ_WEST_HSR", 15_000, 5_000, 0.1e8, 0.50, 1.5, "road|rail", False, 0, None, 6),
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
# Link classes: rate CNY/tkm (of the 1.2 kg reference parcel), terminal CNY/parcel, detour,
# km/h, dwell h, kg CO2/tkm, parcels per departure, departures/week of one module (dpw),
# fixed share phi of full-load variable cost, CNY per departure
# --------------------------------------------------------------------------------------------
def _rate(cny_per_vehicle_km: float, parcels_per_vehicle: float, phi: float) -> float:
    """CNY/tkm of the reference parcel such that a full vehicle's variable (x(1 + phi)) cost
    is `cny_per_vehicle_km`: the vehicle-km is shared by the parcels that fill it by volume."""
    return round(cny_per_vehicle_km / ((1 + phi) * parcels_per_vehicle * PARCEL_KG / 1000), 4)


# Road trunk CO2: China tractor-trailers burn 44 L/100 km [R, ICCT 2015 via facts §2.4] x
# 2.68 kg CO2/L [E] = 1.18 kg/vehicle-km over a volume-full trailer of 6,900 x 1.2 kg = 8.3 t.
ROAD_TRUNK_CO2 = round(0.44 * 2.68 / (PER_TRAILER * PARCEL_KG / 1000), 3)  # 0.142 kg/tkm
# Rail CO2: China electric traction 11.2 kWh/1,000 tkm x 0.5366 kg/kWh (2022 grid) = 6.0 g,
# diesel 8.8 g [D, calibration §4]; 73.3 % of route-km electrified [R] -> 6.75 g/tkm for the
# average (bulk-heavy) freight train; x 2 for container trains of low-density parcels, whose
# tare per net tonne is about twice a coal train's [E] -> 13.5 g/tkm.
RAIL_CO2 = round(2 * (0.733 * 11.2 * 0.5366 + 0.267 * 3.27 * 2.68) / 1000, 4)
AIR_PER_KG = CHARGEABLE_KG / PARCEL_KG  # air prices apply to chargeable, not actual, weight
LINK_CLASSES = {
    # A module is one trailer after each of the hub's two daily sort waves (night and day)
    # [E]: 14 departures/week, 13,800 parcels/day (single daily trailers made the 2035 MIP
    # twice as slow for no planning insight on lanes of 10^4-10^5 parcels/day).
    "road_trunk": dict(mode="road", rate=_rate(ROAD_TRUCK_CNY_PER_KM, PER_TRAILER, 0.35),
                       term=0.0, detour=1.2, kmh=65, dwell=1.0, co2=ROAD_TRUNK_CO2,
                       per_dep=PER_TRAILER, dpw=14, phi=0.35, dep=600),
    # 9.6 m box truck, 50-57.6 m³, payload up to 12 t [R, LQ] -> 4,000 parcels; 0.35 x 12 t.
    "road_feeder": dict(mode="road", rate=_rate(0.35 * 12, 4_000, 0.5), term=0.0, detour=1.3,
                        kmh=45, dwell=0.5, co2=0.1016, per_dep=4_000, dpw=7, phi=0.5, dep=300),
    # 4.2 m light truck, ~16 m³ [E] -> 1,300 parcels; 2.5 CNY/vehicle-km [E].
    "road_rural": dict(mode="road", rate=_rate(2.5, 1_300, 0.5), term=0.0, detour=1.35, kmh=45,
                       dwell=0.5, co2=0.1016, per_dep=1_300, dpw=7, phi=0.5, dep=200),
    # HSR express: tariff not found (calibration §1); sold as cheaper than air [R, 2014] ->
    # 0.9 x the domestic air price per chargeable kg [E]. One reserved car, ~6 t [D].
    "hsr": dict(mode="rail", rate=round(0.9 * 2.0 * AIR_PER_KG, 4), term=1.0, detour=1.15,
                kmh=200, dwell=3.0, co2=0.045, per_dep=5_000, dpw=7, phi=0.6, dep=1_500),
    "rail_express": dict(mode="rail", rate=_rate(RAIL_FEU_CNY_PER_KM, PER_FEU, 0.5), term=0.3,
                         detour=1.3, kmh=50, dwell=8.0, co2=RAIL_CO2, per_dep=PER_FEU,
                         dpw=7, phi=0.5, dep=4_000),
    "rail_shuttle": dict(mode="rail", rate=_rate(RAIL_FEU_CNY_PER_KM, PER_FEU, 0.5), term=0.3,
                         detour=1.3, kmh=40, dwell=6.0, co2=RAIL_CO2, per_dep=10 * PER_FEU,
                         dpw=7, phi=0.5, dep=4_000),
    # China-Europe / ASEAN trains: a 10-FEU allotment twice a week; priced per FEU by lane.
    "rail_intl": dict(mode="rail", rate=None, term=2.0, detour=None, kmh=700 / 24, dwell=48.0,
                      co2=RAIL_CO2, per_dep=10 * PER_FEU, dpw=2, phi=0.3, dep=8_000),
    # B757-200F, ~187 m³ [E] -> 15,000 parcels, daily.
    "air_dom": dict(mode="air", rate=round(2.0 * AIR_PER_KG, 4), term=0.5, detour=1.05,
                    kmh=700, dwell=4.0, co2=0.755, per_dep=15_000, dpw=7, phi=0.6, dep=20_000),
    # Narrow-body freighter (B737-800BCF, ~141 m³ [E]) -> 11,300 parcels, daily.
    "air_intl_short": dict(mode="air", rate=round(AIR_INTL_CNY_PER_TKM * AIR_PER_KG, 4),
                           term=round(AIR_TERMINAL_CNY_PER_KG * CHARGEABLE_KG, 2), detour=1.05,
                           kmh=700, dwell=4.0, co2=0.755, per_dep=11_300, dpw=7, phi=0.6,
                           dep=5_000),
    # Wide-body freighter (~60 t max per flight, HGH-Mexico City [R]; B767-300F ~438 m³ [E] ->
    # 35,000 parcels, 42 t), a twice-weekly rotation (Cainiao HGH-LGG since 2018 [R]).
    "air_intl_long": dict(mode="air", rate=round(AIR_INTL_CNY_PER_TKM * AIR_PER_KG, 4),
                          term=round(AIR_TERMINAL_CNY_PER_KG * CHARGEABLE_KG, 2), detour=1.05,
                          kmh=700, dwell=4.0, co2=0.531, per_dep=35_000, dpw=2, phi=0.6,
                          dep=20_000),
    # Ocean: a 10-FEU allotment on a weekly sailing; priced per FEU by lane (OCEAN_USD_PER_FEU).
    "sea": dict(mode="water", rate=None, term=0.8, detour=None, kmh=30, dwell=48.0,
                co2=0.0161, per_dep=10 * PER_FEU, dpw=1, phi=0.3, dep=4_000),
    "coastal": dict(mode="water", rate=_rate(WATER_FEU_CNY_PER_KM, PER_FEU, 0.3), term=0.6,
                    detour=1.3, kmh=30, dwell=24.0, co2=0.0325, per_dep=4 * PER_FEU, dpw=7,
                    phi=0.3, dep=2_000),
    "inland": dict(mode="water", rate=_rate(INLAND_FEU_CNY_PER_KM, PER_FEU, 0.4), term=0.3,
                   detour=1.5, kmh=12, dwell=8.0, co2=0.0386, per_dep=16 * PER_FEU, dpw=7,
                   phi=0.4, dep=5_000),
}
AIR_LONG_HAUL_KM = 3_700  # DESNZ short-haul/long-haul split [R, DESNZ methodology]
YIWU_MADRID_KM = 13_052  # Yixin'ou route length [R] facts §2.2

# Synthetic volume targets for 2024, parcels/day (DATA_SOURCES.md "Volumes").
TARGET_2024 = {"out_domestic": 4_700_000, "in_domestic": 2_550_000,
               "out_international": 160_000, "in_international": 70_000,
               "out_restocking": 5_300}
# Restocking cartons/day [E]: a third of the outbound direct-mail weight (160,000 x 1.2 kg =
# 192 t/day; air is said to carry ~80 % of cross-border e-commerce goods [R, LQ, calibration
# §8], the rest going to overseas warehouses by sea or rail) in cartons of 12 kg [E]:
# 64 t/day / 12 kg = 5,300 cartons/day.
# Parcel weight per demand segment, kg: a segment's parcel uses weight / 1.2 reference parcels
# of link and hub capacity (the model's convention); the study config must say the same.
SEGMENT_KG = {"parcel": PARCEL_KG, "direct_mail": PARCEL_KG, "restocking": 12.0}
RESTOCK_CITIES = ["ZJ_NINGBO", "ZJ_WENZHOU", "ZJ_SHAOXING", "ZJ_JIAXING", "ZJ_JINHUA",
                  "ZJ_YIWU"]
WAREHOUSE_ATTRACTION = {"US_WH_LA": 3, "US_WH_NJ": 2, "GB_WH": 1.5, "DE_WH": 2, "PL_WH": 1,
                        "ES_WH": 1}  # synthetic
INTL_OUT_ORIGINS = 18  # districts, parks and the six largest other Zhejiang cities
LATE_STARTS = {  # corridor filter -> first month with parcels (new lanes) [synthetic]
    "to_budapest_vancouver": "2019-09", "from_liege": "2018-11", "future_sci_domestic": "2017-01"}


# --------------------------------------------------------------------------------------------
# Into factories (快递进厂, pilot plan task 4; issue 15): manufacturing segments, more parks,
# warehouse-and-distribute centres (仓配一体). What is estimated and how: DATA_SOURCES.md.
# --------------------------------------------------------------------------------------------
# The pilot's end-2021 target is "20 key parks" (plan text line 27) but the plan names none.
# The study grows from its 4 parks to 16: Hangzhou's development zones and hi-tech zones by
# their public names; the coordinates are approximate centres of each zone [E, low confidence,
# geocode before use], as for the 4 parks already in the study.
# id, en, zh, lat, lon, manufacturing mass (synthetic weight of the zone's express-served
# output [E]: 4 national ETDZs / hi-tech zone, 2-3 large zones, 1 county zones)
MFG_PARKS = [
    ("HZ_PARK_HIGHTECH", "Hangzhou Hi-tech Industrial Development Zone (Binjiang)",
     "杭州高新技术产业开发区(滨江)", 30.19, 120.19),
    ("HZ_PARK_LINJIANG", "Hangzhou Linjiang Hi-tech Industrial Development Zone",
     "杭州临江高新技术产业开发区", 30.31, 120.64),
    ("HZ_PARK_DAJIANGDONG", "Dajiangdong Industrial Cluster (Qiantang)",
     "大江东产业集聚区(钱塘)", 30.26, 120.55),
    ("HZ_PARK_AIRPORT", "Hangzhou Airport Economy Demonstration Zone",
     "杭州临空经济示范区", 30.25, 120.46),
    ("HZ_PARK_QIANJIANG", "Qianjiang Economic Development Zone (Linping)",
     "钱江经济开发区(临平)", 30.46, 120.21),
    ("HZ_PARK_ZIJINGANG", "Zijingang Sci-Tech City", "紫金港科技城", 30.31, 120.07),
    ("HZ_PARK_QINGSHANHU", "Qingshanhu Sci-Tech City (Lin'an)", "青山湖科技城(临安)",
     30.25, 119.83),
    ("HZ_PARK_LINAN", "Lin'an Economic Development Zone", "临安经济开发区", 30.22, 119.74),
    ("HZ_PARK_FUYANG", "Fuyang Economic & Technological Development Zone",
     "富阳经济技术开发区", 30.06, 119.99),
    ("HZ_PARK_TONGLU", "Tonglu Economic Development Zone", "桐庐经济开发区", 29.81, 119.66),
    ("HZ_PARK_JIANDE", "Jiande Economic Development Zone", "建德经济开发区", 29.50, 119.32),
    ("HZ_PARK_CHUNAN", "Chun'an Economic Development Zone (Qiandao Lake)",
     "淳安经济开发区(千岛湖)", 29.62, 119.08),
]
# Manufacturing mass of every park [E, synthetic ordering: national ETDZs and the hi-tech zone
# 4, large district zones 2-3, county zones 1]; it splits the parks' total by park.
PARK_MASS = {"HZ_PARK_XIASHA": 4, "HZ_PARK_XIAOSHAN_EDZ": 4, "HZ_PARK_YUHANG_EDZ": 3,
             "HZ_PARK_FUTURE_SCI": 2, "HZ_PARK_HIGHTECH": 4, "HZ_PARK_LINJIANG": 3,
             "HZ_PARK_DAJIANGDONG": 3, "HZ_PARK_AIRPORT": 2, "HZ_PARK_QIANJIANG": 2,
             "HZ_PARK_ZIJINGANG": 1.5, "HZ_PARK_QINGSHANHU": 2, "HZ_PARK_LINAN": 1.5,
             "HZ_PARK_FUYANG": 2, "HZ_PARK_TONGLU": 1, "HZ_PARK_JIANDE": 1,
             "HZ_PARK_CHUNAN": 0.5}
# Manufacturing segments: weight per piece, kg [E]. No published B2B express weight was found
# (calibration §9, "not found"); the bracket: trade usage calls 3-30 kg "large-item express"
# [LQ]; Wuxi's manufacturing express earned ~20 CNY per piece in 2020 [R/D, calibration §9]
# against ~10.5 CNY for the average parcel (national revenue per parcel 12.37 in 2017 and 9.14
# in 2023 [D, facts §1], 2020 interpolated): twice the price under first-kg + per-kg tariffs
# is several times the weight -> 4-8 kg, average ~6 kg. Inbound parts (totes and cartons of
# components) 8 kg; outbound orders (finished goods to distributors and firms) 5 kg; reverse
# logistics (returns, repairs, returnable packaging) 4 kg.
MFG_SEGMENT_KG = {"parts_inbound": 8.0, "order_outbound": 5.0, "reverse": 4.0}
SEGMENT_KG.update(MFG_SEGMENT_KG)
# Manufacturing express pieces as a share of all express pieces: 9.4亿 deliveries for
# manufacturing [R, Xinhua 2019-09-17, ~2018] / 507.1亿 national pieces in 2018 [R] = 1.85 %.
# Applied to the study's 2024 domestic pieces of its Hangzhou nodes [D x E: a national share
# for a city with 16 key zones; the pilot's revenue targets are not public].
MFG_SHARE = 9.4 / 507.1
# Split of the parks' manufacturing pieces by segment [E]: inbound parts 40 %, outbound
# orders 50 %, reverse 10 % (returns run at a few per cent of B2B orders; repairs and
# returnable packaging add to it).
MFG_SEGMENT_SHARE = {"parts_inbound": 0.40, "order_outbound": 0.50, "reverse": 0.10}
# Regions each park trades with [E]: inbound parts from the Yangtze River Delta supply base
# (Suzhou or Shanghai; Shenzhen's electronics for the hi-tech zones); outbound orders to the
# park's main market (reverse flows come back from it); the national zones ship to two
# markets. A region's node stands for the region. (Parts from Ningbo, within Zhejiang, would be
# as plausible but have over 120 paths per corridor under the path grammar.)
MFG_INBOUND = {"HZ_PARK_XIASHA": "CN_SHANGHAI", "HZ_PARK_XIAOSHAN_EDZ": "CN_SUZHOU",
               "HZ_PARK_YUHANG_EDZ": "CN_SUZHOU", "HZ_PARK_FUTURE_SCI": "CN_SHANGHAI",
               "HZ_PARK_HIGHTECH": "CN_SHENZHEN", "HZ_PARK_LINJIANG": "CN_SHANGHAI",
               "HZ_PARK_DAJIANGDONG": "CN_SHANGHAI", "HZ_PARK_AIRPORT": "CN_SHANGHAI",
               "HZ_PARK_QIANJIANG": "CN_SUZHOU", "HZ_PARK_ZIJINGANG": "CN_SHENZHEN",
               "HZ_PARK_QINGSHANHU": "CN_SUZHOU", "HZ_PARK_LINAN": "CN_SUZHOU",
               "HZ_PARK_FUYANG": "CN_SHANGHAI", "HZ_PARK_TONGLU": "CN_SHANGHAI",
               "HZ_PARK_JIANDE": "CN_SHANGHAI", "HZ_PARK_CHUNAN": "CN_SHANGHAI"}
MFG_MARKETS = {"HZ_PARK_XIASHA": ["CN_BEIJING", "CN_GUANGZHOU"],
               "HZ_PARK_XIAOSHAN_EDZ": ["CN_WUHAN", "CN_SHANGHAI"],
               "HZ_PARK_YUHANG_EDZ": ["CN_CHENGDU", "CN_BEIJING"],
               "HZ_PARK_FUTURE_SCI": ["CN_SHENZHEN"],
               "HZ_PARK_HIGHTECH": ["CN_BEIJING", "CN_SHANGHAI"],
               "HZ_PARK_LINJIANG": ["CN_GUANGZHOU"], "HZ_PARK_DAJIANGDONG": ["CN_WUHAN"],
               "HZ_PARK_AIRPORT": ["CN_CHENGDU"], "HZ_PARK_QIANJIANG": ["CN_NANJING"],
               "HZ_PARK_ZIJINGANG": ["CN_BEIJING"], "HZ_PARK_QINGSHANHU": ["CN_XIAN"],
               "HZ_PARK_LINAN": ["CN_HEFEI"], "HZ_PARK_FUYANG": ["CN_CHANGSHA"],
               "HZ_PARK_TONGLU": ["CN_NANCHANG"], "HZ_PARK_JIANDE": ["CN_FUZHOU"],
               "HZ_PARK_CHUNAN": ["CN_SHANGHAI"]}
# Warehouse-and-distribute centres (仓配一体, plan task 4), optional hubs beside six parks.
# The plan encourages express centres in idle factory buildings and warehouses (plan text line
# 37), so opening one is a fit-out, not a new site [E]: 0.3亿 CNY; a module of 60,000
# reference parcels/day (72 t/day) costs 0.6亿 CNY [E, a third of the sorting-hub module's
# 2.2亿 for 180,000/day]; handling 0.22 CNY per reference parcel, 1.5 h (cartons move on
# pallets, no parcel sort; ZTO's sorting cost is 0.26 [R, facts §2.1]) [E]; at most 4 modules.
# Each centre has feeder links to its park and road trunk links to the park's regions only, so
# other corridors cannot route through it.
PARK_DC = {"HZ_PARK_XIASHA": "HZ_DC_XIASHA", "HZ_PARK_XIAOSHAN_EDZ": "HZ_DC_XIAOSHAN",
           "HZ_PARK_YUHANG_EDZ": "HZ_DC_YUHANG", "HZ_PARK_HIGHTECH": "HZ_DC_HIGHTECH",
           "HZ_PARK_LINJIANG": "HZ_DC_LINJIANG", "HZ_PARK_DAJIANGDONG": "HZ_DC_DAJIANGDONG"}
DC_SITE_OFFSET = (0.01, 0.01)  # beside the park: ~1.5 km north-east of its centre [E]
DC_HUB = dict(module=60_000, module_capex=0.6e8, handling=0.22, handling_h=1.5,
              open_capex=0.3e8, max_modules=4)
# Monthly season of manufacturing express [E]: no Double-11 peak (B2B orders are not retail),
# a March restart after the Spring Festival and a year-end push; the Spring-Festival dip of the
# parcel series applies too (factories close).
MFG_SEASON = np.array([1.00, 0.92, 1.05, 1.01, 1.01, 1.02, 0.98, 0.98, 1.02, 0.99, 1.00, 1.02])


def park_ids() -> list[str]:
    """Every industrial park of the study: the 4 original ones, then MFG_PARKS."""
    return [r[0] for r in ZJ_NODES if r[3] == "industrial_park"] + [r[0] for r in MFG_PARKS]


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
    for nid, en, zh, lat, lon, cc, _lane, _rail in WAREHOUSES:
        rows.append(dict(node_id=nid, name_en=en, name_zh=zh, kind="overseas_warehouse", lat=lat,
                         lon=lon, country=cc, region="Global", rural=False))
    if WRITE_FACTORIES:  # into factories: the added parks and their candidate centres
        for nid, en, zh, lat, lon in MFG_PARKS:
            rows.append(dict(node_id=nid, name_en=en, name_zh=zh, kind="industrial_park",
                             lat=lat, lon=lon, country="CN", region="Hangzhou", rural=False))
        parks = {r["node_id"]: r for r in rows if r["kind"] == "industrial_park"}
        for park, dc in PARK_DC.items():
            p = parks[park]
            rows.append(dict(node_id=dc, name_en=f"Warehouse-and-distribute centre, {p['name_en']}"
                             " (candidate)", name_zh=f"{p['name_zh']}仓配一体中心(备选)",
                             kind="hub", lat=round(p["lat"] + DC_SITE_OFFSET[0], 4),
                             lon=round(p["lon"] + DC_SITE_OFFSET[1], 4), country="CN",
                             region="Hangzhou", rural=False))
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
    if WRITE_FACTORIES:
        for dc in PARK_DC.values():
            rows.append(dict(hub_id=dc, capacity_parcels_per_day=0,
                             module_parcels_per_day=DC_HUB["module"],
                             module_cost_cny_per_year=annualised(DC_HUB["module_capex"]),
                             handling_cost_cny_per_parcel=DC_HUB["handling"],
                             handling_h=DC_HUB["handling_h"], transfer_modes="road",
                             fixed_cost_cny_per_year=annualised(DC_HUB["open_capex"]),
                             optional=True, customs_h="", max_modules=DC_HUB["max_modules"]))
    return rows


def _link(cls: str, a: str, b: str, role: str, gc_km: float, coords, rural: bool = False,
          detour: float | None = None, var_cny: float | None = None,
          extra_h: float = 0.0) -> dict:
    """One directed link of class `cls`; cost, time, CO2 and module cost from the class.

    var_cny: variable CNY/parcel for lanes priced per container (sea, China-Europe rail)
    instead of per km; extra_h: time abroad counted in the link's transit (ABROAD_H)."""
    c = LINK_CLASSES[cls]
    km = gc_km * (detour if detour is not None else c["detour"])
    var = var_cny if var_cny is not None else c["rate"] * PARCEL_KG / 1000 * km  # CNY/parcel
    per_dep, dpw = c["per_dep"], c["dpw"]
    dep_fixed = c["phi"] * var * per_dep + c["dep"]  # CNY per departure not covered by `var`
    return dict(link_id=f"{a}>{b}:{c['mode']}", from_node=a, to_node=b, mode=c["mode"],
                role=role, distance_km=round(km, 1),
                cost_cny_per_parcel=round(var + c["term"], 4),
                transit_h=round(km / c["kmh"] + c["dwell"] + extra_h, 2), co2_kg_per_tkm=c["co2"],
                capacity_parcels_per_day=0.0, module_parcels_per_day=round(per_dep * dpw / 7),
                module_cost_cny_per_year=round(365 * dpw / 7 * dep_fixed, -2),
                module_departures_per_week=dpw,
                min_weekly_frequency=3 if rural else "", _cls=cls)


def _per_container(usd_per_feu: float, cls: str) -> float:
    """Variable CNY/parcel of a lane priced per FEU: the full-container price shared by the
    parcels that fill it, less the fixed share phi carried by the module cost."""
    return usd_per_feu * USD_CNY / PER_FEU / (1 + LINK_CLASSES[cls]["phi"])


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
            if "HGH" in out[nid]:  # the airport's international centre sits beside it
                out[nid].append("HGH_IEC")
        else:
            out[nid] = _nearest(nid, SORTING_HUBS, coords, 2)
            if nid in EXTRA_COLLECT:
                out[nid].append(EXTRA_COLLECT[nid])
    if WRITE_FACTORIES:
        for nid, *_rest in MFG_PARKS:  # as a district; the western zones also the Tonglu hub
            out[nid] = _nearest(nid, HZ_COLLECT_HUBS, coords, 3)
            if not any(h in SORTING_HUBS for h in out[nid]):
                out[nid][-1] = _nearest(nid, SORTING_HUBS, coords, 1)[0]
            if nid in ("HZ_PARK_TONGLU", "HZ_PARK_JIANDE", "HZ_PARK_CHUNAN"):
                out[nid].append("HZ_TONGLU_HUB")
            if "HGH" in out[nid]:
                out[nid].append("HGH_IEC")
    return out


def build_links(coords, attach: dict[str, list[str]]) -> list[dict]:
    """Collection, distribution and line-haul links in both directions."""
    rural = {r[0] for r in ZJ_NODES if r[3] == "county"}
    links = []

    def both(cls, a, b, role_ab="linehaul", role_ba="linehaul", rural_link=False, detour=None,
             var_cny=None, extra_h=0.0):
        d = haversine_km(coords[a], coords[b])
        links.append(_link(cls, a, b, role_ab, d, coords, rural_link, detour, var_cny, extra_h))
        links.append(_link(cls, b, a, role_ba, d, coords, rural_link, detour, var_cny, extra_h))

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
    rail_eu = _per_container(RAIL_INTL_USD_PER_FEU["europe"], "rail_intl")
    rail_asean = _per_container(RAIL_INTL_USD_PER_FEU["asean"], "rail_intl")
    for region, table in (("Neighbouring", NEIGHBOURING), ("Global", GLOBAL)):
        abroad = ABROAD_H[region]
        for nid, _en, _zh, _lat, _lon, cc, _w in table:
            for airport in ("HGH_IEC", "JIAXING_AIR") if nid in JIAXING_AIR_DEST else ("HGH_IEC",):
                gc = haversine_km(coords[airport], coords[nid])
                both("air_intl_long" if gc > AIR_LONG_HAUL_KM else "air_intl_short", airport, nid,
                     extra_h=abroad)
            if nid != "RU_MOSCOW":
                lane = "us_east" if nid in SEA_US_EAST else SEA_LANE[cc]
                both("sea", "NINGBO_PORT", nid, detour=SEA_US_EAST.get(nid, SEA_ROUTE_FACTOR[cc]),
                     var_cny=_per_container(OCEAN_USD_PER_FEU[lane], "sea"), extra_h=abroad)
            if nid in CHINA_EUROPE_RAIL:
                both("rail_intl", "YIWU_RAIL", nid, detour=madrid_factor, var_cny=rail_eu,
                     extra_h=abroad)
            if nid in ASEAN_RAIL:
                both("rail_intl", "YIWU_RAIL", nid, detour=1.4, var_cny=rail_asean,
                     extra_h=abroad)
    for nid, _en, _zh, _lat, _lon, cc, lane, by_rail in WAREHOUSES:  # restocking, outbound only
        d = haversine_km(coords["NINGBO_PORT"], coords[nid])
        factor = SEA_US_EAST["US_NEW_YORK"] if lane == "us_east" else SEA_ROUTE_FACTOR[cc]
        links.append(_link("sea", "NINGBO_PORT", nid, "linehaul", d, coords, detour=factor,
                           var_cny=_per_container(OCEAN_USD_PER_FEU[lane], "sea"),
                           extra_h=WAREHOUSE_ABROAD_H))
        if by_rail:
            d = haversine_km(coords["YIWU_RAIL"], coords[nid])
            links.append(_link("rail_intl", "YIWU_RAIL", nid, "linehaul", d, coords,
                               detour=madrid_factor, var_cny=rail_eu,
                               extra_h=WAREHOUSE_ABROAD_H))
    if WRITE_FACTORIES:  # warehouse-and-distribute centres: their park and its regions only
        for park, dc in PARK_DC.items():
            both("road_feeder", park, dc, "collection", "distribution")
            for region in dict.fromkeys([MFG_INBOUND[park], *MFG_MARKETS[park]]):
                both("road_trunk", dc, region)
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
    out = []
    for o, d, sc in rows:  # cross-border parcels to or from a buyer are direct mail
        seg = "parcel" if sc == "domestic" else "direct_mail"
        out.append(dict(corridor_id=f"{o}>{d}" + ("" if seg == "parcel" else f":{seg}"),
                        origin=o, destination=d, service_class=sc, segment=seg))
    parks = [r[0] for r in zj if r[3] == "industrial_park"]
    for o in parks + RESTOCK_CITIES:  # bulk B2B restocking of overseas warehouses, appended
        out.extend(dict(corridor_id=f"{o}>{w[0]}:restocking", origin=o, destination=w[0],
                        service_class="global", segment="restocking") for w in WAREHOUSES)
    if WRITE_FACTORIES:
        out.extend(manufacturing_corridors())
    return out


def manufacturing_corridors() -> list[dict]:
    """Per park: inbound parts from its supply region, outbound orders to each market and
    reverse flows back from it (56 corridors for 16 parks), appended after the others."""
    out = []

    def add(o, d, seg):
        out.append(dict(corridor_id=f"{o}>{d}:{seg}", origin=o, destination=d,
                        service_class="domestic", segment=seg))

    for park in park_ids():
        add(MFG_INBOUND[park], park, "parts_inbound")
        for m in MFG_MARKETS[park]:
            add(park, m, "order_outbound")
            add(m, park, "reverse")
    return out


def manufacturing_volumes(corridors: list[dict], volumes: dict[str, float]) -> dict[str, float]:
    """2024 pieces/day of the manufacturing corridors [D x E]: MFG_SHARE x the 2024 domestic
    pieces of the study's Hangzhou nodes, split by park (PARK_MASS), segment
    (MFG_SEGMENT_SHARE) and market (0.6 / 0.4 when a park ships to two)."""
    hz_domestic = sum(volumes[c["corridor_id"]] for c in corridors
                      if c["segment"] == "parcel" and (c["origin"].startswith("HZ_")
                                                      or c["destination"].startswith("HZ_")))
    total = MFG_SHARE * hz_domestic
    mass = sum(PARK_MASS.values())
    out = {}
    for c in corridors:
        seg = c["segment"]
        if seg not in MFG_SEGMENT_KG:
            continue
        park = c["destination"] if seg in ("parts_inbound", "reverse") else c["origin"]
        region = c["origin"] if seg in ("parts_inbound", "reverse") else c["destination"]
        markets = MFG_MARKETS[park]
        split = 1.0 if seg == "parts_inbound" or len(markets) == 1 else \
            (0.6 if region == markets[0] else 0.4)
        out[c["corridor_id"]] = total * PARK_MASS[park] / mass * MFG_SEGMENT_SHARE[seg] * split
    return out


def base_volumes(corridors: list[dict], coords) -> dict[str, float]:
    """Synthetic 2024 mean parcels/day per corridor: a gravity model scaled to TARGET_2024."""
    zj = {r[0]: r for r in ZJ_NODES}
    attraction = {r[0]: r[5] for r in DOMESTIC}
    attraction.update({r[0]: r[6] for r in NEIGHBOURING + GLOBAL})
    hz = coords["HZ_YRD_EXPRESS_PARK"]
    raw, group = {}, {}
    for c in corridors:
        if c["segment"] in MFG_SEGMENT_KG:  # manufacturing_volumes, from the others
            continue
        o, d = c["origin"], c["destination"]
        outbound = o in zj
        node, city = (o, d) if outbound else (d, o)
        dist = haversine_km(coords[node], coords[city])
        if c["service_class"] == "domestic":
            decay = (max(dist, 100.0) / 500.0) ** -0.7
            mass = zj[node][7] if outbound else zj[node][8]
            raw[c["corridor_id"]] = mass * attraction[city] * decay
            group[c["corridor_id"]] = "out_domestic" if outbound else "in_domestic"
        elif c["segment"] == "restocking":
            raw[c["corridor_id"]] = zj[node][7] * zj[node][9] * WAREHOUSE_ATTRACTION[city]
            group[c["corridor_id"]] = "out_restocking"
        else:
            propensity = zj[node][9] if outbound else 1.0
            mass = zj[node][7] if outbound else zj[node][8]
            near = 1.0 if haversine_km(hz, coords[city]) < 5000 else 0.8
            raw[c["corridor_id"]] = mass * propensity * attraction[city] * near
            group[c["corridor_id"]] = "out_international" if outbound else "in_international"
    totals = defaultdict(float)
    for cid, v in raw.items():
        totals[group[cid]] += v
    out = {cid: v * TARGET_2024[group[cid]] / totals[group[cid]] for cid, v in raw.items()}
    out.update(manufacturing_volumes(corridors, out))
    return out


# --------------------------------------------------------------------------------------------
# Existing link capacity: a reference assignment of the 2024 volumes (synthetic)
# --------------------------------------------------------------------------------------------
def _ref_mode_split(segment: str, gc_km: float, available: set[str]) -> dict[str, float]:
    """Share of a corridor's 2024 parcels by link class in the reference assignment [E].

    Domestic: HSR express is < 0.1 % of national parcels [R, 2020] and at most ~0.5 % in the
    Double-11 peak [E, calibration §1]; the West Station centre is a pilot-plan flagship, so
    0.2 % / 1 % here. Air: domestic air cargo and mail (all of it, not only express) weighed
    967.7万 t in 2023 [D: 1,683.3 - 715.6万 t, CAAC] = 6 % of the express tonnage (1,320.7亿 x
    1.2 kg) -> at most a few % of parcels, mostly on long hauls. Direct mail: air ~80 % of
    cross-border e-commerce goods [R, LQ]. Restocking: sea, China-Europe rail where it runs."""
    if segment == "parcel":
        split = ({"road_trunk": 0.978, "hsr": 0.002, "air": 0.02} if gc_km < 900 else
                 {"road_trunk": 0.86, "hsr": 0.01, "air": 0.10, "rail_express": 0.02,
                  "coastal": 0.01})
        fallback = "road_trunk"
    elif segment == "restocking":
        split = {"sea": 0.8, "rail_intl": 0.2}
        fallback = "sea"
    elif segment in MFG_SEGMENT_KG:  # B2B cartons: road, express trains on long hauls [E]
        split = {"road_trunk": 0.97, "rail_express": 0.03} if gc_km > 1000 else \
            {"road_trunk": 1.0}
        fallback = "road_trunk"
    else:
        split = {"air": 0.80, "sea": 0.15, "rail_intl": 0.05}
        fallback = "air"
    out: dict[str, float] = defaultdict(float)
    for k, v in split.items():
        out[k if k in available else fallback] += v
    return out


MODE_HUB = {"road_trunk": None, "hsr": "HZ_WEST_HSR", "air": "HGH", "rail_express": "HZ_QIANTANG",
            "coastal": "NINGBO_PORT", "sea": "NINGBO_PORT", "rail_intl": "YIWU_RAIL",
            "air_intl": "HGH_IEC"}


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
        v = volumes[c["corridor_id"]] * SEGMENT_KG[c["segment"]] / PARCEL_KG  # reference parcels
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
        for cls, share in _ref_mode_split(c["segment"], haversine_km(hz, coords[city]),
                                          available).items():
            if cls == "road_trunk":
                for h, w in zip(sorting, weights, strict=True):
                    legs = [feeder(node, h), road(h, city)]
                    for lk in legs if outbound else [road(city, h), feeder(h, node)]:
                        flow[lk] += v * share * w
                continue
            mh = MODE_HUB["air_intl" if cls == "air" and c["segment"] != "parcel" else cls]
            lh_cls = cls
            if cls == "air":
                gc = haversine_km(coords[mh], coords[city])
                lh_cls = ("air_dom" if c["service_class"] == "domestic" else
                          "air_intl_long" if gc > AIR_LONG_HAUL_KM else "air_intl_short")
            h1 = sorting[0]
            if outbound:
                legs = ([feeder(node, mh)] if mh in hubs else [feeder(node, h1), road(h1, mh)])
                legs.append(by_ends[(mh, city, lh_cls)])
            else:
                legs = [by_ends[(city, mh, lh_cls)]]
                legs += [feeder(mh, node)] if mh in hubs else [road(mh, h1), feeder(h1, node)]
            for lk in legs:
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
    mfg_season = np.tile(MFG_SEASON, n // 12) * spring_festival_factor()
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
        seas = mfg_season if c.get("segment") in MFG_SEGMENT_KG else season
        shape = np.exp(beta * log_trend) * seas * covid * days
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
              "module_parcels_per_day", "module_cost_cny_per_year", "min_weekly_frequency"]
    + (["module_departures_per_week"] if WRITE_SEGMENTS else []),
    "hubs": ["hub_id", "capacity_parcels_per_day", "module_parcels_per_day",
             "module_cost_cny_per_year", "handling_cost_cny_per_parcel", "handling_h",
             "transfer_modes", "fixed_cost_cny_per_year", "optional", "customs_h", "max_modules"],
    "corridors": ["corridor_id", "origin", "destination", "service_class"]
    + (["segment"] if WRITE_SEGMENTS else []),
    "history": ["corridor_id", "month", "parcels"],
}


# Observed base-year figures (calibration_observed.csv, read by netdesign.results.calibration):
# figure, metric, hubs, mode, scope, observed, unit, source.
OBSERVED = [
    ("HGH airport cargo and mail (study parcels via HGH and HGH_IEC)", "airport_t_per_year",
     "HGH|HGH_IEC", "", "all", 732_000, "t/yr",
     "2024 = 790,000 t (2025, +7.9 %) / 1.079 [D; R: Xinhua (Japanese edition) 2026-01-13, "
     "news.livedoor.com/topics/detail/30363319/]; all cargo and mail, not only express"),
    ("HGH international cargo and mail (study parcels via HGH_IEC)", "airport_t_per_year",
     "HGH_IEC", "", "all", 196_700, "t/yr",
     "2024 ~ 201,000 t (international terminal, 1 Jan-21 Nov 2025, +14.7 %) / 1.147 x 366/326 "
     "[D; R, LQ: 中新网 2025-12-29 mirror 0911-baidu.com/arodue/etfx_48122.htm]"),
    ("HSR express share of domestic parcels", "link_share_of_parcels", "HZ_WEST_HSR", "rail",
     "domestic", 0.001, "share",
     "< 0.1 % of national express parcels (2020) [R: China Daily 2021-03-16]; Double-11 2024 "
     "peak at most 0.3-0.6 % incl. luggage cars [E, calibration §1]"),
    ("Rail share of domestic parcels (main mode)", "share_of_parcels", "", "rail", "domestic",
     0.0045, "share",
     "0.3-0.6 %, midpoint [E]: rail (HSR + luggage cars) carried 73,000 t in 1-20 Nov 2024 "
     "[R: Xinhua 2024-11-21] = 3,650 t/day / 1-2 kg vs ~580 m parcels/day nationally [R]"),
    ("Air share of domestic parcels (main mode), upper bound", "share_of_parcels", "", "air",
     "domestic", 0.061, "share",
     "<= 6.1 % [D]: all domestic air cargo and mail 2023 = 1,683.3 - 715.6 = 967.7万 t [R: CAAC "
     "bulletin via m.by56.com/news/34491.html] / express 1,320.7亿 x 1.2 kg [R x E]"),
    ("Road share of domestic parcels (main mode), lower bound", "share_of_parcels", "", "road",
     "domestic", 0.933, "share",
     ">= 1 - 0.061 (air bound) - 0.006 (rail bracket) [D]; no published road share of express "
     "parcels was found (SPB and MOT bulletins give none)"),
    ("CO2 per parcel (transport)", "co2_kg_per_parcel", "", "", "all", 0.27, "kg CO2e/parcel",
     "0.27 kg CO2e per parcel, transport of China's express parcels in 2018, ~99 % of it "
     "inter-city [R: Kang et al. 2021, Nature Communications 12:450]"),
    ("International share of parcels", "international_share", "", "", "all", 0.023, "share",
     "2.3 % nationally in 2023 (30.7 of 1,320.7亿) [R: Xinhua 2024-01-22]; Hangzhou Feb 2022 "
     "12.18 % incl. HK-MO-TW [R, LQ: dmsdw.cn/2038.html]"),
    ("Road line-haul cost per domestic road parcel (variable)", "linehaul_cost_cny_per_parcel",
     "", "road", "domestic", 0.41, "CNY/parcel",
     "ZTO unit line-haul transport cost 0.41 CNY/parcel, 2024 [R: 中邮证券 2025-03-20 via "
     "reportify.ai]; a network average incl. short hauls and fixed costs"),
]
OBSERVED_COLUMNS = ["figure", "metric", "hubs", "mode", "scope", "observed", "unit", "source"]


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
    _write_csv(out / "calibration_observed.csv", OBSERVED_COLUMNS, OBSERVED)
    return {name: len(rows) for name, rows in tables.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT,
                        help="output folder (default: the package data folder)")
    parser.add_argument("--without-factories", action="store_true",
                        help="leave out the into-factories parks, segments and centres (the "
                        "study before issue 15; for benchmarks, with --out)")
    args = parser.parse_args(argv)
    if args.without_factories:
        global WRITE_FACTORIES
        WRITE_FACTORIES = False
    sizes = build_study(args.out)
    print(", ".join(f"{k}: {v} rows" for k, v in sizes.items()), "->", args.out)


if __name__ == "__main__":
    main()
