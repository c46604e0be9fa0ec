"""Every user-facing string, in Simplified Chinese, in one place (an English catalogue can follow
by mirroring these names). Codes are the domain's (``domain``); labels are what people read.

Screens (layouts/, callbacks/), exports and the API's messages all take their words from here.
"""

from __future__ import annotations

APP_TITLE = "网格化治理指挥大屏"
APP_SLOGAN = "一屏观全县，一网管全县"
DEMO_MARK = "演示"

LEVEL_LABELS = {"county": "县", "town": "镇（街道）", "community": "社区（村）", "grid": "网格"}
HANDLER_LEVEL_LABELS = {"county_department": "县直部门", "town": "镇街处置", "community": "社区处置", "grid": "网格处置"}
HANDLER_LEVEL_SHORT = {"county_department": "县", "town": "镇", "community": "社区", "grid": "网格"}

STATUS_LABELS = {
    "reported": "待受理",
    "accepted": "已受理",
    "invalid": "无效",
    "dispatched": "已派遣",
    "in_progress": "处置中",
    "disposed": "已处置",
    "closed": "已结案",
}
ACTION_LABELS = {
    "report": "上报",
    "accept": "受理",
    "invalidate": "判为无效",
    "dispatch": "派遣",
    "start": "开始处置",
    "dispose": "处置完成",
    "verify_ok": "核查通过，结案",
    "verify_fail": "核查未通过，返工",
    "send_back": "退单",
    "supervise": "督办",
}
SOURCE_LABELS = {"patrol": "网格员巡查", "public": "群众求助", "hotline": "12345热线", "video": "视频巡查", "transfer": "部门移交"}
SEVERITY_LABELS = {"normal": "一般", "major": "重大", "urgent": "紧急"}
ROLE_LABELS = {
    "grid_leader": "网格长",
    "grid_worker": "专职网格员",
    "police": "民警",
    "party_member": "党员",
    "volunteer": "志愿者",
    "lawyer": "律师",
    "cadre": "联点干部",
}
POPULATION_TAG_LABELS = {
    "registered": "户籍人口",
    "migrant": "流动人口",
    "party_member": "党员",
    "dibao": "低保",
    "wubao": "五保",
    "elderly_alone": "独居老人",
    "disabled": "残疾人",
    "left_behind_child": "留守儿童",
    "veteran": "退役军人",
}
HOUSING_TAG_LABELS = {"self_occupied": "自住", "rented": "出租", "vacant": "空置", "commercial": "商铺"}

# Four-level warning, national convention: Ⅰ red is the most severe.
WARNING_LEVEL_LABELS = {0: "正常", 1: "Ⅰ级（红色）", 2: "Ⅱ级（橙色）", 3: "Ⅲ级（黄色）", 4: "Ⅳ级（蓝色）"}
WARNING_LEVEL_SHORT = {0: "正常", 1: "红", 2: "橙", 3: "黄", 4: "蓝"}
WARNING_KIND_LABELS = {"manual": "人工发布", "computed": "系统研判"}

# Indicators, in the words of DESIGN.md.
INDICATOR_LABELS = {
    "reported": "上报",
    "accepted": "受理",
    "invalid": "无效",
    "valid": "有效",
    "closed": "办结",
    "in_progress": "处置中",
    "due": "应办结",
    "closed_on_time": "按期办结",
    "overdue": "超期",
    "closure_rate": "办结率",
    "on_time_rate": "按期办结率",
    "rework_rate": "返工率",
    "mean_hours_to_close": "平均办结时长",
    "population": "人口",
    "houses": "房屋",
    "households": "户数",
    "grids": "网格",
    "grid_workers": "网格员",
    "grid_workers_online": "在线网格员",
    "online_rate": "网格员在线率",
    "supervised": "督办",
    "supervised_open": "督办未结",
    "reworked": "返工",
    "score": "综合得分",
    "score_on_time": "按期办结得分",
    "score_closure": "办结得分",
    "score_rework": "质量得分",
    "score_supervision": "督办得分",
}
UNITS = {
    "reported": "件", "accepted": "件", "invalid": "件", "valid": "件", "closed": "件", "in_progress": "件",
    "due": "件", "closed_on_time": "件", "overdue": "件", "reworked": "件", "supervised": "件",
    "supervised_open": "件", "mean_hours_to_close": "小时", "population": "人", "houses": "套",
    "households": "户", "grids": "个", "grid_workers": "人", "grid_workers_online": "人",
}

