"""The demo county's catalogue: places, departments, event categories, names.

Nanling's towns and the published figures come from the seed article (../shared/seeds/000_*);
community, estate and person names are synthetic.
"""

from __future__ import annotations

# Published figures (seed 000): the demo must reproduce them exactly.
NANLING = {
    "county_code": "340223",
    "county_name": "南陵县",
    "center": (118.235, 30.91),
    "towns": 9,
    "communities": 25,
    "grids": 211,
    "grid_workers": 211,
    "population": 166_329,
    "houses": 87_911,
    "departments": 27,
    "days": 112,  # 31 July – 20 November
    "accepted": 979,
    "closed": 917,
    "in_progress": 32,
    "invalid": 30,
}

# (code suffix, name, kind, (lon, lat) of the town seat, grids, communities)
NANLING_TOWNS = [
    ("100", "籍山镇", "镇", (118.335, 30.925), 92, ["和顺社区", "逸和社区", "城东社区", "城西社区", "春谷社区", "陵阳社区", "漳河社区", "新城社区"]),
    ("400", "南陵经济开发区", "开发区", (118.285, 30.975), 21, ["经开社区", "园区社区", "龙山社区"]),
    ("101", "许镇镇", "镇", (118.175, 31.06), 14, ["许镇社区", "黄墓社区"]),
    ("102", "弋江镇", "镇", (118.31, 31.09), 14, ["弋江社区", "奎潭社区"]),
    ("103", "三里镇", "镇", (118.44, 31.0), 14, ["三里社区", "九连社区"]),
    ("104", "何湾镇", "镇", (118.33, 30.72), 14, ["何湾社区", "绿岭社区"]),
    ("105", "工山镇", "镇", (118.42, 30.83), 14, ["工山社区", "戴镇社区"]),
    ("106", "家发镇", "镇", (118.06, 30.95), 14, ["家发社区", "峨岭社区"]),
    ("107", "烟墩镇", "镇", (118.14, 30.77), 14, ["烟墩社区", "石铺社区"]),
]

# The 27 county departments connected to the platform (横向连接27个县直部门).
DEPARTMENTS = [
    ("D01", "县公安局"),
    ("D02", "县住房和城乡建设局"),
    ("D03", "县城市管理局"),
    ("D04", "市生态环境局南陵分局"),
    ("D05", "县市场监督管理局"),
    ("D06", "县应急管理局"),
    ("D07", "县交通运输局"),
    ("D08", "县水利局"),
    ("D09", "县农业农村局"),
    ("D10", "县自然资源和规划局"),
    ("D11", "县民政局"),
    ("D12", "县人力资源和社会保障局"),
    ("D13", "县卫生健康委员会"),
    ("D14", "县教育局"),
    ("D15", "县信访局"),
    ("D16", "县司法局"),
    ("D17", "县消防救援大队"),
    ("D18", "国网南陵县供电公司"),
    ("D19", "县自来水公司"),
    ("D20", "县文化旅游体育局"),
    ("D21", "县商务局"),
    ("D22", "县林业局"),
    ("D23", "县医疗保障局"),
    ("D24", "县退役军人事务局"),
    ("D25", "县数据资源管理局"),
    ("D26", "县公安局交通管理大队"),
    ("D27", "县残疾人联合会"),
]

# How slow each department is relative to its time limits (1 = typical). A few lag, as in life,
# so that the disposal ranking has something to say.
DEPARTMENT_PACE = {"D02": 1.35, "D10": 1.5, "D12": 1.25, "D15": 1.3, "D05": 0.8, "D17": 0.7, "D01": 0.85}

# Top-level categories: code, name, share of reports, is_major, is_dispute.
TOP_CATEGORIES = [
    ("SQ", "社区管理类", 0.30, False, False),
    ("AQ", "安全隐患类", 0.18, False, False),
    ("HJ", "环境污染类", 0.22, False, False),
    ("JF", "矛盾纠纷类", 0.13, False, True),
    ("MS", "民生服务类", 0.10, False, False),
    ("ZA", "治安稳定类", 0.06, False, False),
    ("ZD", "重大突发类", 0.01, True, False),
]

