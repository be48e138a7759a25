"""What the demo's cases are about: the departments a district dispatches to, how often each
category comes up (and in which season), which departments handle it, and the words people use.

The weights follow the shape of a district's 12345/数字城管 statistics: street-level nuisances
(garbage, small ads, vending, parking) make most of the volume; facilities, disputes, hazards and
care visits the rest.
"""

# code -> (name, handlers)
DEPARTMENTS = {
    "city_management": ("城市管理局", 3),
    "housing": ("住房和城乡建设局", 2),
    "market_supervision": ("市场监督管理局", 2),
    "police": ("公安分局", 3),
    "emergency": ("应急管理局", 2),
    "landscaping": ("园林绿化中心", 2),
    "transport": ("交通运输局", 2),
    "environment": ("生态环境分局", 2),
    "civil_affairs": ("民政局", 2),
    "health": ("卫生健康委员会", 2),
    "justice": ("司法局", 2),
    "power_supply": ("供电公司", 2),
    "water_supply": ("供水公司", 2),
    "gas_supply": ("燃气公司", 2),
}

# category code -> (weight, seasonal amplitude, peak month, {department: weight})
CATEGORIES = {
    "exposed_garbage": (18, 0.30, 7, {"city_management": 1}),
    "illegal_ad": (11, 0.10, 4, {"city_management": 1}),
    "street_vending": (10, 0.40, 7, {"city_management": 3, "market_supervision": 1}),
    "street_order": (9, 0.15, 6, {"police": 2, "city_management": 1, "transport": 1}),
    "manhole_cover": (6, 0.30, 7, {"city_management": 2, "water_supply": 1, "gas_supply": 1}),
    "street_light": (6, 0.35, 12, {"city_management": 2, "power_supply": 1}),
    "trash_bin": (4, 0.20, 8, {"city_management": 1}),
    "traffic_sign": (3, 0.0, 1, {"transport": 2, "police": 1}),
    "landscaping": (4, 0.45, 5, {"landscaping": 1}),
    "construction": (5, 0.30, 5, {"housing": 2, "environment": 1}),
    "dispute": (7, 0.15, 1, {"justice": 2, "police": 1}),
    "safety_hazard": (7, 0.35, 12, {"emergency": 2, "gas_supply": 1, "housing": 1}),
    "care_visit": (6, 0.40, 1, {"civil_affairs": 2, "health": 1}),
    "emergency": (1, 0.30, 7, {"emergency": 1}),
    "other_events": (3, 0.0, 1, {"city_management": 1, "environment": 1}),
}

# `{place}` is a building's compound and name.
TEMPLATES = {
    "exposed_garbage": ["{place}旁有生活垃圾堆放未清运，气味较大", "{place}楼道口堆放建筑垃圾，影响通行", "{place}附近绿化带内有暴露垃圾，居民反映多日未清理"],
    "illegal_ad": ["{place}单元门上张贴大量开锁、办证小广告", "{place}外墙有喷涂的非法小广告", "{place}附近电线杆上悬挂违规广告条幅"],
    "street_vending": ["{place}门口有流动摊贩占道经营，影响行人通行", "{place}附近夜间有烧烤摊占道，油烟扰民", "{place}外人行道上有三轮车卖水果，堵塞通道"],
    "street_order": ["{place}门口机动车乱停乱放，堵塞消防通道", "{place}附近共享单车大量堆放，占用盲道", "{place}旁有车辆长期占用公共车位"],
    "manhole_cover": ["{place}旁井盖破损下陷，存在安全隐患", "{place}门口井盖缺失，已临时放置警示物", "{place}附近井盖松动，车辆经过异响"],
    "street_light": ["{place}附近路灯不亮，夜间出行不便", "{place}旁路灯白天常亮", "{place}门口路灯灯杆倾斜"],
    "trash_bin": ["{place}旁垃圾桶破损，需更换", "{place}附近分类垃圾桶满溢，未及时清运", "{place}门口垃圾箱缺盖"],
    "traffic_sign": ["{place}附近路口交通标志被遮挡", "{place}门口减速带损坏", "{place}旁道路标线磨损不清"],
    "landscaping": ["{place}旁树木枝杈过低，影响行人通行", "{place}附近绿地被毁种菜", "{place}门口行道树倾斜，有倒伏风险"],
    "construction": ["{place}附近工地夜间施工噪声扰民", "{place}旁施工现场未覆盖防尘网，扬尘较大", "{place}有住户装修私拆承重墙，邻居反映"],
    "dispute": ["{place}两户居民因漏水问题发生纠纷，需调解", "{place}邻里因噪声问题多次争执", "{place}业主与物业因收费问题发生矛盾"],
    "safety_hazard": ["{place}楼道内电动车充电，私拉电线", "{place}楼道堆放杂物，堵塞消防通道", "{place}有住户使用液化气罐，存在燃气安全隐患"],
    "care_visit": ["{place}独居老人近日身体不适，需上门探视", "{place}困难家庭申请临时救助，需核实情况", "{place}残疾人家庭反映生活困难，需走访帮扶"],
    "emergency": ["{place}附近水管爆裂，路面积水", "{place}旁树木被大风刮倒，压住车辆", "{place}楼道突发停电，电梯困人"],
    "other_events": ["{place}附近有流浪犬聚集，居民担心安全", "{place}旁宣传栏破损，需维修", "{place}门口积水严重，排水不畅"],
}

REJECT_REASONS = [
    "经核实不属于网格事件受理范围，已告知上报人通过12345热线反映",
    "重复上报，同一事件已在办理中",
    "现场核实问题已自行消除",
    "属于小区物业服务范围，已转物业处理",
    "上报位置与描述不符，无法核实",
]
RETURN_REASONS = ["不属于本部门职责，请重新派遣", "该点位设施权属为其他单位，建议改派", "事项涉及多部门，请按职责重新派遣"]
FAILED_VERIFICATION_REASONS = ["现场核查问题未彻底解决，请继续处置", "处置后问题反弹，退回重办", "现场情况与处置反馈不符"]
REOPEN_REASONS = ["问题又出现了，请再处理一次", "处理不彻底，现场仍有遗留", "结案后问题反弹，居民再次反映"]