RANGE_LABELS = {"today": "今日", "7d": "近7日", "30d": "近30日", "all": "全部", "custom": "自定义"}
WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

# Messages.
NOT_FOUND_TITLE = "页面不存在"
NOT_FOUND_BODY = "找不到您要的页面或记录，可能编码有误或已被删除。"
STALE_BANNER = "数据连接中断，正在显示 {time} 的数据，恢复后将自动刷新"
NO_DATA = "暂无数据"


# --- warnings (issue 4: the four-level engine, its rules file, manual warnings, /warnings) -------

WARNING_LEVEL_NAMES = {1: "Ⅰ级", 2: "Ⅱ级", 3: "Ⅲ级", 4: "Ⅳ级", 0: "正常"}
WARNING_SIGNAL_LABELS = {
    "surge": "事件激增",
    "disputes": "矛盾纠纷",
    "overdue": "超期未办结",
    "major": "重大/紧急事件",
    "manual": "人工预警",
    "hold": "降级观察",
}
WARNING_ENGINE_ACTOR = "预警引擎"

# Reasons in words: each level shown carries these (DESIGN.md: "7日新增12件，为基线3.4倍").
REASON_WINDOW = {24: "24小时", 168: "7日"}
REASON_WINDOW_HOURS = "{hours:g}小时"
REASON_SURGE = "{window}新增{n}件，为基线{ratio:.1f}倍（前{baseline_days}日日均{rate:.2f}件）"
REASON_SURGE_NO_BASELINE = "{window}新增{n}件，前{baseline_days}日无事件"
REASON_DISPUTES = "矛盾纠纷未化解{n}件，最久已{age}"
REASON_OVERDUE = "超期未办结{n}件，最长超期{age}"
REASON_MAJOR = "重大/紧急事件未办结{n}件：{titles}"
REASON_MANUAL = "人工预警（{by}）：{reason}，{until}"
REASON_MANUAL_UNTIL = "至{until}"
REASON_MANUAL_OPEN = "至解除为止"
REASON_HOLD = "预警信号已减弱，观察至{until}，届时如无新情况降为{level}"
AGE_DAYS = "{days}天"
AGE_HOURS = "{hours}小时"

# Rules file errors: each names the key and the problem.
RULES_ERROR_TITLE = "预警规则文件 {path} 有误"
RULES_NOT_FOUND = "找不到预警规则文件 {path}"
RULES_BAD_TOML = "不是有效的 TOML：{error}"
RULES_UNKNOWN_KEY = "{key}: 未知的配置项，可用的有 {allowed}"
RULES_MISSING_KEY = "{key}: 缺少此项"
RULES_WRONG_TYPE = "{key}: 应为{expected}，实际为 {value!r}"
RULES_NOT_POSITIVE = "{key}: 必须大于 0，实际为 {value!r}"
RULES_NOT_NEGATIVE = "{key}: 不能小于 0，实际为 {value!r}"
RULES_P_RANGE = "{key}: 概率必须在 0 与 1 之间（不含 0），实际为 {value!r}"
RULES_EMPTY_LEVEL = "{key}: 至少需要一个阈值（{allowed}）"
RULES_NOT_ORDERED = "{key} = {value!r} 应比 {other_key} = {other!r} 更严格：阈值须从蓝色到红色逐级收紧"
RULES_BAD_LEVEL = "{key}: 应为 red、orange、yellow、blue 之一或 none，实际为 {value!r}"
RULES_BAD_SEVERITY = "{key}: 未知的紧急程度 {value!r}，可用的有 {allowed}"
RULES_EMPTY_LIST = "{key}: 不能为空列表"
RULES_TYPE_NAMES = {"number": "数字", "integer": "整数", "bool": "true 或 false", "list": "列表", "table": "表（[节]）",
                    "string": "字符串"}

