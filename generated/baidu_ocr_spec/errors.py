"""Baidu's error codes, from the spec's ``x-baidu-error-codes``.

Generated from openapi/baidu-ocr.yaml by scripts/render_tables.py. Do not edit: run ``nox -s generate``.
"""

import enum
from typing import Final, Literal, NamedTuple

__all__ = [
    "BACKOFF_CODES",
    "ERROR_CODES",
    "REFRESH_TOKEN_CODES",
    "RETRY_ONCE_CODES",
    "Category",
    "ErrorCode",
    "ErrorCodeInfo",
    "Retry",
]

Category = Literal[
    "quota",
    "rate_limit",
    "auth",
    "permission",
    "invalid_parameter",
    "image",
    "url",
    "server",
]
"""Which exception branch a client raises for a code."""
Retry = Literal["never", "backoff", "refresh_token", "once"]
"""never; backoff: bounded exponential backoff; refresh_token: new token, replay once; once: a single retry."""


class ErrorCodeInfo(NamedTuple):
    """One row of Baidu's error-code table."""

    code: int
    name: str
    """The ``ErrorCode`` member's name."""
    message: str
    """Baidu's ``error_msg``."""
    meaning: str
    """Baidu's explanation (Chinese)."""
    category: Category
    retry: Retry


class ErrorCode(enum.IntEnum):
    """Every documented error code, by the name of the spec's ``name`` column."""

    REQUEST_LIMIT_REACHED = 4
    """Open api request limit reached"""
    NO_PERMISSION = 6
    """No permission to access data"""
    IAM_CERTIFICATION_FAILED = 14
    """IAM Certification failed"""
    DAILY_LIMIT_REACHED = 17
    """Open api daily request limit reached"""
    QPS_LIMIT_REACHED = 18
    """Open api qps request limit reached"""
    TOTAL_LIMIT_REACHED = 19
    """Open api total request limit reached"""
    INVALID_PARAMETER = 100
    """Invalid parameter"""
    ACCESS_TOKEN_INVALID = 110
    """Access token invalid or no longer valid"""
    ACCESS_TOKEN_EXPIRED = 111
    """Access token expired"""
    INTERNAL_ERROR = 282000
    """internal error"""
    INVALID_PARAM = 216100
    """invalid param"""
    NOT_ENOUGH_PARAM = 216101
    """not enough param"""
    SERVICE_NOT_SUPPORT = 216102
    """service not support"""
    PARAM_TOO_LONG = 216103
    """param too long"""
    APPID_NOT_EXIST = 216110
    """appid not exist"""
    EMPTY_IMAGE = 216200
    """empty image"""
    IMAGE_FORMAT_ERROR = 216201
    """image format error"""
    IMAGE_SIZE_ERROR = 216202
    """image size error"""
    RECOGNIZE_ERROR = 216630
    """recognize error"""
    RECOGNIZE_BANK_CARD_ERROR = 216631
    """recognize bank card error"""
    RECOGNIZE_IDCARD_ERROR = 216633
    """recognize idcard error"""
    DETECT_ERROR = 216634
    """detect error"""
    MISSING_PARAMETERS = 282003
    """missing parameters: {参数名}"""
    BATCH_PROCESSING_ERROR = 282005
    """batch processing error"""
    BATCH_TASK_LIMIT_REACHED = 282006
    """batch task limit reached"""
    URL_NOT_EXIST = 282110
    """urls not exit"""
    URL_FORMAT_ILLEGAL = 282111
    """url format illegal"""
    URL_DOWNLOAD_TIMEOUT = 282112
    """url download timeout"""
    URL_RESPONSE_INVALID = 282113
    """url response invalid"""
    URL_SIZE_ERROR = 282114
    """url size error"""
    REQUEST_ID_NOT_EXIST = 282808
    """request id: xxxxx not exist"""
    RESULT_TYPE_ERROR = 282809
    """result type error"""
    IMAGE_RECOGNIZE_ERROR = 282810
    """image recognize error"""


