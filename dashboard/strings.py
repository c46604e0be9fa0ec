"""Every user-facing string, in Simplified Chinese, in one place (an English catalogue can follow
by mirroring these names). Codes are the domain's (``domain``); labels are what people read.

Screens (layouts/, callbacks/), exports, the command line, the API's messages and its OpenAPI
document all take their words from here, grouped by screen or topic; even the punctuation that joins
words (``LIST_SEP``, ``CLAUSE_SEP``, ``WITH_NOTE``) lives here, for it differs between languages.
Messages with values are ``str.format`` templates (``"区域 {code} 不存在"``); chart hover texts are
plotly's own templates (``CHART_HOVER``). ``tests/test_strings_catalogue.py`` keeps Chinese out of
every other module.
"""

from __future__ import annotations

APP_TITLE = "网格化治理指挥大屏"
APP_SLOGAN = "一屏观全县，一网管全县"
DEMO_MARK = "演示"

# --- shared vocabulary: the labels of the domain's codes (levels, statuses, actions, sources, roles) --
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
BOARD_MORE = "另有 {n} 个红色、橙色预警网格，查看全部 ›"  # the board lists the first ones only
# Where a case stands as of a moment (``casestate.STAGES``): a phase of the closed loop, or done.
STANDING_LABELS = {"intake": "待受理", "dispatch": "待派遣", "disposal": "处置中", "verification": "待核查",
                   "closed": "已结案", "invalid": "无效"}
WARNING_KIND_LABELS = {"manual": "人工发布", "computed": "系统研判"}

# --- indicators: names and units, in the words of DESIGN.md -----------------------------------------
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
    # the handler's clock (accountability stops at disposal) and the centre's (verification)
    "disposed": "已处置",
    "disposed_on_time": "按期处置",
    "disposal_due": "应处置",
    "on_time_disposal_rate": "按期处置率",
    "handler_overdue": "超期未处置",
    "mean_hours_to_verify": "平均核查时长",
    # stocks: what stands at the moment, whatever the report time
    "open_now": "当前在办",
    "overdue_now": "当前超期",
    "handler_overdue_now": "当前超期未处置",
    "supervised_open_now": "当前督办未结",
}
UNITS = {
    "reported": "件", "accepted": "件", "invalid": "件", "valid": "件", "closed": "件", "in_progress": "件",
    "due": "件", "closed_on_time": "件", "overdue": "件", "reworked": "件", "supervised": "件",
    "supervised_open": "件", "mean_hours_to_close": "小时", "population": "人", "houses": "套",
    "households": "户", "grids": "个", "grid_workers": "人", "grid_workers_online": "人",
    "disposed": "件", "disposed_on_time": "件", "disposal_due": "件", "handler_overdue": "件",
    "mean_hours_to_verify": "小时", "open_now": "件", "overdue_now": "件", "handler_overdue_now": "件",
    "supervised_open_now": "件", "score": "分",
}

# --- the big screen ---------------------------------------------------------------------------
# The KPI strip's groups: the window's cohort (its label is the window's), what stands now, the area.
KPI_GROUP_LABELS = {"flow": "期内", "stock": "当前", "context": "概况"}
KPI_FLOW_LABEL = "{range}（期内）"
BIGSCREEN_PANELS = {"category": "事件类别", "trend": "事件趋势", "heatmap": "事件热力", "map": "网格地图",
                    "feed": "最新事件", "board": "四级预警", "depts": "部门按期处置"}
MAP_HEAT_TOGGLE = "热力"
# What the map colours: the legend's title, and the short form on the measure's switch.
MAP_MEASURE_LABELS = {"level": "预警等级", "density": "事件密度（件/千户）", "open": "当前在办事件", "closure": "办结率",
                      "online": "网格员在线"}
MAP_MEASURE_SHORT = {"level": "预警等级", "density": "事件密度", "open": "当前在办", "closure": "办结率", "online": "网格员在线"}
MAP_ONLINE = {1: "在线", 0: "离线"}
MAP_NO_WORKER = "无网格员"
MAP_NO_VALID = "无有效事件"
WARNING_LEVEL_ALERT = {1: "红色预警", 2: "橙色预警", 3: "黄色预警", 4: "蓝色预警"}
BOARD_QUIET = "当前无红色、橙色预警网格"
BOARD_AREA_ROW = "{name}（{n}个网格）"  # a manual warning on a town or the county: one row, not one per grid
FEED_BADGES = {"new": "上报", "closed": "结案"}
SELECTED_OPEN_GRID = "进入网格详情 ›"
DATA_TIME = "数据时间 {time}"
WARNING_BADGE = "预警 {level}"  # a desk page's badge of its area's worst level
NO_AREAS_YET = "数据库中还没有区域数据，请先导入或生成演示数据。"

# --- big screen: alerts (a new major/urgent case, a grid entering Ⅰ/Ⅱ) until acknowledged ------------
# What an alert says, stored when it is raised (dashboard/warnings/alerts.py): words from the data.
ALERT_TEXT = {"case": "{title}（{place}）", "grid": "{place}进入{level}：{reasons}"}  # beside the badge (紧急, Ⅰ级)
ALERT_KIND_LABELS = {"case": "重大紧急事件", "grid": "预警升级"}
ALERT_PLACE = "{town}{grid}"  # where: the town, then the grid
ALERT_ACK = "确认知晓"  # the banner's button (duty officers: whoever may supervise)
ALERT_ACK_TITLE = "确认后告警不再置顶；确认人和时间将被记录"
ALERT_MORE = "另有 {n} 条未确认告警"
ALERT_SOUND = "提示音"
ALERT_ACKED = "已由 {by} 于 {time} 确认"
ALERT_ACK_GONE = "该告警不存在或不在您的范围内"

# --- big screen: time ranges, heatmap modes, the town filter, map tooltips ---------------------------
RANGE_UNKNOWN = "时间范围应为 today、7d、30d、all 或 custom"
RANGE_LABELS = {"today": "今日", "7d": "近7日", "30d": "近30日", "all": "全部", "custom": "自定义"}
HEATMAP_MODE_LABELS = {"hour": "时段×星期", "day": "类别×日期"}  # the big screen's heatmap panel
BIGSCREEN_ALL_TOWNS = "全县"  # the big screen's town filter: no town chosen
# Map tooltips (assets/map.js reads them from the grid layer's hideout).
# The map's grid tooltip: what stands open now (the stock, whatever the window), and how a value is labelled.
MAP_TIP = {"open": "当前在办：{n} 件", "no_data": "无数据", "labelled": "{label}：{value}"}
WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

# --- desk pages: drill-down from the big screen (town, community, grid, event, department, explorer) --

