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
BOARD_MORE = "另有 {n} 个红色、橙色预警网格，查看全部 ›"  # issue 9: the board lists the first ones only
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
HEATMAP_MODE_LABELS = {"hour": "时段×星期", "day": "类别×日期"}  # the big screen's heatmap panel
BIGSCREEN_ALL_TOWNS = "全县"  # the big screen's town filter: no town chosen
# Map tooltips (assets/map.js reads them from the grid layer's hideout).
MAP_TIP = {"open": "在办事件：{n} 件", "no_data": "无数据"}
WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

# --- issue 5: drill-down desk pages (town, community, grid, event, department, explorer) -------

BACK_TO_SCREEN = "‹ 返回指挥大屏"
DESK_NAV = {"/": "指挥大屏", "/events": "事件查询"}
CRUMB_DEPARTMENTS = "处置部门"
CRUMB_EXPLORER = "事件查询"
WINDOW_LABEL = "统计区间"
LOCAL_TIME_NOTE = "北京时间"
AREA_MAP_TITLE = "网格地图"
OPEN_MAP_HINT = "点击网格进入详情"

AREA_CHILDREN_TITLE = {"town": "社区（村）排名", "community": "网格排名"}
AREA_WARNED_TITLE = "预警网格"
AREA_OPEN_TITLE = "在办与超期事件"
TREND_TITLE = "事件趋势"
CATEGORY_TITLE = "事件类别"
SEE_ALL = "查看全部 ›"
NO_WARNED_GRIDS = "当前无预警网格"
NO_OPEN_EVENTS = "没有在办事件"
CHILD_COLUMNS = {"name": "名称", "level": "预警", "warned": "预警网格", "reported": "上报", "in_progress": "处置中",
                 "overdue": "超期", "closure_rate": "办结率"}

GRID_TEAM_TITLE = "1+1+N 网格力量"
GRID_PEOPLE_TITLE = "人口与房屋（仅统计数）"
GRID_WARNING_TITLE = "预警"
GRID_WARNING_HISTORY = "预警记录"
GRID_FIELDWORK_TITLE = "巡查走访"
GRID_EVENTS_TITLE = "在办与近期事件"
GRID_MAP_TITLE = "网格位置与事件"
TEAM_COLUMNS = {"role": "角色", "name": "姓名", "phone": "电话", "app": "App"}
APP_ONLINE = "在线"
APP_OFFLINE = "离线"
APP_LAST_SEEN = "最近在线 {when}"
APP_NEVER = "—"
HOUSEHOLDS_LABEL = "户数"
HOUSES_LABEL = "房屋"
POPULATION_LABEL = "人口"
POPULATION_TAGS_TITLE = "人口标签"
HOUSING_TAGS_TITLE = "房屋用途"
FIELDWORK_PATROL = "巡查时长"
FIELDWORK_PATROL_UNIT = "小时/周"
FIELDWORK_PATROL_NORM = "标准：每周不少于{n:g}小时"
FIELDWORK_VISITS = "入户走访"
FIELDWORK_VISITS_UNIT = "次/户·年"
FIELDWORK_VISITS_NORM = "标准：每户每年不少于{n:g}次"
FIELDWORK_REPORTS = "本人上报事件 {n} 件"
FIELDWORK_PERIOD = "统计期：{start} 至 {end}"
FIELDWORK_MET = "达标"
FIELDWORK_NOT_MET = "未达标"
FIELDWORK_NO_WORKER = "本网格暂无在岗专职网格员"
WARNING_NONE = "当前无预警"
WARNING_REASONS = "研判依据"
WARNING_HISTORY_EMPTY = "暂无预警记录"
WARNING_HISTORY_COLUMNS = {"at": "时间", "level": "等级", "kind": "类型", "reasons": "原因", "ended": "解除/到期", "by": "发布人"}

