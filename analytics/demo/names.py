"""Name pools of the fictional demo county (澄岭县): places, units, leaders, companies, texts.

Every name here is invented. The county plan (seeds/001, 篇2) fixes the five key industries and
the six industry-chain squads; the rest is scenery.
"""

from __future__ import annotations

# (industry_id, name, is_key, is_industrial). The five key industries are those of the plan.
INDUSTRIES: list[tuple[str, str, bool, bool]] = [
    ("culture_tourism", "文旅商贸", True, False),
    ("biomedicine", "生物医药", True, True),
    ("electronics", "电子信息", True, True),
    ("green_food", "绿色食品", True, True),
    ("bamboo", "竹精深加工", True, True),
    ("equipment", "装备制造", False, True),
    ("building_materials", "新型建材", False, True),
    ("logistics", "现代物流", False, False),
    ("digital_economy", "数字经济", False, False),
]

# Relative frequency of signings by industry (key industries ≈ 55% by count, more with the squads' own industries).
INDUSTRY_WEIGHTS: dict[str, float] = {
    "culture_tourism": 10,
    "biomedicine": 9,
    "electronics": 12,
    "green_food": 11,
    "bamboo": 9,
    "equipment": 14,
    "building_materials": 11,
    "logistics": 9,
    "digital_economy": 8,
}

# Invented county leaders: name(title).
LEADERS: dict[str, str] = {
    "county_head": "赵明远(县长)",
    "secretary_deputy": "刘景澄(县委副书记)",
    "executive": "周立恒(县委常委、常务副县长)",
    "vice_1": "陈书航(副县长)",
    "vice_2": "杨慕远(副县长)",
    "npc": "胡嘉宁(县人大常委会副主任)",
    "cppcc": "黄子衡(县政协副主席)",
    "united_front": "郑雨辰(县委常委、统战部长)",
}

# (squad_id, name, kind, industry_id, leader key, station_city)
SQUADS: list[tuple[str, str, str, str | None, str, str | None]] = [
    ("s01", "文旅商贸产业链招商小分队", "industry_chain", "culture_tourism", "secretary_deputy", None),
    ("s02", "生物医药产业链招商小分队", "industry_chain", "biomedicine", "vice_1", None),
    ("s03", "电子信息产业链招商小分队", "industry_chain", "electronics", "executive", None),
    ("s04", "绿色食品产业链招商小分队", "industry_chain", "green_food", "vice_2", None),
    ("s05", "竹精深加工产业链招商小分队", "industry_chain", "bamboo", "npc", None),
    ("s06", "工业园主战场招商小分队", "industry_chain", None, "county_head", None),
    ("s07", "驻深圳招商小分队", "stationed", None, "cppcc", "深圳"),
    ("s08", "驻上海招商小分队", "stationed", None, "united_front", "上海"),
]

# (unit_id, name, township class). t02 柳河镇 hosts the county industrial park.
TOWNSHIPS: list[tuple[str, str, str]] = [
    ("t01", "桂溪镇", "1"),
    ("t02", "柳河镇", "1"),
    ("t03", "青岗镇", "1"),
    ("t04", "枫林镇", "1"),
    ("t05", "龙潭镇", "1"),
    ("t06", "石门镇", "1"),
    ("t07", "白沙乡", "2"),
    ("t08", "茶岭乡", "2"),
    ("t09", "梅坪乡", "2"),
    ("t10", "竹溪乡", "2"),
    ("t11", "云台乡", "2"),
    ("t12", "杉木乡", "2"),
]
PARK_TOWNSHIP = "t02"

