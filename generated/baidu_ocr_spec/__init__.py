"""Tables generated from openapi/baidu-ocr.yaml. Do not edit: run ``nox -s generate``.

``ERROR_CODES`` comes from ``x-baidu-error-codes``; ``LIMITS`` from each OCR operation's ``x-baidu-limits``,
its request schema's ``language_type`` enum and its form fields.
"""

from typing import Final, Literal, NamedTuple

__all__ = ["ERROR_CODES", "LIMITS", "Category", "EndpointLimits", "ErrorCode", "Retry"]

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


class ErrorCode(NamedTuple):
    """One row of Baidu's error-code table."""

    code: int
    message: str
    meaning: str
    category: Category
    retry: Retry


class EndpointLimits(NamedTuple):
    """What one OCR endpoint accepts."""

    path: str
    max_encoded_bytes: int
    min_side_px: int
    max_side_px: int
    max_url_bytes: int
    image_formats: tuple[str, ...]
    language_types: tuple[str, ...]
    form_fields: tuple[str, ...]


ERROR_CODES: Final[dict[int, ErrorCode]] = {
    4: ErrorCode(
        4, "Open api request limit reached", "集群超限额", "rate_limit", "backoff"
    ),
    6: ErrorCode(
        6,
        "No permission to access data",
        "无权限访问该用户数据，创建应用时未勾选相关接口，请登录百度云控制台，找到对应的应用，编辑应用，勾选上相关接口，然后重试调用",
        "permission",
        "never",
    ),
    14: ErrorCode(
        14,
        "IAM Certification failed",
        "IAM鉴权失败，建议用户参照文档自查生成sign的方式是否正确，或换用控制台中ak sk的方式调用",
        "permission",
        "never",
    ),
    17: ErrorCode(
        17, "Open api daily request limit reached", "每天流量超限额", "quota", "never"
    ),
    18: ErrorCode(
        18, "Open api qps request limit reached", "QPS超限额", "rate_limit", "backoff"
    ),
    19: ErrorCode(
        19, "Open api total request limit reached", "请求总量超限额", "quota", "never"
    ),
    100: ErrorCode(100, "Invalid parameter", "无效参数", "invalid_parameter", "never"),
    110: ErrorCode(
        110,
        "Access token invalid or no longer valid",
        "Access Token失效",
        "auth",
        "refresh_token",
    ),
    111: ErrorCode(
        111, "Access token expired", "Access token过期", "auth", "refresh_token"
    ),
    282000: ErrorCode(
        282000,
        "internal error",
        "服务器内部错误，如果您使用的是高精度接口，报这个错误码的原因可能是您上传的图片中文字过多，识别超时导致的，建议您对图片进行切割后再识别，其他情况请再次请求",
        "server",
        "backoff",
    ),
    216100: ErrorCode(
        216100,
        "invalid param",
        "请求中包含非法参数，请检查后重新尝试",
        "invalid_parameter",
        "never",
    ),
    216101: ErrorCode(
        216101,
        "not enough param",
        "缺少必须的参数，请检查参数是否有遗漏",
        "invalid_parameter",
        "never",
    ),
    216102: ErrorCode(
        216102,
        "service not support",
        "请求了不支持的服务，请检查调用的url",
        "invalid_parameter",
        "never",
    ),
    216103: ErrorCode(
        216103,
        "param too long",
        "请求中某些参数过长，请检查后重新尝试",
        "invalid_parameter",
        "never",
    ),
    216110: ErrorCode(
        216110,
        "appid not exist",
        "appid不存在，请重新核对信息是否为后台应用列表中的appid",
        "auth",
        "never",
    ),
    216200: ErrorCode(
        216200, "empty image", "图片为空，请检查后重新尝试", "image", "never"
    ),
    216201: ErrorCode(
        216201,
        "image format error",
        "上传的图片格式错误，现阶段我们支持的图片格式为：PNG、JPG、JPEG、BMP，请进行转码或更换图片",
        "image",
        "never",
    ),
    216202: ErrorCode(
        216202,
        "image size error",
        "上传的图片大小错误，现阶段我们支持的图片大小为：base64编码后小于4M，分辨率不高于4096*4096 px，请重新上传图片",
        "image",
        "never",
    ),
    216630: ErrorCode(
        216630, "recognize error", "识别错误，请再次请求", "server", "backoff"
    ),
    216631: ErrorCode(
        216631,
        "recognize bank card error",
        "识别银行卡错误，出现此问题的原因一般为：您上传的图片非银行卡正面，上传了异形卡的图片或上传的银行卡正品图片不完整",
        "image",
        "never",
    ),
    216633: ErrorCode(
        216633,
        "recognize idcard error",
        "识别身份证错误，出现此问题的原因一般为：您上传了非身份证图片或您上传的身份证图片不完整",
        "image",
        "never",
    ),
    216634: ErrorCode(
        216634, "detect error", "检测错误，请再次请求", "server", "backoff"
    ),
    282003: ErrorCode(
        282003,
        "missing parameters: {参数名}",
        "请求参数缺失",
        "invalid_parameter",
        "never",
    ),
    282005: ErrorCode(
        282005,
        "batch processing error",
        "处理批量任务时发生部分或全部错误，请根据具体错误码排查",
        "server",
        "never",
    ),
    282006: ErrorCode(
        282006,
        "batch task limit reached",
        "批量任务处理数量超出限制，请将任务数量减少到10或10以下",
        "invalid_parameter",
        "never",
    ),
    282110: ErrorCode(
        282110, "urls not exit", "URL参数不存在，请核对URL后再次提交", "url", "never"
    ),
    282111: ErrorCode(
        282111,
        "url format illegal",
        "URL格式非法，请检查url格式是否符合相应接口的入参要求",
        "url",
        "never",
    ),
    282112: ErrorCode(
        282112,
        "url download timeout",
        "url下载超时，请检查url对应的图床/图片无法下载或链路状况不好，您可以重新尝试以下，如果多次尝试后仍不行，建议更换图片地址",
        "url",
        "once",
    ),
    282113: ErrorCode(
        282113, "url response invalid", "URL返回无效参数", "url", "never"
    ),
    282114: ErrorCode(
        282114, "url size error", "URL长度超过1024字节或为0", "url", "never"
    ),
    282808: ErrorCode(
        282808,
        "request id: xxxxx not exist",
        "request id xxxxx 不存在",
        "invalid_parameter",
        "never",
    ),
    282809: ErrorCode(
        282809,
        "result type error",
        "返回结果请求错误（不属于excel或json）",
        "invalid_parameter",
        "never",
    ),
    282810: ErrorCode(
        282810, "image recognize error", "图像识别错误", "server", "backoff"
    ),
}
"""Every documented error code, by code."""