EVENT_TITLE = "事件案卷"
EVENT_DETAILS = "基本信息"
EVENT_LOCATION = "事发位置"
EVENT_TIMELINE = "办理过程"
EVENT_STAGES = "各环节用时"
EVENT_SUPERVISION = "督办"
EVENT_FIELDS = {
    "id": "事件编号", "ext_id": "原始编号", "category": "事件类别", "source": "来源", "severity": "紧急程度",
    "reporter": "上报人", "reported_at": "上报时间", "grid": "所在网格", "location": "坐标", "handler": "处置单位",
    "time_limit": "办理时限", "deadline": "截止时间", "remaining": "剩余时间", "description": "事件描述",
    "photo": "现场照片",
}
EVENT_OVERDUE = "已超期"
EVENT_OVERDUE_BY = "已超期 {d}"
EVENT_LEFT = "剩余 {d}"
EVENT_CLOSED_ON_TIME = "按期办结"
EVENT_CLOSED_LATE = "超期办结（超出 {d}）"
EVENT_SUPERVISED = "已督办"
EVENT_SUPERVISED_TIMES = "已督办 {n} 次"
EVENT_REWORK = "返工 {n} 次"
EVENT_SENDBACK = "退单 {n} 次"
EVENT_NO_DEADLINE = "未受理，尚无时限"
STAGE_LABELS = {"intake": "受理", "dispatch": "派遣", "disposal": "处置", "verification": "核查"}
STAGE_COLUMNS = {"stage": "环节", "start": "开始", "end": "结束", "hours": "用时", "share": "占时限", "actor": "办理人",
                 "against": "对照截止时间"}
STAGE_RUNNING = "进行中"
STAGE_BEFORE_DEADLINE = "截止前完成"
STAGE_AFTER_DEADLINE = "超出截止 {d}"
DEADLINE_MARK = "截止"
NOW_MARK = "当前"
TIMELINE_BY = "办理人"
TIMELINE_TO = "处置单位"
SUPERVISE_ACTOR = "督办人"
SUPERVISE_NOTE = "督办意见"
SUPERVISE_NOTE_REQUIRED = "督办意见（必填）"
SUPERVISE_NOTE_PLACEHOLDER = "例如：超期未办结，请于今日内反馈处置情况"
SUPERVISE_BUTTON = "督办"
SUPERVISE_DONE = "已督办（{when}，{actor}）"
SUPERVISE_NOT_OPEN = "该事件不在办理中，无需督办"
SUPERVISE_NEED_ACTOR = "请填写督办人姓名"
SUPERVISE_TOO_LONG = "{field}过长（最多{n}字）"
SUPERVISE_UNKNOWN = "事件不存在"
SUPERVISE_HISTORY_EMPTY = "尚未督办"
SUPERVISE_SELECT_ROW = "在表格中选择一件在办事件后可督办"
SUPERVISE_SELECTED = "已选事件 #{id}：{title}"

DEPT_SCORE_TITLE = "综合得分"
DEPT_STATUS_TITLE = "案件状态（当前）"
DEPT_RATES_TITLE = "办结率与按期办结率"
DEPT_OVERDUE_TITLE = "超期案件（按截止时间由早到晚）"
DEPT_STAGES_TITLE = "各环节平均用时（已办结案件）"
DEPT_NO_OVERDUE = "没有超期案件"
DEPT_COUNTY_MEAN = "全县平均"
DEPT_THIS = "本单位"
SCORE_PART_LABELS = {"score_on_time": "按期办结", "score_closure": "办结", "score_rework": "质量（返工）",
                     "score_supervision": "督办"}
SCORE_FORMULA = "按期办结率×50 + 办结率×30 + (1−返工率)×10 + 督办分(10 − 0.5×督办件数 − 1×督办未结件数，最低0)"

EXPLORER_TITLE = "事件查询"
EXPLORER_FILTERS = {"range": "上报时间", "town": "镇（街道）", "community": "社区（村）", "grid": "网格",
                    "category": "类别", "status": "状态", "handler": "处置单位", "flags": "标记", "q": "编号/标题"}