ERROR_CODES: Final[dict[int, ErrorCodeInfo]] = {
    ErrorCode.REQUEST_LIMIT_REACHED: ErrorCodeInfo(
        4,
        "REQUEST_LIMIT_REACHED",
        "Open api request limit reached",
        "集群超限额",
        "rate_limit",
        "backoff",
    ),
    ErrorCode.NO_PERMISSION: ErrorCodeInfo(
        6,
        "NO_PERMISSION",
        "No permission to access data",
        "无权限访问该用户数据，创建应用时未勾选相关接口，请登录百度云控制台，找到对应的应用，编辑应用，勾选上相关接口，然后重试调用",
        "permission",
        "never",
    ),
    ErrorCode.IAM_CERTIFICATION_FAILED: ErrorCodeInfo(
        14,
        "IAM_CERTIFICATION_FAILED",
        "IAM Certification failed",
        "IAM鉴权失败，建议用户参照文档自查生成sign的方式是否正确，或换用控制台中ak sk的方式调用",
        "permission",
        "never",
    ),
    ErrorCode.DAILY_LIMIT_REACHED: ErrorCodeInfo(
        17,
        "DAILY_LIMIT_REACHED",
        "Open api daily request limit reached",
        "每天流量超限额",
        "quota",
        "never",
    ),
    ErrorCode.QPS_LIMIT_REACHED: ErrorCodeInfo(
        18,
        "QPS_LIMIT_REACHED",
        "Open api qps request limit reached",
        "QPS超限额",
        "rate_limit",
        "backoff",
    ),
    ErrorCode.TOTAL_LIMIT_REACHED: ErrorCodeInfo(
        19,
        "TOTAL_LIMIT_REACHED",
        "Open api total request limit reached",
        "请求总量超限额",
        "quota",
        "never",
    ),
    ErrorCode.INVALID_PARAMETER: ErrorCodeInfo(
        100,
        "INVALID_PARAMETER",
        "Invalid parameter",
        "无效参数",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.ACCESS_TOKEN_INVALID: ErrorCodeInfo(
        110,
        "ACCESS_TOKEN_INVALID",
        "Access token invalid or no longer valid",
        "Access Token失效",
        "auth",
        "refresh_token",
    ),
    ErrorCode.ACCESS_TOKEN_EXPIRED: ErrorCodeInfo(
        111,
        "ACCESS_TOKEN_EXPIRED",
        "Access token expired",
        "Access token过期",
        "auth",
        "refresh_token",
    ),
    ErrorCode.INTERNAL_ERROR: ErrorCodeInfo(
        282000,
        "INTERNAL_ERROR",
        "internal error",
        "服务器内部错误，如果您使用的是高精度接口，报这个错误码的原因可能是您上传的图片中文字过多，识别超时导致的，建议您对图片进行切割后再识别，其他情况请再次请求",
        "server",
        "backoff",
    ),
    ErrorCode.INVALID_PARAM: ErrorCodeInfo(
        216100,
        "INVALID_PARAM",
        "invalid param",
        "请求中包含非法参数，请检查后重新尝试",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.NOT_ENOUGH_PARAM: ErrorCodeInfo(
        216101,
        "NOT_ENOUGH_PARAM",
        "not enough param",
        "缺少必须的参数，请检查参数是否有遗漏",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.SERVICE_NOT_SUPPORT: ErrorCodeInfo(
        216102,
        "SERVICE_NOT_SUPPORT",
        "service not support",
        "请求了不支持的服务，请检查调用的url",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.PARAM_TOO_LONG: ErrorCodeInfo(
        216103,
        "PARAM_TOO_LONG",
        "param too long",
        "请求中某些参数过长，请检查后重新尝试",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.APPID_NOT_EXIST: ErrorCodeInfo(
        216110,
        "APPID_NOT_EXIST",
        "appid not exist",
        "appid不存在，请重新核对信息是否为后台应用列表中的appid",
        "auth",
        "never",
    ),
    ErrorCode.EMPTY_IMAGE: ErrorCodeInfo(
        216200,
        "EMPTY_IMAGE",
        "empty image",
        "图片为空，请检查后重新尝试",
        "image",
        "never",
    ),
    ErrorCode.IMAGE_FORMAT_ERROR: ErrorCodeInfo(
        216201,
        "IMAGE_FORMAT_ERROR",
        "image format error",
        "上传的图片格式错误，现阶段我们支持的图片格式为：PNG、JPG、JPEG、BMP，请进行转码或更换图片",
        "image",
        "never",
    ),
    ErrorCode.IMAGE_SIZE_ERROR: ErrorCodeInfo(
        216202,
        "IMAGE_SIZE_ERROR",
        "image size error",
        "上传的图片大小错误，现阶段我们支持的图片大小为：base64编码后小于4M，分辨率不高于4096*4096 px，请重新上传图片",
        "image",
        "never",
    ),
    ErrorCode.RECOGNIZE_ERROR: ErrorCodeInfo(
        216630,
        "RECOGNIZE_ERROR",
        "recognize error",
        "识别错误，请再次请求",
        "server",
        "backoff",
    ),
    ErrorCode.RECOGNIZE_BANK_CARD_ERROR: ErrorCodeInfo(
        216631,
        "RECOGNIZE_BANK_CARD_ERROR",
        "recognize bank card error",
        "识别银行卡错误，出现此问题的原因一般为：您上传的图片非银行卡正面，上传了异形卡的图片或上传的银行卡正品图片不完整",
        "image",
        "never",
    ),
    ErrorCode.RECOGNIZE_IDCARD_ERROR: ErrorCodeInfo(
        216633,
        "RECOGNIZE_IDCARD_ERROR",
        "recognize idcard error",
        "识别身份证错误，出现此问题的原因一般为：您上传了非身份证图片或您上传的身份证图片不完整",
        "image",
        "never",
    ),
    ErrorCode.DETECT_ERROR: ErrorCodeInfo(
        216634,
        "DETECT_ERROR",
        "detect error",
        "检测错误，请再次请求",
        "server",
        "backoff",
    ),
    ErrorCode.MISSING_PARAMETERS: ErrorCodeInfo(
        282003,
        "MISSING_PARAMETERS",
        "missing parameters: {参数名}",
        "请求参数缺失",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.BATCH_PROCESSING_ERROR: ErrorCodeInfo(
        282005,
        "BATCH_PROCESSING_ERROR",
        "batch processing error",
        "处理批量任务时发生部分或全部错误，请根据具体错误码排查",
        "server",
        "never",
    ),
    ErrorCode.BATCH_TASK_LIMIT_REACHED: ErrorCodeInfo(
        282006,
        "BATCH_TASK_LIMIT_REACHED",
        "batch task limit reached",
        "批量任务处理数量超出限制，请将任务数量减少到10或10以下",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.URL_NOT_EXIST: ErrorCodeInfo(
        282110,
        "URL_NOT_EXIST",
        "urls not exit",
        "URL参数不存在，请核对URL后再次提交",
        "url",
        "never",
    ),
    ErrorCode.URL_FORMAT_ILLEGAL: ErrorCodeInfo(
        282111,
        "URL_FORMAT_ILLEGAL",
        "url format illegal",
        "URL格式非法，请检查url格式是否符合相应接口的入参要求",
        "url",
        "never",
    ),
    ErrorCode.URL_DOWNLOAD_TIMEOUT: ErrorCodeInfo(
        282112,
        "URL_DOWNLOAD_TIMEOUT",
        "url download timeout",
        "url下载超时，请检查url对应的图床/图片无法下载或链路状况不好，您可以重新尝试以下，如果多次尝试后仍不行，建议更换图片地址",
        "url",
        "once",
    ),
    ErrorCode.URL_RESPONSE_INVALID: ErrorCodeInfo(
        282113,
        "URL_RESPONSE_INVALID",
        "url response invalid",
        "URL返回无效参数",
        "url",
        "never",
    ),
    ErrorCode.URL_SIZE_ERROR: ErrorCodeInfo(
        282114,
        "URL_SIZE_ERROR",
        "url size error",
        "URL长度超过1024字节或为0",
        "url",
        "never",
    ),
    ErrorCode.REQUEST_ID_NOT_EXIST: ErrorCodeInfo(
        282808,
        "REQUEST_ID_NOT_EXIST",
        "request id: xxxxx not exist",
        "request id xxxxx 不存在",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.RESULT_TYPE_ERROR: ErrorCodeInfo(
        282809,
        "RESULT_TYPE_ERROR",
        "result type error",
        "返回结果请求错误（不属于excel或json）",
        "invalid_parameter",
        "never",
    ),
    ErrorCode.IMAGE_RECOGNIZE_ERROR: ErrorCodeInfo(
        282810,
        "IMAGE_RECOGNIZE_ERROR",
        "image recognize error",
        "图像识别错误",
        "server",
        "backoff",
    ),
}
"""Every documented error code, by code."""

REFRESH_TOKEN_CODES: Final[frozenset[int]] = frozenset(
    {ErrorCode.ACCESS_TOKEN_INVALID, ErrorCode.ACCESS_TOKEN_EXPIRED}
)
"""The codes whose ``retry`` is ``refresh_token``: drop the token, fetch a new one, replay the request once."""

BACKOFF_CODES: Final[frozenset[int]] = frozenset(
    {
        ErrorCode.REQUEST_LIMIT_REACHED,
        ErrorCode.QPS_LIMIT_REACHED,
        ErrorCode.INTERNAL_ERROR,
        ErrorCode.RECOGNIZE_ERROR,
        ErrorCode.DETECT_ERROR,
        ErrorCode.IMAGE_RECOGNIZE_ERROR,
    }
)
"""The codes whose ``retry`` is ``backoff``: retry with bounded exponential backoff and jitter."""

RETRY_ONCE_CODES: Final[frozenset[int]] = frozenset({ErrorCode.URL_DOWNLOAD_TIMEOUT})
"""The codes whose ``retry`` is ``once``: may be retried a single time."""