# Manual warnings: input errors (CLI, UI, API).
MANUAL_BAD_SCOPE = "区域 {code} 不存在"
MANUAL_BAD_LEVEL = "预警级别应为 1（红）、2（橙）、3（黄）或 4（蓝）"
MANUAL_NO_REASON = "请填写预警原因"
MANUAL_REASON_TOO_LONG = "预警原因不能超过 {n} 个字"
MANUAL_NO_ISSUER = "请填写发布人"
MANUAL_ISSUER_TOO_LONG = "发布人不能超过 {n} 个字"
MANUAL_UNTIL_PAST = "截止时间必须晚于发布时间"
MANUAL_BAD_TIME = "无法识别的时间 {text!r}，应为如 2026-11-20 或 2026-11-20T08:30"
MANUAL_NOT_FOUND = "预警 {id} 不存在"
MANUAL_NOT_MANUAL = "预警 {id} 由系统研判产生，信号消除后自动解除，不能人工解除"
MANUAL_ALREADY_ENDED = "预警 {id} 已于 {when} 结束"
MANUAL_ISSUED = "已发布{level}预警 #{id}：{scope}"
MANUAL_LIFTED = "已解除预警 #{id}"

# Warning statuses (list filters).
WARNING_STATUS_LABELS = {"active": "生效中", "lifted": "已解除", "expired": "已到期", "pending": "未生效"}

# API field errors.
API_BAD_WARNING_LEVEL = "应为 0-4 的整数，可用逗号分隔多个"
API_BAD_KIND = "应为 manual 或 computed"
API_BAD_STATUS = "应为 active、ended 或 all"
API_BAD_LIMIT = "应为 1-5000 的整数"

# The /warnings desk page.
WARNINGS_PAGE_TITLE = "四级预警研判与发布"
WARNINGS_BACK = "返回指挥大屏"
WARNINGS_EVALUATED_AT = "研判时间 {time}"
WARNINGS_COUNTY_SUMMARY = "全县网格 {grids} 个：红 {n1} · 橙 {n2} · 黄 {n3} · 蓝 {n4} · 正常 {n0}"
WARNINGS_CURRENT = "当前预警网格"
WARNINGS_LIST = "预警发布记录"
WARNINGS_HISTORY = "网格预警等级变化"
WARNINGS_ISSUE = "发布人工预警"
WARNINGS_FILTER_LEVEL = "级别"
WARNINGS_FILTER_TOWN = "镇（街道）"
WARNINGS_FILTER_KIND = "类型"
WARNINGS_FILTER_STATUS = "状态"
WARNINGS_FILTER_FROM = "起"
WARNINGS_FILTER_TO = "止"
WARNINGS_ALL = "全部"
WARNINGS_FORM_SCOPE = "预警范围"
WARNINGS_FORM_SCOPE_HINT = "选择全县、镇街、社区或网格"
WARNINGS_FORM_LEVEL = "预警级别"
WARNINGS_FORM_REASON = "预警原因"
WARNINGS_FORM_REASON_HINT = "如：国庆假期矛盾纠纷易发期，加强巡查化解"
WARNINGS_FORM_UNTIL = "截止时间"
WARNINGS_FORM_BY = "发布人"
WARNINGS_FORM_SUBMIT = "发布预警"
WARNINGS_LIFT = "解除"
WARNINGS_COL = {
    "grid": "网格", "town": "镇（街道）", "community": "社区", "level": "级别", "since": "起始时间", "reasons": "预警原因",
    "id": "编号", "scope": "范围", "kind": "类型", "issued_at": "发布时间", "until": "截止时间", "status": "状态",
    "issued_by": "发布人", "reason": "原因", "at": "时间", "change": "变化", "action": "操作",
}
WARNINGS_NONE = "暂无预警网格"
WARNINGS_NO_RECORDS = "暂无记录"
WARNINGS_SHOWING = "显示前 {n} 条，共 {total} 条"