EXPLORER_ALL = "全部"
EXPLORER_OVERDUE = "仅超期"
EXPLORER_SUPERVISED = "仅督办"
EXPLORER_COUNT = "共 {n} 件"
EXPLORER_EXPORT_CSV = "导出 CSV"
EXPLORER_EXPORT_XLSX = "导出 Excel"
EXPLORER_XLSX_TOO_MANY = "超过 {n} 行，请缩小筛选范围或导出 CSV"
EXPLORER_LINK = "本筛选链接"
EXPLORER_RESET = "清除筛选"
EXPLORER_SEARCH_PLACEHOLDER = "事件编号或标题关键词"
EXPLORER_COLUMNS = {
    "id": "编号", "reported_at": "上报时间", "title": "标题", "category": "类别", "town": "镇（街道）",
    "community": "社区（村）", "grid": "网格", "source": "来源", "severity": "紧急程度", "status": "状态",
    "handler": "处置单位", "accepted_at": "受理时间", "deadline": "截止时间", "closed_at": "结案时间",
    "overdue": "超期", "overdue_hours": "超期时长(小时)", "supervised": "督办", "rework_count": "返工次数",
    "sendback_count": "退单次数",
}
EXPLORER_YES = "是"
EXPLORER_NO = "否"
GRID_LOCALE = {
    "page": "第", "more": "更多", "to": "至", "of": "共", "next": "下一页", "last": "末页", "first": "首页",
    "previous": "上一页", "loadingOoo": "加载中…", "noRowsToShow": "没有符合条件的事件", "pageSizeSelectorLabel": "每页",
    "ariaPageSizeSelectorLabel": "每页", "pageLastRowUnknown": "?", "filterOoo": "筛选…", "firstPage": "首页",
    "previousPage": "上一页", "nextPage": "下一页", "lastPage": "末页",
}
# --- end issue 5 --------------------------------------------------------------------------------

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
WARNINGS_LIFT_CONFIRM = "确认解除预警 #{id}（{scope}，{level}）？解除后即不再生效。"
WARNINGS_LIFT_YES = "确认解除"
WARNINGS_LIFT_NO = "取消"
WARNINGS_STATUS_FILTER = {"active": "生效中", "ended": "已结束", "all": "全部"}
WARNINGS_COL = {
    "grid": "网格", "town": "镇（街道）", "community": "社区", "level": "级别", "since": "起始时间", "reasons": "预警原因",
    "id": "编号", "scope": "范围", "kind": "类型", "issued_at": "发布时间", "until": "截止时间", "status": "状态",
    "issued_by": "发布人", "reason": "原因", "at": "时间", "change": "变化", "action": "操作",
}
WARNINGS_NONE = "暂无预警网格"
WARNINGS_NO_RECORDS = "暂无记录"
WARNINGS_SHOWING = "显示前 {n} 条，共 {total} 条"

# --- issue 7: meeting materials (chart exports, weekly bulletin 周通报) --------------------------

CHART_TITLES = {
    "category": "事件类别分布",
    "trend": "事件上报与办结趋势",
    "heatmap-hour": "事件时段热力（时段×星期）",
    "heatmap-day": "事件类别热力（类别×日期）",
    "departments": "部门处置办结率排名",
    "scores": "部门处置综合得分",
    "split": "事件处置层级分布",
    "towns": "镇（街道）办结率排名",
    "communities": "社区（村）办结率排名",
    "grids": "网格办结率排名",
    "map": "网格预警等级分布",
}
EXPORT_FORMATS = {"png": "PNG 图片", "svg": "SVG 矢量图", "pdf": "PDF 文档"}
EXPORT_ERRORS = {
    "chart": "没有名为“{name}”的图表，可选：{names}",
    "format": "不支持的格式“{fmt}”，可选 png、svg、pdf",
    "size": "图片尺寸应为 {lo}–{hi} 像素，缩放倍数 1–6",
    "range": "时间范围应为 today、7d、30d、all 或 custom",
    "week": "周次应写作 2026-W47 这样的 ISO 周",
    "future": "{week} 尚未开始",
    "area": "区域 {area} 不存在",
    "job": "导出任务不存在或已过期",
    "file": "导出任务尚未完成或没有该文件",
    "busy": "生成失败：{error}",
}