BACK_TO_SCREEN = "‹ 返回指挥大屏"
# The desk pages' navigation, by page (callbacks/pages.py).
NAV = {"events": "事件查询", "warnings": "预警管理", "bulletin": "周通报", "sources": "数据源"}
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
SUPERVISE_NEED_NOTE = "请填写督办意见（督办要求对方做什么、何时反馈）"
SUPERVISE_TOO_LONG = "{field}过长（最多{n}字）"
SUPERVISE_UNKNOWN = "事件不存在"
SUPERVISE_HISTORY_EMPTY = "尚未督办"
SUPERVISE_SELECT_ROW = "在表格中选择一件在办事件后可督办"
SUPERVISE_SELECTED = "已选事件 #{id}：{title}"

DEPT_SCORE_TITLE = "综合得分"
DEPT_STATUS_TITLE = "案件状态（当前）"
DEPT_RATES_TITLE = "办结率与按期办结率"
DEPT_OVERDUE_TITLE = "当前超期未处置案件（按截止时间由早到晚）"
DEPT_STAGES_TITLE = "各环节平均用时（已办结案件）"
DEPT_NO_OVERDUE = "没有超期未处置案件"
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
EXPLORER_HANDLER_OVERDUE = "仅超期未处置"
EXPLORER_SUPERVISED = "仅督办"
EXPLORER_STATUS_OPEN = "在办（已受理未结案）"
# Refusals of a filter's query parameters (the explorer's files, GET /api/v1/events).
FILTER_NOT_FLAG = "应为 1 或 true（是），0 或 false（否）"
FILTER_UNKNOWN_STATUS = "未知状态“{value}”，可用：{choices}"
EXPLORER_COUNT = "共 {n} 件"
EXPLORER_EXPORT_CSV = "导出 CSV"
# The explorer's CSV/XLSX say what they hold in their names (dashboard/export/eventfiles.py).
EXPORT_EVENTS_NAME = "事件"
EXPORT_FLAG_WORDS = {"overdue": "超期", "handler_overdue": "超期未处置", "supervised": "督办", "open": "在办"}
EXPORT_TEXT_WORD = "含{text}"
EXPORT_MADE_AT = "导出{time}"
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

# --- shared messages: a missing page, stale data, times typed by people ------------------------------
NOT_FOUND_TITLE = "页面不存在"
NOT_FOUND_BODY = "找不到您要的页面或记录，可能编码有误或已被删除。"
STALE_BANNER = "数据连接中断，正在显示 {time} 的数据，恢复后将自动刷新"
NO_DATA = "暂无数据"

# Times typed or sent by people (API parameters, imported files, forms): ``timeutil.parse_time``.
TIME_EMPTY = "时间不能为空"
TIME_UNREADABLE = "无法识别的时间“{text}”，应为 ISO 日期或时间，如 2026-11-20 或 2026-11-20T08:30"
TIME_OUT_OF_RANGE = "时间“{text}”超出可接受的范围（{first}年至{last}年）：更早或更晚的时间不会出现在治理记录中"
TIME_END_BEFORE_START = "结束时间必须晚于开始时间"


# --- connector: a county's grid platform read directly (gridscreen source / sync, /sources) -------
# The big screen's banner when a source has not synced within GRIDSCREEN_SYNC_LATE_SECONDS.
SYNC_LATE_BANNER = "数据来源“{names}”同步延迟，其数据截至 {time}，恢复后将自动更新"
SYNC_LATE_NEVER = "数据来源“{names}”同步延迟：尚未同步成功，恢复后将自动更新"
SYNC_STATUS_LABELS = {"running": "进行中", "ok": "成功", "failed": "失败", "never": "从未同步"}
SYNC_ENTITY_LABELS = {"areas": "区域", "departments": "部门", "categories": "事件类别", "staff": "网格力量",
                      "events": "事件", "event_log": "流转记录"}

# Mapping files: every mistake with its line, its key and the reason.
MAPPING_ERRORS = {
    "file": "映射文件 {name} 有 {n} 处错误:",
    "line": "第{line}行",
    "not_found": "找不到文件 {path}",
    "unreadable": "无法读取文件（应为 UTF-8 文本）: {error}",
    "toml": "{where}不是有效的 TOML（{error}）",
    "column": "第{column}列，",
    "unknown_section": "无法识别的节，应为 {allowed}",
    "timezone": "“{value}”不是时区名（如 Asia/Shanghai）",
    "code_kind": "未知的编码种类，应为 {kinds}",
    "log_needs_events": "流转记录需要 [events] 一节给出事件",
    "no_entity": "没有任何实体（areas、departments、categories、staff、events、event_log）",
    "unknown_field": "未知字段，{entity} 的字段有 {fields}",
    "empty_column": "列名不能为空",
    "missing_field": "缺少必需字段 {field}",
    "stage_with_log": "已有 [event_log] 流转记录，各环节由流转记录给出，此处不应再映射环节字段",
    "not_enum": "只有枚举字段可以对照翻译（{fields}）",
    "translate_unmapped": "字段 {field} 未在 [{entity}.columns] 中映射",
    "not_bool": "应为 true 或 false，而不是 {value}",
    "bad_choice": "“{value}”不是有效取值，应为 {choices}",
    "log_watermark": "流转记录随事件读取（:keys），不需要水位",
    "log_keys": "查询必须用 :keys 选出正在同步的事件的全部流转记录，如 WHERE c.case_no IN :keys",
    "initial_without": "没有 watermark 时不需要 initial",
    "since_without": "查询用了 :since，但没有给出 watermark 列",
    "initial_needed": "需要 initial：首次同步从这个水位开始（如 0 或 2000-01-01T00:00:00）",
    "since_needed": "查询必须用 :since 只读出水位之后变化的行，如 WHERE update_time > :since",
    "unknown_param": "查询中的参数 :{name} 无法提供（只能用 {allowed}）",
    "initial_type": "应为整数、日期时间或文本",
    # by pydantic error type
    "missing": "缺少必需的键",
    "extra_forbidden": "无法识别的键",
    "string_type": "应为文本（加引号）",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "dict_type": "应为一个表（[节] 或 {{ … }}）",
    "model_type": "应为一个表（[节]）",
    "too_small": "太小（至少 {bound}）",
    "too_large": "太大（至多 {bound}）",
    "wrong_type": "类型不对（{detail}）",
}

# Reading the platform's database.
SYNC_SOURCE_ERRORS = {
    "env_missing": "环境变量 {name} 未设置（来源数据库的地址）",
    "env_name": "env: 后应为环境变量名",
    "bad_url": "不是有效的数据库地址，应如 mysql+pymysql://用户@主机:端口/库名",
    "no_dialect": "不支持的数据库类型 {scheme}（需要安装其 SQLAlchemy 方言）",
    "unknown_url": "（无法识别的地址）",
    "cannot_open": "无法打开来源数据库: {error}",
    "down": "无法连接来源数据库 {url}: {error}",
    "query": "来源查询出错（{entity}）: {error}",
    "columns": "[{entity}] 的查询结果中没有这些列: {missing}；结果中的列为 {present}",
    "none": "（无）",
    "crashed": "同步出错: {error}",
    "abandoned": "同步进程中断，未能完成",
    "running": "来源的另一次同步正在进行（始于 {since}）",
}

