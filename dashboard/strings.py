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

RANGE_LABELS = {"today": "今日", "7d": "近7日", "30d": "近30日", "all": "112日", "custom": "自定义"}
WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

# Messages.
NOT_FOUND_TITLE = "页面不存在"
NOT_FOUND_BODY = "找不到您要的页面或记录，可能编码有误或已被删除。"
STALE_BANNER = "数据连接中断，正在显示 {time} 的数据，恢复后将自动刷新"
NO_DATA = "暂无数据"

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