BULLETIN_TITLE = "{area}网格化治理工作周通报"
BULLETIN_PERIOD = "{year}年第{week}周（{start}—{end}）"
BULLETIN_PARTIAL = "本周尚未结束，数据截至 {as_of}"
BULLETIN_ISSUER = "{county}综治中心（网格化服务管理中心）"
BULLETIN_GENERATED = "生成时间 {time}"
BULLETIN_WOW = "环比为与上周（{start}—{end}）相比"
BULLETIN_WOW_PARTIAL = "环比为与上周同期（{start}—{end}）相比"
BULLETIN_SECTIONS = {
    "kpi": "一、本周总体情况",
    "map": "二、网格预警等级",
    "events": "三、事件类别与趋势",
    "units": "四、{units}排名",
    "departments": "五、部门处置综合得分排名",
    "cases": "六、超期及督办案件",
    "workers": "七、优秀网格员",
    "notes": "附：指标说明",
}
BULLETIN_UNITS = {"county": "镇（街道）", "town": "社区（村）", "community": "网格", "grid": "网格"}
BULLETIN_KPI_FIELDS = ("reported", "valid", "closed", "in_progress", "closure_rate", "on_time_rate", "overdue",
                       "rework_rate", "mean_hours_to_close", "supervised")
BULLETIN_CASES_NOTE = "截至{as_of}，{since}以来上报的事件中超期未办结 {overdue} 件、督办未办结 {supervised} 件"
BULLETIN_CASES_MORE = "另有 {n} 件见数据表"
BULLETIN_NO_CASES = "截至{as_of}无超期或督办未办结案件"
BULLETIN_WORKER_BOARDS = {"reports": "上报事件最多", "visits": "入户走访最多", "patrol_hours": "巡查时长最长"}
BULLETIN_WORKER_NOTE = "巡查时长标准：每周 {hours:g} 小时以上（南陵）；入户走访标准：每户每年 {visits:g} 次以上（普陀）"
BULLETIN_LEVEL_NOTE = "预警等级为{as_of}时的状态；Ⅰ级（红色）最严重"
BULLETIN_FILES = {"pptx": "周通报演示文稿", "xlsx": "周通报数据表", "zip": "周通报图表"}
BULLETIN_STEPS = {
    "queued": "排队中",
    "data": "汇总本周数据",
    "charts": "生成图表 {done}/{total}",
    "deck": "制作演示文稿",
    "workbook": "制作数据表",
    "zip": "打包图表",
    "done": "已完成",
    "failed": "生成失败",
}
CHANGE_UP = "较上周 +{v}"
CHANGE_DOWN = "较上周 −{v}"
CHANGE_FLAT = "与上周持平"
CHANGE_NONE = "上周无数据"
PERCENT_POINTS = "{v:.1f}个百分点"

TABLE_HEADERS = {
    "rank": "名次",
    "indicator": "指标",
    "current": "本周",
    "previous": "上周",
    "change": "变化",
    "relative": "环比",
    "unit_name": "单位",
    "town": "镇（街道）",
    "community": "社区（村）",
    "grid": "网格",
    "handler": "处置单位",
    "handler_level": "处置层级",
    "category": "事件类别",
    "day": "日期",
    "event_id": "事件编号",
    "title": "事件标题",
    "reported_at": "上报时间",
    "accepted_at": "受理时间",
    "deadline": "办理时限",
    "hours_overdue": "超期时长（小时）",
    "overdue_flag": "超期",
    "supervised_flag": "督办",
    "severity": "紧急程度",
    "worker": "网格员",
    "patrol_hours": "巡查时长（小时）",
    "patrol_hours_per_week": "周均巡查（小时）",
    "visits": "入户走访（次）",
    "visits_per_household_year": "户均年走访（次）",
    "reports": "上报事件（件）",
    "patrol_norm_met": "巡查达标",
    "visit_norm_met": "走访达标",
    "level": "预警等级",
    "warned_grids": "预警网格数",
    "grids_at_level": "网格数",
    "reasons": "预警原因",
    "definition": "口径",
}
YES_NO = {True: "是", False: "否"}