# Why a source row was refused (stored with its source key; shown on /sources and by the CLI).
SYNC_REFUSALS = {
    "field": "{field}（{column}）{reason}",
    "empty": "不能为空",
    "no_key": "键列 {column} 为空",
    "blank_key": "（空）",
    "not_time": "“{value}”不是时间",
    "not_number": "“{value}”不是数字",
    "not_finite": "“{value}”不是有限的数字",
    "not_count": "“{value}”不是非负整数",
    "not_translated": "“{value}”不在 [{entity}.translate.{field}] 对照表中",
    "not_choice": "“{value}”不是有效取值（应为 {choices}，或在 [{entity}.translate.{field}] 中对照）",
    "not_bool": "“{value}”不是是/否值",
    "too_long": "超过{n}个字符",
    "database": "数据库拒绝写入: {error}",
    "still_used": "来源已删除，但本系统中仍有事件或其他数据引用它，未删除",
    "area_code": "code“{code}”不符合编码规则：{rule}（县6位，其下每级加3位）",
    "area_code_level": "{level}级编码应为{n}位数字",
    "area_code_any": "区域编码应为6、9、12或15位数字",
    "county_parent": "县级区域不应有上级",
    "one_county": "一个数据库只能有一个县级区域，已有 {code}",
    "parent_code": "上级编码应为本编码去掉末3位（{want}），而不是 {got}",
    "no_parent_area": "上级区域 {code}（{level}级）不存在",
    "geometry": "geometry {reason}",
    "code": "code {reason}",
    "area_level": "编码 {code} 是{area}级区域，与层级 {level} 不符",
    "no_parent_category": "上级类别 {code} 不存在",
    "self_parent": "不能以自身为上级",
    "not_positive": "time_limit_hours“{value}”不是正数（小时）",
    "no_handler": "处置单位 {code} 不存在",
    "no_default_handler": "默认处置单位 {code} 不存在",
    "cycle": "类别上下级形成循环",
    "no_grid": "网格 {code} 不存在",
    "no_category": "事件类别 {code} 不存在",
    "lat_lon_pair": "经纬度应同时给出",
    "lat_lon_range": "经纬度超出范围: {lat}, {lon}",
    "status": "来源状态为“{said}”，但{told}表明应为“{life}”",
    "told_stages": "各环节时间",
    "told_log": "流转记录",
    "deleted_accepted": "来源平台已删除该事件，但本系统中它已受理（{status}）；已计入统计的事件只增不改，未作处理，请在来源平台核实",
    "deleted_note": "来源平台已删除该事件",
    "dispatch_nobody": "流转记录中 {time} 的派遣没有处置单位",
    "dispatch_unknown": "流转记录中 {time} 派遣的处置单位 {code} 不存在",
    "reported_differs": "上报时间与已存的不一致（已存为 {time}）",
    "log_differs": "来源的流转记录与已同步的不一致：第{n}步已存为“{stored}”（{at}），来源为{theirs}；事件记录只增不改",
    "log_step": "“{action}”（{at}）",
    "log_missing": "没有这一步",
    "deadline_differs": "截止时间与已存的不一致（已存为 {time}）",
    "log_row": "流转记录（{column} {key}）{reason}",
}

# gridscreen source ... / gridscreen sync
SOURCE_CLI = {
    "name": "来源名称应为1到{n}个字符，不含空格",
    "exists": "来源 {name} 已存在（要更换地址或映射文件请加 --replace）",
    "unknown": "来源 {name} 不存在（gridscreen source list 列出已有来源）",
    "added": "来源 {name} 已添加: {url}（映射文件 {mapping}）",
    "replaced": "来源 {name} 已更新: {url}（映射文件 {mapping}）",
    "none": "还没有来源（gridscreen source add 添加）",
    "removed": "来源 {name} 已删除",
    "confirm_remove": "删除来源 {name}（已同步的数据保留）？",
    "health": "{name}  {url}\n    上次同步 {last} {status}，读取 {read}，写入 {written}，拒收 {refused}；数据延迟 {lag}",
    "run": "{at}  {status}  读取 {read}  写入 {written}  拒收 {refused}  用时 {took}",
    "report": "{name}: {status}，读取 {read}，写入 {written}，拒收 {refused}，用时 {took}",
    "refused": "  拒收 {entity} {key}: {reason}",
    "more_refused": "  … 另有 {n} 行被拒收（gridscreen source runs {name}）",
    "serve_started": "来源同步已启动：每 {every} 秒一次（GRIDSCREEN_SYNC_EVERY）",
}

# /sources: the admin page of the connector's health.
SOURCES_PAGE_TITLE = "数据来源同步"
SOURCES_THRESHOLD = "超过 {late} 未成功同步即为延迟"
SOURCES_LATE = "延迟"
SOURCES_ON_TIME = "正常"
SOURCES_LAG_NEVER = "从未成功"
SOURCES_NONE = "还没有数据来源。用 gridscreen source add 添加县里的网格化平台数据库。"
SOURCES_REFUSED_TITLE = "上次同步拒收的行：{name}"
SOURCES_NO_REFUSALS = "上次同步没有拒收的行"
SOURCES_REFUSED_MORE = "仅显示前 {n} 行，共 {total} 行（gridscreen source runs {name} 列出全部）"
SOURCES_COL = {"name": "来源", "url": "数据库", "last": "上次同步", "result": "结果", "read": "读取", "written": "写入",
               "refused": "拒收", "lag": "数据延迟", "state": "状态", "entity": "数据", "key": "来源中的键",
               "reason": "原因"}


# --- warnings: the four-level engine, its rules file, manual warnings, the /warnings page ---------

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
WARNINGS_PAGER = {"prev": "上一页", "next": "下一页", "page": "第 {page} 页", "page_of": "第 {page} / {pages} 页"}
WARNINGS_TOTAL = "共 {total} 个"
WARNINGS_AT_LEAST = "{n} 条以上"

# --- meeting materials (chart exports, weekly bulletin 周通报) -------------------------------------