# Sub-categories: code, parent, name, time limit (h), handlers [(target, weight)], title templates.
# A handler target is a department code or one of "grid", "community", "town" (the area handles
# the case itself: 小事一格办理、大事全面联动).
CATEGORIES = [
    ("SQ01", "SQ", "公共设施损坏", 48, [("grid", 0.4), ("community", 0.4), ("D02", 0.2)],
     ["{place}健身器材底座松动", "{place}路灯不亮", "{place}窨井盖破损", "{place}休闲座椅损坏"]),
    ("SQ02", "SQ", "违章搭建", 120, [("community", 0.3), ("D03", 0.5), ("D10", 0.2)],
     ["{place}楼顶违章搭建", "{place}私自圈占绿地搭棚"]),
    ("SQ03", "SQ", "占道经营", 24, [("grid", 0.3), ("D03", 0.7)], ["{place}门前占道经营", "{place}流动摊贩占道"]),
    ("SQ04", "SQ", "物业管理问题", 72, [("community", 0.7), ("D02", 0.3)],
     ["{place}物业未及时清运垃圾", "{place}单元门禁损坏", "{place}电动车楼道充电"]),
    ("SQ05", "SQ", "楼道堆物", 24, [("grid", 0.8), ("community", 0.2)], ["{place}楼道堆放杂物", "{place}消防通道堆物"]),
    ("AQ01", "AQ", "消防安全隐患", 24, [("grid", 0.3), ("D17", 0.5), ("D06", 0.2)],
     ["{place}消防栓无水", "{place}灭火器过期", "{place}沿街商铺住人"]),
    ("AQ02", "AQ", "燃气安全隐患", 12, [("D06", 0.5), ("D02", 0.5)], ["{place}燃气管道老化", "{place}餐饮店燃气软管破损"]),
    ("AQ03", "AQ", "电梯故障", 24, [("D05", 0.7), ("community", 0.3)], ["{place}电梯频繁故障", "{place}电梯困人隐患"]),
    ("AQ04", "AQ", "危房隐患", 72, [("D02", 0.8), ("town", 0.2)], ["{place}老旧房屋墙体开裂", "{place}危房无人居住未拆除"]),
    ("AQ05", "AQ", "道路交通隐患", 48, [("D07", 0.5), ("D26", 0.5)], ["{place}路口信号灯故障", "{place}路面塌陷"]),
    ("AQ06", "AQ", "用电安全隐患", 24, [("D18", 0.8), ("grid", 0.2)], ["{place}电线私拉乱接", "{place}配电箱门损坏"]),
    ("HJ01", "HJ", "垃圾乱堆乱放", 24, [("grid", 0.6), ("community", 0.2), ("D03", 0.2)],
     ["{place}建筑垃圾乱堆", "{place}生活垃圾未及时清运"]),
    ("HJ02", "HJ", "污水排放", 72, [("D04", 0.6), ("D19", 0.4)], ["{place}污水井外溢", "{place}餐饮油污直排"]),
    ("HJ03", "HJ", "噪声扰民", 24, [("community", 0.4), ("D04", 0.3), ("D01", 0.3)],
     ["{place}夜间施工噪声扰民", "{place}广场舞音响扰民"]),
    ("HJ04", "HJ", "焚烧秸秆垃圾", 12, [("grid", 0.4), ("town", 0.3), ("D04", 0.3)], ["{place}露天焚烧垃圾", "{place}田间焚烧秸秆"]),
    ("JF01", "JF", "邻里纠纷", 168, [("grid", 0.5), ("community", 0.4), ("D16", 0.1)],
     ["{place}邻里漏水纠纷", "{place}邻里占用公共空间纠纷"]),
    ("JF02", "JF", "家庭婚姻纠纷", 168, [("community", 0.6), ("D16", 0.4)], ["{place}家庭赡养纠纷", "{place}婚姻家庭矛盾"]),
    ("JF03", "JF", "物业纠纷", 168, [("community", 0.6), ("D02", 0.4)], ["{place}业主与物业费用纠纷", "{place}电梯更新分摊争议"]),
    ("JF04", "JF", "劳资纠纷", 120, [("D12", 0.8), ("town", 0.2)], ["{place}务工人员讨要工资", "{place}装修工人欠薪"]),
    ("JF05", "JF", "土地山林纠纷", 240, [("town", 0.5), ("D10", 0.3), ("D22", 0.2)], ["{place}宅基地边界纠纷", "{place}山林承包纠纷"]),
    ("MS01", "MS", "困难救助", 72, [("community", 0.5), ("D11", 0.5)], ["{place}独居老人需要帮扶", "{place}困难家庭申请救助"]),
    ("MS02", "MS", "就业社保", 120, [("D12", 0.8), ("community", 0.2)], ["{place}居民咨询社保缴费", "{place}失业人员求职登记"]),
    ("MS03", "MS", "医疗卫生", 72, [("D13", 0.6), ("D23", 0.4)], ["{place}慢病老人就医不便", "{place}医保报销咨询"]),
    ("MS04", "MS", "供水供电", 24, [("D19", 0.5), ("D18", 0.5)], ["{place}停水未通知", "{place}频繁停电"]),
    ("ZA01", "ZA", "治安隐患", 24, [("D01", 0.8), ("grid", 0.2)], ["{place}监控探头损坏", "{place}可疑人员出入"]),
    ("ZA02", "ZA", "信访苗头", 72, [("D15", 0.6), ("town", 0.4)], ["{place}群众反映拆迁补偿诉求", "{place}业主集体反映问题"]),
    ("ZD01", "ZD", "重大安全事故险情", 4, [("D06", 0.6), ("D17", 0.4)], ["{place}厂房起火险情", "{place}燃气泄漏险情"]),
    ("ZD02", "ZD", "群体性事件苗头", 6, [("D01", 0.5), ("D15", 0.3), ("town", 0.2)], ["{place}群众聚集讨薪"]),
    ("ZD03", "ZD", "自然灾害险情", 6, [("D06", 0.4), ("D08", 0.6)], ["{place}山体滑坡险情", "{place}圩堤渗漏险情"]),
]

# Sources of reports and their shares.
SOURCE_SHARES = [("patrol", 0.62), ("public", 0.15), ("hotline", 0.12), ("video", 0.06), ("transfer", 0.05)]

ESTATES = [
    "和顺二期", "江南府", "时代广场", "春谷花园", "翡翠城", "阳光小区", "漳河湾", "新城花苑", "奎湖苑", "陵阳新村",
    "幸福里", "锦绣家园", "御景湾", "老街", "农贸市场", "工业园", "中心村", "新农村", "学府名苑", "滨河花园",
]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯亮晨瑶婷雪梅琳鑫鹏飞海燕春兵志红俊")