# The indicator table of DESIGN.md, in Chinese (the bulletin's notes slide and sheet).
INDICATOR_DEFINITIONS = [
    ("统计窗口", "本周一 0 时至下周一 0 时（北京时间）上报的事件；各状态按窗口结束时刻回放事件日志判定"),
    ("上报数", "窗口内上报的事件数"),
    ("受理数", "其中截至窗口结束已作出受理决定（受理或判为无效）的事件数"),
    ("无效数", "受理环节判为无效的事件数"),
    ("有效数", "受理数 − 无效数"),
    ("办结数", "有效且截至窗口结束已结案的事件数"),
    ("处置中", "有效数 − 办结数"),
    ("办结率", "办结数 ÷ 有效数"),
    ("应办结数", "办结数 + 截至窗口结束已到办理时限仍未办结的有效事件数"),
    ("按期办结率", "在办理时限内办结的事件数 ÷ 应办结数"),
    ("超期数", "截至窗口结束已超过办理时限仍未办结的有效事件数"),
    ("返工率", "至少返工一次后办结的事件数 ÷ 办结数"),
    ("平均办结时长", "办结事件从受理到结案的平均小时数"),
    ("督办数", "截至窗口结束被督办的事件数；督办未结为其中尚未办结者"),
    ("网格员在线率", "近 10 分钟内移动端在线的网格员 ÷ 全部网格员（实时指标，周通报不列）"),
    ("部门综合得分", "按期办结率×50 + 办结率×30 + (1 − 返工率)×10 + max(0, 10 − 0.5×督办数 − 1×督办未结数)"),
    ("环比", "与上周同一时段的数值相比：件数为增减件数及百分比，比率为增减百分点"),
    ("预警等级", "Ⅰ级（红色）最严重，依次为Ⅱ级（橙色）、Ⅲ级（黄色）、Ⅳ级（蓝色），其余为正常"),
    ("优秀网格员", "本周上报事件、入户走访次数、巡查时长分列前五名"),
]

DAY = "{month}月{day}日"
DAY_END = "{day}24时"  # a local midnight, written as the end of the day before
WEEK_RUNNING = " · 进行中"
BULLETIN_FILE_STEM = "周通报-{area}-{week}"
BULLETIN_ZIP_SUFFIX = "-图表"
BULLETIN_SUMMARY = ("本周{area}共上报事件 {reported} 件，有效 {valid} 件，办结 {closed} 件，办结率 {closure_rate}，"
                    "按期办结率 {on_time_rate}；超期 {overdue} 件，督办 {supervised} 件。")
BULLETIN_WORKERS_MET = "本周 {n} 名网格员中，巡查时长达标 {met} 人。"
BULLETIN_ALERT = "{level}色预警"
BULLETIN_CONTINUED = "（续）"
BULLETIN_FOOTER = "{title}　{period}　第 {n} 页"
BULLETIN_PAGE = {"week": "周次", "area": "区域", "generate": "生成下载文件", "back": "‹ 返回指挥大屏"}
NO_AREAS = "数据库中还没有区域数据，请先导入或生成演示数据。"
HOURS = "小时"
HOURS_SUFFIX = "（小时）"
MAP_LEVEL_LEGEND = "{label}  {n}个"
EXPORT_LINK_TITLE = "导出{what}"
EXPORT_LABELS = {"map": "预警图", "split": "层级"}
EXPORT_FIELD_ERRORS = {
    "missing": "不存在",
    "number": "应为数字",
    "format": "应为 png、svg 或 pdf",
    "range": "不支持",
    "size": "超出范围",
    "file": "尚无此文件",
    "window": "时间参数有误",
}
WORKBOOK_SHEETS = {
    "cover": "封面", "kpi": "总体情况", "units": "{unit}排名", "departments": "部门综合得分", "categories": "事件类别",
    "trend": "每日趋势", "cases": "超期及督办案件", "workers": "网格员履职", "levels": "预警等级", "towns": "镇街预警",
    "alerts": "红橙预警网格", "notes": "指标说明",
}
WORKBOOK_COVER = {"item": "项目", "value": "内容", "title": "标题", "area": "区域", "week": "周次", "period": "统计期间",
                  "as_of": "数据截至", "notes": "说明", "generated": "生成时间"}