CHART_TITLES = {
    "category": "事件类别分布",
    "trend": "事件上报与办结趋势",
    "heatmap-hour": "事件时段热力（时段×星期）",
    "heatmap-day": "事件类别热力（类别×日期）",
    "departments": "部门按期处置率排名",
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
    "size": "图片尺寸应为 {lo}–{hi} 像素，缩放倍数 1–{scale}",
    "pixels": "图片过大：PNG 不能超过 {mp} 百万像素（宽 × 高 × 缩放倍数²），请减小尺寸或缩放倍数",
    "range": "时间范围应为 today、7d、30d、all 或 custom",
    "too_long": "时间范围过长：图表导出最长 {days} 天（三个自然年），请缩短 start 至 end 的区间",
    "too_long_data": "时间范围过长：图表导出最长 {days} 天（自第一条事件 {since} 起的全部数据），请缩短 start 至 end 的区间",
    "dates": "日期超出可处理的范围",
    "busy_account": "您已有 {n} 个图表正在导出，请等当前导出完成后再试（约 {seconds} 秒）",
    "busy_pool": "导出服务繁忙，请 {seconds} 秒后再试",
    "busy_jobs": "您已有 {n} 份周通报正在生成，请等其完成后再试",
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
BULLETIN_CASES_NOTE = "截至{as_of}，{since}以来上报的事件中超期未办结 {overdue} 件、督办未办结 {supervised} 件"
BULLETIN_CASES_MORE = "另有 {n} 件见数据表"
BULLETIN_UNITS_MORE = "另有 {n} 个{units}见数据表"
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
    "side": "应为 {lo}–{hi} 的整数（像素）",
    "scale": "应为 1–{hi} 的数字",
    "pixels": "与其他尺寸参数合计超过 {mp} 百万像素",
    "too_long": "与另一端相隔超过 {days} 天",
    "dates": "超出可处理的日期范围",
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

# --- imports (gridscreen import …): where a problem is, and what is wrong with an areas file ---------
IMPORT_ROW = "第{n}行"
IMPORT_FEATURE = "第{n}个要素"
IMPORT_COLUMN = "“{name}”列"
IMPORT_PROPERTY = "“{name}”字段"
IMPORT_AREA_ERRORS = {
    "no_file": "找不到文件 {path}",
    "not_json": "不是有效的 GeoJSON: {error}",
    "not_collection": "应为 GeoJSON FeatureCollection",
    "empty": "不能为空",
    "duplicate": "与第{n}个要素重复",
    "level": "“{level}”不是有效层级，应为 county、town、community 或 grid",
    "code_length": "{level}级编码应为{n}位数字（县6位，其下每级加3位）",
    "name_long": "超过64个字符",
    "county_parent": "县级区域不应有上级",
    "parent_code": "上级编码应为本编码去掉末3位（{code}）",
    "parent_missing": "上级区域 {code} 不存在",
    "parent_level": "上级 {code} 应为{level}级",
    "two_counties": "一个数据库只能有一个县级区域，现有 {codes}",
    "bad_geometry": "几何无法解析: {error}",
    "no_geometry": "缺少几何",
    "geometry_type": "应为 Polygon 或 MultiPolygon，而不是 {kind}",
    "invalid": "几何无效: {why}",
    "outside_china": "坐标不在中国范围内（应为经度、纬度，WGS-84/CGCS2000）",
    "not_integer": "“{value}”不是非负整数",
    "overlap": "网格 {code} 与网格 {other} 交叉重叠（约 {m2} 平方米）",
    "outside_parent": ("{level}“{name}”（{code}）有 {share} 的面积（约 {m2} 平方米）不在上级{parent_level}“{parent_name}”"
                       "（{parent}）的范围内；下级区域必须位于上级区域之内（共用边界允许 {tol} 米误差）"),
    "child_outside": ("已有的下级{level}“{name}”（{code}）有 {share} 的面积（约 {m2} 平方米）不在本区域新的范围内；"
                      "请一并导入调整后的下级区域（共用边界允许 {tol} 米误差）"),
}
IMPORT_AREA_GAP = "{name}（{code}）有 {share} 的面积未被下级区域覆盖"
IMPORT_AREA_FILE = "区域文件"
IMPORT_AREA_KIND = "区域"

# --- API messages: the reporting API's refusals and field errors (/api/v1) --------------------------
API_AUTH_MISSING = "缺少 API 令牌：请在请求头 Authorization 中给出 Bearer 令牌"
API_AUTH_INVALID = "API 令牌无效"
API_AUTH_REVOKED = "API 令牌已吊销"
API_KEY_MISSING = "写操作必须带 Idempotency-Key 请求头（1–128 个可见 ASCII 字符，如 UUID）"
API_KEY_REUSED = "Idempotency-Key 已用于另一个请求（{method} {path}），同一个键只能重试完全相同的请求"
API_KEY_IN_FLIGHT = "同一 Idempotency-Key 的请求正在处理，请稍后重试"
API_KEY_BAD = "缺失或格式不正确"
API_KEY_USED = "已用于另一个请求"
API_WRITE_CONFLICT = "与同时进行的另一写入冲突，请重试"
API_BAD_CONTENT_TYPE = "请求体必须是 JSON（Content-Type: application/json）"
API_BAD_JSON = "请求体不是有效的 JSON：{reason}"
API_BAD_JSON_AT = "第 {line} 行第 {column} 列附近有误"
API_BAD_JSON_CONSTANT = "非法的常量 {name}"
API_BAD_JSON_NUMBER = "数字过长"
API_BAD_ENCODING = "请求体不是 UTF-8 编码的 JSON"
API_TOO_DEEP = "请求体 JSON 嵌套过深"
API_TOO_LARGE = "请求体过大（上限 {limit} 字节）"
API_INVALID = "请求参数有误"
API_INVALID_QUERY = "查询参数有误"
API_NAMED = "{message}：{names}"
API_BAD_TIME = "时间参数有误"
API_BAD_FILTER = "筛选条件有误"
API_NOT_FOUND = "接口不存在：{method} {path}"
API_METHOD_NOT_ALLOWED = "接口 {path} 不支持 {method}，可用：{allowed}"
API_EVENT_NOT_FOUND = "事件 {id} 不存在"
API_STAFF_NOT_FOUND = "人员 {id} 不存在"
API_STAFF_INACTIVE = "人员 {id} 已停用"
API_EXT_ID_TAKEN = "客户端事件编号 {ext_id} 已存在（事件 {id}）"
API_SERVER_ERROR = "服务器内部错误，请稍后重试"
API_HTTP_ERROR = "请求未能处理（HTTP {code}）"
API_UNKNOWN_GRID = "网格 {code} 不存在"
API_UNKNOWN_CATEGORY = "事件类别 {code} 不存在"
API_UNKNOWN_HANDLER = "处置单位 {code} 不存在"
API_UNKNOWN_AREA = "区域 {code} 不存在"
API_OUTSIDE_REACH = "坐标（{lon}, {lat}）不在可上报范围内的任何网格中"
API_ILLEGAL_TRANSITION = "事件 {id} 当前状态为“{status}”，不能执行“{action}”；允许的操作：{allowed}"
# What an API client may write (gridscreen token create --may ...), and the refusal without it.
API_PERMISSION_LABELS = {"report": "上报事件", "transition": "流转事件", "supervise": "督办", "heartbeat": "App 心跳"}
API_PERMISSION_DENIED = "该 API 令牌无权{what}（需要权限 {permission}，请管理员用 gridscreen token permit 授予）"
TOKEN_UNKNOWN_PERMISSION = "未知的权限：{names}；可用：{choices}"
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
    "status": "应为状态编码，多个用逗号分隔：reported、accepted、invalid、dispatched、in_progress、disposed、closed",
    "category": "应为字母、数字、下划线或连字符组成的编码",
    "handler": "应为字母、数字、下划线或连字符组成的编码",
}
API_FIELD_TEXT = "不能为空白，且不能含控制字符"
API_FIELD_MIN_LENGTH = "至少 {n} 个字符"
API_MISSING = "不存在"
API_EXISTS = "已存在"
API_LAT_LON_TOGETHER = "经纬度必须同时给出"
API_GRID_OR_POINT = "必须给出网格编码或经纬度"
API_PATROL_REPORTER = "网格员巡查上报必须给出上报人"
API_DISPATCH_HANDLER = "派遣必须指定处置单位"
API_HANDLER_ONLY_DISPATCH = "只有派遣时才能指定处置单位"
API_AREA_OR_DEPARTMENT = "area 与 department 只能给出一个"
API_NOT_WITH_AREA = "不能与 area 同时使用"
API_DATABASE_AWAY = "数据库暂时不可用"
API_NO_GEO_LEVEL = "没有“{level}”级的地图数据"
API_GEO_LEVELS = "应为 county、town、community 或 grid"
API_BAD_AREA_CODE = "区域编码有误"
API_AREA_CODE_FORM = "应为6-15位数字编码"
API_BAD_DETAIL = "detail 参数有误"
API_DETAIL_FORM = "应为 full 或 overview"
API_DETAIL_FORM_ALONE = "应为 full 或 overview，且不与 within、labels 同用"
API_BAD_CHOICE = "应为以下之一（编码或中文名称）：{choices}"
API_ACTOR_FIXED = "不能指定操作人：操作人是令牌所属的客户端；客户端自己的操作员请填在 operator 字段"
API_FIELD_INVALID = "取值无效"