LIMITS: Final[dict[str, EndpointLimits]] = {
    "general_basic": EndpointLimits(
        "/rest/2.0/ocr/v1/general_basic",
        4194304,
        15,
        4096,
        1024,
        ("jpeg", "png", "bmp"),
        ("CHN_ENG", "ENG", "JAP", "KOR", "FRE", "SPA", "POR", "GER", "ITA", "RUS"),
        (
            "image",
            "url",
            "pdf_file",
            "pdf_file_num",
            "language_type",
            "detect_direction",
            "detect_language",
            "paragraph",
            "probability",
        ),
    ),
    "accurate_basic": EndpointLimits(
        "/rest/2.0/ocr/v1/accurate_basic",
        10485760,
        15,
        8192,
        1024,
        ("jpeg", "png", "bmp"),
        (
            "auto_detect",
            "CHN_ENG",
            "ENG",
            "JAP",
            "KOR",
            "FRE",
            "SPA",
            "POR",
            "GER",
            "ITA",
            "RUS",
            "DAN",
            "DUT",
            "MAL",
            "SWE",
            "IND",
            "POL",
            "ROM",
            "TUR",
            "GRE",
            "HUN",
            "THA",
            "VIE",
            "ARA",
            "HIN",
        ),
        (
            "image",
            "url",
            "pdf_file",
            "pdf_file_num",
            "language_type",
            "detect_direction",
            "paragraph",
            "probability",
        ),
    ),
}
"""Per OCR operation id (``general_basic``, ``accurate_basic``)."""