WORKBOOK_COLUMNS = {"code": "编码", "parent_category": "大类", "category_code": "类别编码", "prev_reported": "上周上报",
                    "prev_closure_rate": "上周办结率", "patrol_norm": "（≥{hours:g}小时/周）",
                    "visit_norm": "（≥{visits:g}次/户·年）"}

# --- api (issue 6: reporting API) -----------------------------------------------------------------
API_AUTH_MISSING = "缺少 API 令牌：请在请求头 Authorization 中给出 Bearer 令牌"
API_AUTH_INVALID = "API 令牌无效"
API_AUTH_REVOKED = "API 令牌已吊销"
API_KEY_MISSING = "写操作必须带 Idempotency-Key 请求头（1–128 个可见 ASCII 字符，如 UUID）"
API_KEY_REUSED = "Idempotency-Key 已用于另一个请求（{method} {path}），同一个键只能重试完全相同的请求"
API_KEY_IN_FLIGHT = "同一 Idempotency-Key 的请求正在处理，请稍后重试"
API_BAD_CONTENT_TYPE = "请求体必须是 JSON（Content-Type: application/json）"
API_BAD_JSON = "请求体不是有效的 JSON：{reason}"
API_BAD_ENCODING = "请求体不是 UTF-8 编码的 JSON"
API_TOO_DEEP = "请求体 JSON 嵌套过深"
API_TOO_LARGE = "请求体过大（上限 {limit} 字节）"
API_INVALID = "请求参数有误"
API_INVALID_QUERY = "查询参数有误"
API_NOT_FOUND = "接口不存在：{method} {path}"
API_METHOD_NOT_ALLOWED = "接口 {path} 不支持 {method}，可用：{allowed}"
API_EVENT_NOT_FOUND = "事件 {id} 不存在"
API_STAFF_NOT_FOUND = "人员 {id} 不存在"
API_STAFF_INACTIVE = "人员 {id} 已停用"
API_EXT_ID_TAKEN = "客户端事件编号 {ext_id} 已存在（事件 {id}）"
API_SERVER_ERROR = "服务器内部错误，请稍后重试"
API_UNKNOWN_GRID = "网格 {code} 不存在"
API_UNKNOWN_CATEGORY = "事件类别 {code} 不存在"
API_UNKNOWN_HANDLER = "处置单位 {code} 不存在"
API_UNKNOWN_AREA = "区域 {code} 不存在"
API_OUTSIDE_COUNTY = "坐标（{lon}, {lat}）不在本县范围内"
API_ILLEGAL_TRANSITION = "事件 {id} 当前状态为“{status}”，不能执行“{action}”；允许的操作：{allowed}"
# Field messages of request validation, by pydantic error type.
API_FIELD_ERRORS = {
    "missing": "必填",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "string_unicode": "应为有效的 Unicode 字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限数字",
    "bool_type": "应为布尔值 true 或 false",
    "bool_parsing": "应为布尔值 true 或 false",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "string_too_short": "不能为空",
    "string_too_long": "不能超过 {max_length} 个字符",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "url_type": "应为网址字符串",
    "url_parsing": "不是有效的网址",
    "url_scheme": "网址应以 http:// 或 https:// 开头",
    "url_too_long": "网址不能超过 {max_length} 个字符",
    "url_syntax_violation": "不是有效的网址",
}
API_FIELD_PATTERNS = {
    "grid": "应为15位数字网格编码",
    "area": "应为6、9、12或15位数字区域编码",
    "status": "应为状态编码，多个用逗号分隔：reported, accepted, invalid, dispatched, in_progress, disposed, closed",
    "category": "应为字母、数字、下划线或连字符组成的编码",
    "handler": "应为字母、数字、下划线或连字符组成的编码",
}
API_FIELD_TEXT = "不能为空白，且不能含控制字符"
API_FIELD_INVALID = "取值无效"