# Request hygiene (all of /api/v1).
API_BAD_QUERY = "查询参数有误"
API_BAD_CHARACTERS = "含有不允许的控制字符"

# --- accounts and login: roles, access, error pages, refusals at start, gridscreen user --------------
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
# (callbacks/contracts.py).
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
    "area_needed": "片区工作人员必须用 --area 指定所属区域（镇街）编码",
    "area": "{code} 不是已有的下级区域（镇街、社区）编码",
    "name": "显示名称不能为空，且不超过 64 个字符",
    "password_short": "密码至少 {n} 个字符",
    "password_long": "密码不能超过 {n} 个字符",
    "unknown": "没有用户 {username}",
}


# --- shared: how words are joined, and spans of time in words ------------------------------------
LIST_SEP = "、"  # between the items of a list: 红、橙
CLAUSE_SEP = "；"  # between reasons, problems or clauses of one message
WITH_NOTE = "{text}（{note}）"  # a word and its gloss: patrol（网格员巡查）
LABELLED = "{label}：{value}"  # a label and what it labels
LIST_AND_MORE = "{items}等"  # a list cut short
WIDE_SPACE = "\u3000"  # a full-width space: between a bold lead and its text
DURATION_HOURS = "{h:.1f}小时"
DURATION_DAYS = "{d}天{h}小时"
DURATION_SECONDS = "{s}秒"
DURATION_MINUTES = "{m}分钟"


# --- case rules: why an action, a stage time, a category or an area is refused (dashboard/domain) --
# An action the case's life cycle does not allow (``lifecycle.step``): codes, as the log stores them.
CASE_ERRORS = {
    "not_allowed": "状态“{status}”下不能执行“{action}”，允许的操作: {allowed}",
    "nothing_allowed": "无",
    "unknown_action": "未知操作“{action}”",
    "before_last": "操作时间 {at} 早于上一步 {last}",
    "no_time_limit": "事件类别及其上级都没有办理时限，无法确定受理后的截止时间",
    "dispatch_nobody": "派遣必须指定处置单位",
    "unknown_grid": "未知网格 {code!r}",
    "unknown_category": "未知事件类别 {code!r}",
    "unknown_source": "未知来源 {code!r}",
    "unknown_severity": "未知紧急程度 {code!r}",
    "unknown_handler": "未知处置单位 {code!r}",
}
# Stage times of one case that cannot be a life (``lifecycle.stage_problems``), by column.
STAGE_PROBLEMS = {
    "accepted_and_invalid": "同一事件不能既受理又判为无效",
    "future": "时间晚于当前时间",
    "missing_before": "缺少前一环节 {column}",
    "before_previous": "早于前一环节的时间",
    "before_report": "早于上报时间",
    "invalid_went_on": "无效事件不应有派遣、处置或结案时间",
    "dispatched_nobody": "已派遣的事件必须有处置单位",
    "deadline_before_accept": "截止时间早于受理时间",
    "deadline_unaccepted": "未受理的事件不应有截止时间",
    "stored_time": "与已存的事件 {ext_id} 的时间不一致（已存为 {stored}）",
    "stored_deadline": "与已存的事件 {ext_id} 的截止时间不一致（已存为 {stored}）",
}
# Category (and department) codes and the time limits categories inherit (``categories``).
CATEGORY_ERRORS = {
    "empty": "不能为空",
    "too_long": "超过{n}个字符",
    "code": "编码“{code}”只能由字母、数字、点、横线和下划线组成，且以字母或数字开头",
    "no_limit": "未填办理时限，上级类别 {parent} 及其上级也都没有时限可继承",
    "limit_relied_on": "下级类别 {code} 没有自己的时限，依赖本类别（或其上级）的时限，不能为空",
}
# An area's outline given as GeoJSON or WKT text (``geo.area_shape``).
GEOMETRY_ERRORS = {
    "unreadable": "几何无法解析（应为 GeoJSON 或 WKT）: {error}",
    "not_polygon": "应为 Polygon 或 MultiPolygon，而不是 {kind}",
    "nothing": "空",
    "invalid": "几何无效: {why}",
    "outside_china": "坐标不在中国范围内（应为经度、纬度，WGS-84/CGCS2000）",
}
WINDOW_END_BEFORE_START = "窗口结束时间必须晚于开始时间"
AREA_CODE_INVALID = "不是有效的区域编码: {code!r}"