# (unit_id, name, squad_id): each department joins exactly one industry-chain squad.
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("d01", "县文广新旅局", "s01"),
    ("d02", "县市场监管局", "s01"),
    ("d03", "县住建局", "s01"),
    ("d04", "县城管局", "s01"),
    ("d05", "县医疗保障局", "s02"),
    ("d06", "县卫健委", "s02"),
    ("d07", "县林业局", "s02"),
    ("d08", "县工信局", "s03"),
    ("d09", "县科技局", "s03"),
    ("d10", "县人社局", "s03"),
    ("d11", "县农业农村局", "s04"),
    ("d12", "县水利局", "s04"),
    ("d13", "县乡村振兴局", "s04"),
    ("d14", "县供销合作社", "s04"),
    ("d15", "县自然资源局", "s05"),
    ("d16", "县交通运输局", "s05"),
    ("d17", "县生态环境局", "s05"),
    ("d18", "县工业园区管委会", "s06"),
    ("d19", "县商务局", "s06"),
    ("d20", "县发改委", "s06"),
]

# Stationed squads' members: (name, first month "YYYY-MM" or None, last month or None).
STATION_MEMBERS: dict[str, list[tuple[str, str | None, str | None]]] = {
    "s07": [("李晓峰", None, None), ("王婧", None, None), ("许哲", "2023-04", None)],
    "s08": [("马骁", None, None), ("孙雅琪", None, None), ("邓文博", None, "2024-12")],
}

CITIES = [
    "深圳市",
    "上海",
    "杭州",
    "广州市",
    "长沙",
    "南昌",
    "东莞市",
    "苏州",
    "宁波",
    "厦门",
    "成都",
    "武汉",
    "佛山市",
    "温州",
    "合肥",
    "福州",
    "泉州",
    "无锡",
    "常州",
    "郑州",
]
HOME_PROVINCE_CITIES = ["澄岭县", "江州市", "江州", "赣阳市", "湘平市"]
FOREIGN_PLACES = ["香港", "新加坡", "澳门", "台湾", "日本", "韩国", "德国"]

CORE_CHARS = (
    "华锐鑫源恒泰德隆宏达嘉盛瑞丰博润汇创宇昌海康美凯力信诚安金银晶光明天星辰峰远航腾飞祥和欣怡"
    "蓝青翠茂林振兴永通佳禾中亿洲科"
)
LATIN_CORES = ["ZK", "HTC", "AMT", "KBT", "Eco", "Sino", "Vita", "Nova", "iLink", "Lumi", "Bio", "Tek"]

COMPANY_WORDS: dict[str, list[str]] = {
    "culture_tourism": ["文化旅游发展", "酒店管理", "商业管理", "康养产业", "文旅投资"],
    "biomedicine": ["生物科技", "药业", "医疗器械", "制药", "中药饮片"],
    "electronics": ["电子科技", "光电", "微电子", "智能科技", "电路"],
    "green_food": ["食品", "茶业", "农业开发", "生态农业", "蜂业", "菌业"],
    "bamboo": ["竹业", "竹木制品", "竹纤维科技", "竹基新材料"],
    "equipment": ["机械", "智能装备", "精密制造", "重工"],
    "building_materials": ["新型建材", "建材科技", "环保材料", "新材料"],
    "logistics": ["供应链管理", "物流", "冷链物流"],
    "digital_economy": ["数字科技", "信息技术", "网络科技", "数据服务"],
}
COMPANY_SUFFIXES = ["有限公司"] * 8 + ["股份有限公司", "集团有限公司"]

PROJECT_TEMPLATES: dict[str, list[str]] = {
    "culture_tourism": [
        "文旅综合体项目",
        "康养度假小镇项目",
        "精品民宿集群项目",
        "商贸物流城项目",
        "温泉度假酒店项目",
        "乡村旅游示范区项目",
    ],
    "biomedicine": [
        "黄精精深加工项目",
        "中药饮片生产基地项目",
        "医疗器械产业园项目",
        "生物提取及合成项目",
        "年产{n}吨中成药项目",
    ],
    "electronics": [
        "年产{n}万片柔性电路板项目",
        "光电显示模组生产线项目",
        "传感器及敏感元器件项目",
        "智能终端组装基地项目",
        "芯片封装测试项目",
        "汽车电子器件项目",
    ],
    "green_food": [
        "富硒食品精深加工项目",
        "年产{n}吨茶叶精制项目",
        "竹笋食品加工项目",
        "蜂蜜制品生产线项目",
        "食用菌产业园项目",
        "肉制品深加工项目",
    ],
    "bamboo": [
        "竹精深加工产业园项目",
        "年产{n}万立方米竹基新材料项目",
        "竹纤维制品项目",
        "竹家居用品生产线项目",
    ],
    "equipment": [
        "智能装备制造基地项目",
        "精密零部件生产线项目",
        "农机装备项目",
        "年产{n}台(套)专用设备项目",
    ],
    "building_materials": ["装配式建材生产基地项目", "新型墙体材料项目", "年产{n}万吨环保砂石项目"],
    "logistics": ["冷链物流园项目", "区域物流分拨中心项目", "电商仓储配送中心项目"],
    "digital_economy": ["数字经济产业园项目", "数据中心项目", "直播电商基地项目"],
}