# --- request hygiene (all of /api/v1) ---
API_BAD_QUERY = "查询参数有误"
API_BAD_CHARACTERS = "含有不允许的控制字符"

# --- issue 8: accounts, roles, access, errors -------------------------------------------------------
USER_ROLE_LABELS = {
    "admin": "系统管理员",
    "leader": "领导",
    "duty_officer": "值班员",
    "town_officer": "镇（街道）工作人员",
    "display": "大屏终端",
}
LOGIN_TITLE = "登录"
LOGIN_HEADING = "账号登录"
LOGIN_USERNAME = "用户名"
LOGIN_PASSWORD = "密码"
LOGIN_SUBMIT = "登录"
LOGIN_FAILED = "用户名或密码错误"
LOGIN_PAUSED = "从本地址登录该账号失败次数过多，请 {minutes} 分钟后再试（换一台电脑不受影响），或联系系统管理员"
LOGIN_RATE_LIMITED = "登录尝试过于频繁，请稍后再试"
LOGIN_FORM_EXPIRED = "页面已过期，请重新输入后登录"
LOGIN_DATABASE_AWAY = "数据库暂时不可用，请稍后再试"
LOGIN_NOTE = "本系统含有困难群众等敏感信息的统计数据，仅限授权人员使用；所有登录与导出均有记录。"
LOGOUT = "退出登录"
LOGGED_OUT = "已退出登录"
SESSION_ENDED = "登录已失效，请重新登录"
USER_BADGE = "{name} · {role}"
USER_BADGE_TOWN = "{name} · {role}（{town}）"
AUTH_OFF_BADGE = "本机免登录"
ACTOR_NO_LOGIN = "演示（未登录）"  # who a 督办 or warning is recorded under without login
AUTH_REQUIRED = "请先登录"
FORBIDDEN_TITLE = "无权访问"
FORBIDDEN_BODY = "您的账号没有访问此页面的权限。如需访问，请联系系统管理员。"
FORBIDDEN_ACTION = "您的账号无权执行此操作"
FORBIDDEN_API = "无权访问：{what}"
CSRF_REFUSED = "请求来源不被接受（跨站请求），已拒绝"
OFF_LOOPBACK_REFUSED = "免登录模式只接受本机访问"
ERROR_TITLE = "出错了"
ERROR_BODY = "服务器处理请求时出错。请稍后重试；如果问题持续，请把错误编号告诉系统管理员。"
ERROR_ID = "错误编号：{id}"
ERROR_JSON = "服务器内部错误，请稍后重试（错误编号 {id}）"
DATABASE_AWAY_TITLE = "数据库暂时不可用"
DATABASE_AWAY_BODY = "暂时无法读取数据，请稍后刷新页面。"
BACK_TO_SCREEN = "返回指挥大屏"
SUPERVISE_AS = "督办人：{name}"
WARNINGS_ISSUED_AS = "签发人：{name}"
DEPT_TOWN_MEAN = "全镇平均"

