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
SUPERVISE_ACTOR_PLACEHOLDER = "请输入姓名"
SUPERVISE_NOTE = "督办意见"
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