# --- charts: series, bar labels and hover texts of every chart (dashboard/present/plots.py) ------
# CHART_HOVER holds plotly hovertemplates, filled in by plotly in the browser: %{…} are plotly's
# (%{fullData.name} is the trace's name); they are not str.format templates.
CHART_HOVER = {
    "category": "%{y}: %{x}件<extra></extra>",
    "reported": "%{x|%m-%d} 上报 %{y}件<extra></extra>",
    "closed": "%{x|%m-%d} 办结 %{y}件<extra></extra>",
    "reported_hour": "%{x|%m-%d %H:00} 起一小时 上报 %{y}件<extra></extra>",
    "closed_hour": "%{x|%m-%d %H:00} 起一小时 办结 %{y}件<extra></extra>",
    "category_day": "%{y} %{x|%m-%d}: %{z}件<extra></extra>",
    "hour_weekday": "%{y} %{x}: %{z}件<extra></extra>",
    "department": ("%{y}<br>按期处置率 %{customdata[8]}（应处置 %{customdata[7]}件）<br>当前超期未处置 %{customdata[2]}件"
                   "<br>办结率 %{customdata[1]:.1%}<br>平均办结 %{customdata[3]:.1f}小时<br>有效 %{customdata[4]}件"
                   "<br>督办 %{customdata[5]}件 · 综合得分 %{customdata[6]:.1f}<extra></extra>"),
    "unit_rate": "%{y} 办结率 %{x:.1f}%<extra></extra>",
    "score": "%{y} 综合得分 %{x:.1f}<extra></extra>",
    "stage": "%{fullData.name}：%{base|%m-%d %H:%M} 起，用时 %{customdata[0]:.1f} 小时 %{customdata[1]}<extra></extra>",
    "stage_mean": "%{y}：%{x:.1f}小时<extra>%{fullData.name}</extra>",
    "score_part": "%{y}：%{x:.1f}<extra></extra>",
    "standing": "%{y}：%{x}件<extra></extra>",
    "standing_overdue": "%{y} 超期：%{x}件<extra></extra>",
    "valid": "%{x|%m-%d} 有效 %{y}件<extra></extra>",
    "rate": "%{x|%m-%d} %{fullData.name} %{y:.1f}%<extra></extra>",
}
CHART_HOVER_SPLIT = "{label}: {n}件 ({share:.1%})<extra></extra>"  # str.format, then plotly
CHART_SERIES = {"on_time": "按期内", "valid": "有效案件"}
CHART_HOUR = "{h}时"
CHART_COUNT = "{n}件"
CHART_DEPARTMENT_BAR = "{rate}  当前超期{overdue}"
CHART_UNIT_BAR = "{rate:.1f}%（{n}件）"


# --- warnings: the engine's words and the issuer of manual warnings (dashboard/warnings) -----------
WARNING_COUNTS = "红 {n1} · 橙 {n2} · 黄 {n3} · 蓝 {n4} · 正常 {n0}"  # grids at each level
WARNING_DEFAULT_ISSUER = "值班员"  # a manual warning's issuer when none is named
SCOPE_OPTION = "{level}｜{path}"  # an area in the scope picker: 网格｜城关镇 / 东门社区 / 东门一网格


# --- bulletin and exports: week-on-week change, the workbook's sheet names (dashboard/export) -----
CHANGE_RELATIVE = "（{sign}{v:.1f}%）"  # after CHANGE_UP / CHANGE_DOWN: the change relative to last week
BULLETIN_UNITS_SHORT = {"county": "镇", "town": "社区", "community": "网格", "grid": "网格"}  # in sheet names


# --- imports: departments, categories and events files, and how an import reads (dashboard/ingest) --
IMPORT_FILE = "文件"
IMPORT_FILES = {"departments": "部门文件", "categories": "事件类别文件", "events": "事件文件"}
IMPORT_KINDS = {"departments": "部门", "categories": "事件类别", "events": "事件"}
IMPORT_FAILED = "{what}有 {n} 处错误，未导入任何数据:\n{shown}{more}"
IMPORT_FAILED_MORE = "\n  … 另有 {n} 处错误"
IMPORT_REPORT = "{kind}: 新增 {created}，更新 {updated}，未变 {unchanged}"
IMPORT_HINT = "  提示: {text}"
IMPORT_ACTOR = "数据导入"  # who imported cases are logged under
# The file as a whole.
IMPORT_FILE_ERRORS = {
    "not_found": "找不到文件 {path}",
    "file_type": "不支持的文件类型 {suffix}，请使用 .csv 或 .xlsx",
    "unreadable": "无法读取文件: {error}",
    "missing_column": "缺少必需的列",
    "unknown_column": "无法识别的列",
    "formula": "是公式（{text}），请粘贴为数值后再导入",
}
# One row of a departments, categories or events file.
IMPORT_ROW_ERRORS = {
    "empty": "不能为空",
    "blank": "（空）",
    "too_long": "超过{n}个字符",
    "duplicate": "与第{n}行重复",
    "handler_level": "“{level}”不是有效层级，应为 {levels}",
    "area_level": "编码 {code} 是{area}级区域，与层级 {level} 不符",
    "not_bool": "“{value}”不是是/否值",
    "not_positive": "“{value}”不是正数（小时）",
    "no_parent": "上级类别 {code} 不存在",
    "self_parent": "不能以自身为上级",
    "no_handler_yet": "处置单位 {code} 不存在，请先导入部门",
    "cycle": "类别上下级形成循环",
    "no_category": "事件类别 {code} 不存在",
    "no_grid": "网格 {code} 不存在",
    "not_degrees": "不是数字（十进制经纬度）",
    "lat_lon_range": "经纬度超出范围: {lat}, {lon}",
    "outside_county": "位置 ({lon}, {lat}) 不在本县范围内",
    "source": "“{value}”不是有效来源，应为 {choices}",
    "severity": "“{value}”不是有效紧急程度，应为 {choices}",
    "not_count": "“{value}”不是非负整数",
    "handler": "处置单位 {code} 既不是部门也不是区域",
    "stored": "与已导入的事件 {ext_id} 不一致（已存为“{stored}”）",
}


# --- API clients: the systems that write through the API (gridscreen token, dashboard/web/apiclients) --
API_CLIENT_ERRORS = {
    "name": "客户端名称不能为空，且不超过{n}个字符",
}