NOTES = [
    "视频签约",
    "以商招商引进",
    "飞地经济项目",
    "中介招商引进(上海)",
    "招商推介会签约",
    "增资扩产",
    "总部经济项目",
    "驻深圳小分队对接",
    "驻上海小分队对接",
    "标准化厂房租赁",
    "拿地即开工试点",
]
# One note starts with "-": exporters and spreadsheet tools must not read it as a formula.
DASH_NOTE = "-原签约主体变更为全资子公司,待补充协议"

# (description, responsible department unit_id or "township" for the project's township, category).
PROBLEMS: list[tuple[str, str, str]] = [
    ("项目用地指标未落实,需调整土地利用规划", "d15", "land"),
    ("环评审批滞后,影响开工", "d17", "environment"),
    ("电力增容需求未满足,需协调供电公司新建专线", "d08", "other"),
    ("企业融资困难,银行授信未到位", "d20", "funding"),
    ("标准化厂房交付延期", "d18", "other"),
    ("园区道路及雨污管网配套未完成", "d03", "planning"),
    ("施工许可办理进度慢", "d03", "planning"),
    ("林地使用审批未完成", "d07", "land"),
    ("用工缺口大,技术工人招聘困难", "d10", "other"),
    ("进场道路未硬化,大型设备无法进场", "d16", "other"),
    ("取水许可及供水管网接入未落实", "d12", "planning"),
    ("外资企业设立及外汇登记手续未完成", "d19", "other"),
    ("项目立项备案材料需补充", "d20", "planning"),
    ("土地征收涉及群众诉求,征拆未完成", "township", "land"),
    ("天然气管道接入未落实", "d18", "other"),
    ("消防设计审查意见未出具", "d03", "safety"),
    ("项目能评未批复,用能指标待省里调剂", "d20", "energy"),
    ("安全生产条件评价未通过,需整改", "d17", "safety"),
]

# Invented personal names (helpers, deposit payers).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞",
    "建华", "志强", "海燕", "晓东", "丽娟", "文斌", "春梅", "国庆", "红梅", "小龙", "俊杰", "雪莲",
    "立新", "永红", "德胜", "秀英", "晨阳", "思远", "嘉怡", "宏伟", "亚楠", "振宇", "慧敏", "子轩",
]  # fmt: skip

# Intermediaries (项目中介机构(人)) who bring projects; the "5020" reward is paid to them.
INTERMEDIARIES = [
    "深圳市前海鼎盛招商顾问有限公司",
    "上海浦江产业投资咨询有限公司",
    "杭州钱塘产业服务有限公司",
    "广州穗商投资咨询有限公司",
    "江州市招商服务中心(商会)",
    "东莞市莞商产业对接有限公司",
    "陈立新(个人中介)",
    "吴海波(个人中介)",
]

# Where a helper (帮办代办专员) works.
HELPER_OFFICES = ["县投资促进中心", "县行政审批局", "县工业园区管委会", "县发改委", "县商务局"]

# Deposits (责任金): who pays for a squad or a township, and how much (元).
DEPOSIT_ROLES = {
    "squad": [("小分队队长", 1500.0), ("小分队副队长", 1000.0)],
    "township": [("乡镇党委书记", 1500.0), ("乡镇长", 1000.0)],
}