# Screen requests (/_dash-update-component) refused before any callback runs (callbacks/guard.py):
# the request must be one the page could send, and every value one its component may hold
# (layouts/contracts.py).
CALLBACK_REFUSED = "请求无效：{reason}"
CALLBACK_NOT_JSON = "请求内容不是有效的回调请求"
CALLBACK_TOO_LARGE = "请求内容过大（最多 {n} 字节）"
CALLBACK_UNKNOWN = "没有这样的回调"
CALLBACK_BAD_OUTPUTS = "回调的输出与页面登记的不一致"
CALLBACK_BAD_INPUTS = "回调的{part}与页面登记的不一致（{what}）"
CALLBACK_PARTS = {"inputs": "输入", "state": "状态"}
CALLBACK_BAD_CHANGED = "触发回调的属性不属于该回调"
CALLBACK_BAD_VALUE = "组件“{id}”的属性“{prop}”取值无效：{reason}"
CALLBACK_BAD_ID = "组件编号“{id}”不符合登记的形式"
PROP_KINDS = {"text": "文字", "date": "日期文字", "code": "区域编码文字", "int": "整数", "number": "数字", "bool": "是或否",
              "list": "列表", "object": "对象"}
PROP_REASONS = {
    "type": "应为{kind}",
    "required": "不能为空",
    "choice": "不是可选的值",
    "too_long": "过长（最多 {n} 个字符）",
    "too_many": "项数过多（最多 {n} 项）",
    "too_deep": "嵌套过深",
    "repeat": "含有重复的项",
    "pattern": "格式不正确",
    "control": "含有控制字符",
    "date": "应为日期，如 2026-11-20",
    "datetime": "应为日期和时间，如 2026-11-20T08:30",
    "year": "年份应在 {lo}-{hi} 之间",
    "area": "应为{levels}的区域编码（6-15 位数字）",
    "range": "应在 {lo} 到 {hi} 之间",
    "unknown_key": "含有未知的字段“{key}”",
    "missing_key": "缺少字段“{key}”",
    "none_of": "不符合允许的任何一种形式",
    "id_value": "应与组件编号一致",
}

# Refusals at start (gridscreen serve, create_app): what to change.
CONFIG_AUTH_OFF_PUBLIC = ("GRIDSCREEN_AUTH=off（免登录）只允许绑定在本机回环地址（127.0.0.1 / ::1）上，当前绑定 {host}。"
                          "请去掉 GRIDSCREEN_AUTH=off，用 gridscreen user add 创建账号后登录使用。")
CONFIG_DEBUG_PUBLIC = "GRIDSCREEN_DEBUG=on（调试模式）只允许绑定在本机回环地址上，当前绑定 {host}。"
CONFIG_NO_SECRET = ("需要登录时必须设置 GRIDSCREEN_SECRET_KEY（会话签名密钥，所有工作进程与重启之间保持不变），例如："
                    "export GRIDSCREEN_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')")
CONFIG_SHORT_SECRET = "GRIDSCREEN_SECRET_KEY 太短：至少 16 个字符（建议 32 个以上的随机字符）"
CONFIG_BAD_PROXIES = "GRIDSCREEN_TRUSTED_PROXIES 应为 0-5 之间的整数（受信反向代理的层数），当前为 {n}"
CONFIG_PROXY_AUTH_OFF = ("免登录模式只接受本机直接访问，不能与 GRIDSCREEN_TRUSTED_PROXIES（反向代理）同时使用。"
                         "请去掉 GRIDSCREEN_AUTH=off，用 gridscreen user add 创建账号后登录使用。")

# gridscreen user ...
USER_ERRORS = {
    "username": "用户名应为 2-64 个字母、数字、点、下划线或连字符",
    "taken": "用户名 {username} 已存在",
    "role": "角色应为 admin、leader、duty_officer、town_officer 或 display",
    "town_needed": "镇（街道）工作人员必须用 --town 指定所属镇（街道）编码",
    "town": "{code} 不是已有的镇（街道）编码",
    "name": "显示名称不能为空，且不超过 64 个字符",
    "password_short": "密码至少 {n} 个字符",
    "password_long": "密码不能超过 {n} 个字符",
    "unknown": "没有用户 {username}",
}
# --- end issue 8 -------------------------------------------------------------------------------------