# --- API documentation: the OpenAPI document of /api/v1 (dashboard/web/api/openapi.py, schemas.py) --
# Descriptions of the request and response fields, by what they hold.
API_DOC_FIELDS = {
    "operator": "客户端自己的操作员编号或姓名（可选）；记录为“客户端名称（操作员 …）”，操作人始终是令牌的客户端",
    "report_category": "事件类别编码（小类）",
    "title": "标题",
    "description": "描述",
    "report_grid": "网格编码（15位）；不给时由坐标确定",
    "lat": "纬度（WGS-84/CGCS2000）",
    "lon": "经度（WGS-84/CGCS2000）",
    "report_source": "来源（编码或中文名称）：patrol 网格员巡查、public 群众求助、hotline 12345热线、video 视频巡查、transfer 部门移交",
    "report_severity": "紧急程度（编码或中文名称）：normal 一般、major 重大、urgent 紧急",
    "reporter": "上报人（人员 id）；网格员巡查上报时必填",
    "photo_url": "现场照片网址",
    "ext_id": "客户端自己的事件编号（唯一）",
    "action": ("accept 受理、invalidate 判为无效、dispatch 派遣、start 开始处置、"
               "dispose 处置完成、verify_ok 核查通过结案、verify_fail 核查未通过返工、send_back 退单、supervise 督办"),
    "dispatch_handler": "处置单位编码（仅派遣时，必填）",
    "note": "说明；督办时必填（督办意见）",
    "reported_from": "上报时间起（含），ISO 日期或时间；无时区即北京时间",
    "reported_to": "上报时间止（不含）；只给日期时包含当天",
    "area_any_level": "区域编码（县/镇街/社区/网格）",
    "category_tree": "事件类别编码（大类含其小类）",
    "statuses": "状态，可用逗号分隔多个",
    "handler": "处置单位编码",
    "source": "来源（编码或中文名称）",
    "severity": "紧急程度（编码或中文名称）",
    "overdue": "true：已受理未结案且已过办理时限",
    "supervised": "true：已督办",
    "sort": "排序字段，前缀 - 为倒序",
    "window_start": "窗口开始，ISO 日期或时间；无时区即北京时间。默认今日零点",
    "window_end": "窗口结束（计算时点）；只给日期时包含当天。默认现在",
    "area_or_county": "区域编码；默认全县",
    "department": "处置单位编码（与 area 二选一）",
    "within": "只返回该区域编码之下的要素",
    "labels": "1：返回名称标注点（区域质心）而不是面",
    "detail": "大屏用的精简要素（c 编码、n 名称、i 序号）；overview：按全县视图简化（仍无缝拼接）",
    "detail_overview": "overview：按全县视图简化（仍无缝拼接）",
    "range": "today、7d、30d、all 或 custom（默认 7d）",
    "custom_start": "自定义范围的开始日期",
    "custom_end": "自定义范围的结束日期",
    "area": "区域编码",
    "category": "事件类别编码",
    "status_list": "状态，逗号分隔；open 为全部在办",
    "only_overdue": "1：只要超期的；0：只要未超期的",
    "only_handler_overdue": "1：只要超期未处置的（处置单位的时钟）",
    "only_supervised": "1：只要已督办的；0：只要未督办的",
    "files_range": "today、7d、30d、all 或 custom（默认 all；只给 start/end 即 custom）",
    "files_start": "上报时间起（含），ISO 日期或时间",
    "files_end": "上报时间止（不含）；只给日期时包含当天",
    "category_with_children": "事件类别编码（大类含其小类）",
    "handler_overdue": "true：在处置单位手中（已派遣、未处置、未退单）且已过办理时限（超期未处置）",
    "is_handler_overdue": "在处置单位手中（已派遣、未处置、未退单）且已过办理时限（超期未处置）",
    "q": "标题关键词",
    "warning_levels": "预警等级，逗号分隔：1 红、2 橙、3 黄、4 蓝、0 正常；默认 1,2,3,4",
    "warning_kind": "manual（人工发布）或 computed（系统研判）",
    "warning_status": "active（默认）、ended 或 all",
    "warning_limit": "最多返回的网格与预警条数",
    "is_overdue": "已受理未结案且已过办理时限",
    "allowed_actions": "当前状态下可执行的操作",
    "log_actor": "操作人：登录账号或 API 客户端名称",
    "client_operator": "API 客户端自己的操作员",
    "supervisor": "督办人：登录账号或 API 客户端名称",
    "error": "说明（中文）",
    "error_fields": "每个有误字段及原因",
    "error_status": "409：事件当前状态",
    "error_allowed": "409：当前状态下允许的操作",
    "time_limit": "办理时限（小时）；大类可为空，其小类各有时限",
    "catalog_labels": "来源、紧急程度、状态、操作的中文名称",
    "source_name": "来源名称",
    "source_since": "最后一次同步成功的时间；从未成功为空",
    "late_sources": "同步延迟（超过 GRIDSCREEN_SYNC_LATE_SECONDS 未成功同步）的数据来源",
}
# The document as a whole, its tags, and the answers every write may give.
API_DOC = {
    "description": ("网格员 App 等系统上报事件、流转事件、心跳，以及查询事件与指标。写操作需要 Bearer 令牌"
                    "（gridscreen token create NAME [--town 镇街编码] [--may 权限]）和 Idempotency-Key；操作人记录为令牌的客户端名称。"
                    "时间为 ISO 8601，年份 2000–2100；无时区的时间按北京时间理解。"),
    "bearer": "gridscreen token create NAME 生成的令牌",
    "idempotency_key": "每次写操作唯一的键（如 UUID）；重试时原样重发，服务器返回首次的结果而不会重复写入",
}
API_DOC_TAGS = {"events": "事件", "staff": "人员", "catalog": "目录", "indicators": "指标", "map": "地图", "warnings": "预警",
                "screen": "大屏"}
API_DOC_WRITE_ERRORS = {
    400: "请求体不是 JSON、缺少 Idempotency-Key",
    401: "缺少或无效的 API 令牌",
    403: "API 令牌已吊销，或令牌没有这项写操作的权限",
    413: "请求体过大",
    422: "字段有误（fields 逐项说明），或 Idempotency-Key 已用于另一个请求",
}
# Each operation: its summary (and description), and its answers by HTTP status.
API_DOC_OPERATIONS = {
    "catalog": {"summary": "上报所需的目录：事件类别、处置单位、网格及其网格员、代码的中文名称", 200: "目录"},
    "heartbeat": {
        "summary": "App 心跳（网格员在线状态）",
        "description": "请求体可以为空或 {}。在线即最近 10 分钟内有心跳。需要令牌权限 heartbeat；限定镇街的令牌只能为本镇街人员发心跳。",
        200: "已记录；last_seen_at 为服务器时间", 404: "人员不存在", 409: "人员已停用",
    },
    "summary": {"summary": "指标汇总（DESIGN.md 的全部指标）", 200: "窗口内上报事件的指标，按窗口结束时刻计算",
                400: "时间参数有误，或同时给出 area 与 department", 404: "区域或处置单位不存在"},
    "geojson": {"summary": "地图数据（GeoJSON，按级别，带 ETag）", 304: "未变化", 400: "区域编码有误",
                404: "没有该级别的地图数据"},
    "pbf": {"summary": "地图数据（geobuf 二进制，大屏使用，带 ETag）", 304: "未变化", 400: "参数有误", 404: "没有该级别的地图数据"},
    "warnings": {"summary": "四级预警：各网格等级、汇总与预警列表", 200: "预警等级与原因", 400: "查询参数有误", 404: "区域不存在"},
    "explorer_export": {"summary": "导出事件查询的当前筛选（{format}）", 200: "文件", 400: "筛选条件有误",
                        413: "行数过多，请改用 CSV"},
    "version": {"summary": "数据版本（大屏轮询）", 200: "各数据通道的版本号", 503: "数据库暂时不可用"},
    "report": {"summary": "上报事件", 201: "已创建的事件（含流转记录）", 409: "客户端事件编号 ext_id 已存在",
               "description": "网格由 grid 给出，或由经纬度所在网格确定；坐标不在可上报的网格内时 422（限定镇街的令牌只能上报本镇街）。"
                              "上报时间取服务器时钟。需要令牌权限 report。"},
    "transition": {"summary": "流转事件（受理、派遣、处置、核查、退单、督办……）", 200: "流转后的事件（含流转记录）",
                   404: "事件不存在", 409: "当前状态不允许该操作：status 为当前状态，allowed 为允许的操作",
                   "description": "操作人为令牌的客户端名称；客户端自己的操作员编号放在 operator。需要令牌权限 transition，督办需要 "
                                  "supervise；督办必须写明督办意见 note，同一客户端（同一操作员）10 分钟内再次督办同一事件视为同一次督办。"},
    "events": {"summary": "查询事件（筛选、排序、分页）", 200: "一页事件与匹配总数", 400: "查询参数有误，或区域、类别、处置单位不存在"},
    "event": {"summary": "事件详情（含流转记录与督办记录）", 200: "事件", 404: "事件不存在"},
}


# --- command line: accounts, API tokens, warnings, serving and the simulator (dashboard/cli) ------
CLI_ACTOR = "命令行"  # who changes made at the command line are recorded under
# gridscreen user ...
USER_CLI = {
    "password": "密码",
    "password_again": "再次输入密码",
    "added": "已创建账号 {username}：{role}",
    "passwd": "已修改 {username} 的密码，结束了 {n} 个登录会话",
    "disabled": "已停用账号 {username}，结束了 {n} 个登录会话",
    "enabled": "已启用账号 {username}",
    "revoked": "已结束 {username} 的 {n} 个登录会话",
    "none": "（没有账号）",
    "whole_county": "全县",
    "active": "有效",
    "inactive": "已停用",
}
USER_LIST_COLUMNS = {"username": "用户名", "name": "名称", "role": "角色", "town": "镇（街道）", "created": "创建",
                     "sessions": "会话", "status": "状态"}
# gridscreen token ...
TOKEN_CLI = {
    "created": "已创建 API 令牌 #{id}（{name}），可以：{may}。令牌只显示这一次，请妥善保存：",
    "none_active": "没有有效的令牌：{which}",
    "permitted": "#{id} {name} 现在可以：{may}",
    "none_to_revoke": "没有可吊销的令牌：{which}",
    "revoked": "已吊销 #{id} {name}（{prefix}…）",
    "none": "（没有 API 令牌）",
    "active": "有效",
    "revoked_at": "已吊销 {when}",
    "town": "（限 {town}）",
    "may": "可以：{may}",
    "nothing": "（无）",
}
TOKEN_LIST_COLUMNS = {"client": "客户端", "prefix": "前缀", "created": "创建", "last_used": "最近使用", "status": "状态"}
# gridscreen warnings ...
WARNINGS_CLI = {
    "refreshed": "研判完成：{counts}",
    "evaluated": "{grids} 个网格（{ms:.0f} ms）：{counts}",
    "stored": "{at} 变化网格 {changed}，历史记录 {rows}；{counts}",
}
# gridscreen serve, gridscreen demo, gridscreen metrics
SERVE_CLI = {
    "serving": "GridScreen: http://{host}:{port}/  (数据库: {database})",
    "preparing": "正在准备数据库（{database}）……",
    "seeding": "首次启动：正在生成演示数据“{profile}”的网格、人员和近四个月的事件……",
    "seeded": "演示县已生成（{seconds:.0f} 秒）。",
    "ready": "已就绪，请在浏览器中打开 http://{host}:{port}/  （Ctrl-C 停止）",
    "simulator": "演示模拟器已启动（GRIDSCREEN_SIMULATE=off 可关闭）",
}
DEMO_SEED_STEPS = {"geography": "网格划分", "events": "生成事件"}  # progress bars of gridscreen demo
UNKNOWN_AREA = "区域 {code} 不存在"
# gridscreen simulate, and the demo's simulator in the server
SIMULATOR_CLIENT = "模拟器"  # the API client name suggested for the simulator's token
SIMULATOR_STARTED = ("模拟中：{where}，{rate:g} 件/分钟（随时段起伏），流转 {speed:g} 倍速，"
                     "{grids} 个网格、{workers} 名网格员。Ctrl-C 停止。")
SIMULATOR_LOG = {
    "stats": "上报 {reports}，流转 {transitions}（结案 {closed}），督办 {supervisions}，心跳 {heartbeats}，被拒 {refused}",
    "report": "上报 #{id} {title}（{grid}）",
    "refused": "事件 #{id} 的 {action} 被拒：{reason}",
}

# --- the background runner (gridscreen runner, started by serve) -----------------------------------
RUNNER_STARTED = "后台任务已启动：{what}（GRIDSCREEN_RUNNER=off 可不随 serve 启动）"
RUNNER_CHILD = "后台任务进程 {pid}：预警研判、告警、数据源同步、演示模拟"
RUNNER_TASKS = {"warnings": "预警研判", "alerts": "告警", "sources": "数据源同步", "simulator": "演示模拟"}

# --- desk pages: small phrases ----------------------------------------------------------------------
DEPT_AREA_LINK = "{level}详情 ›"  # a town's (community's, grid's) own desk links to its area's page
EVENT_CRUMB = "事件 #{id}"
STAGE_ROUNDS = "（{n}轮）"  # a stage entered again after a send-back or a rework
WINDOW_TO = "至"  # between a window's start and end
DATE_PLACEHOLDERS = {"start": "开始", "end": "结束"}
# Date pickers speak Chinese whatever the browser's language (assets/dates.js builds their
# calendar's locale from these words; display formats are date-fns/moment patterns).
DATE_MONTH_FORMAT = "YYYY年M月"
DATE_WORDS = {
    "months": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    "days_short": ["日", "一", "二", "三", "四", "五", "六"],
    "days_abbreviated": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    "days_wide": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "am_pm": ["上午", "下午"],
    "eras": ["公元前", "公元"],
    "quarters": ["第一季度", "第二季度", "第三季度", "第四季度"],
}
# 自定义 without its dates: the range control asks for them instead of silently showing another window.
CUSTOM_DATES_PROMPT = "自定义：请选择开始和结束日期"
CUSTOM_DATES_SHOWING = "自定义：请选择开始和结束日期（选定前显示{range}）"
# The grid page's case points, by kind (casestate.KINDS grouped as the legend shows them).
POINT_KIND_LABELS = {"overdue": "超期", "open": "在办", "closed": "已结案", "other": "待受理/无效"}
BULLETIN_ALERT_LINE = "{alert} {name}：{reasons}"
NONE = "无"  # an empty list, in words
EXPLORER_SUBCATEGORY = "\u3000· {name}"  # a minor category under its major one in a choice list
WARNED_STOCK = "当前在办 {open} · 超期 {overdue}"  # beside a warned grid: what stands open there now
SCORE_OUT_OF = " / 100"  # after a department's 综合得分
