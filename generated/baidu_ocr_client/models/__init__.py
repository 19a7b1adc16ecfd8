"""Contains all the data models used in inputs/outputs"""

from .accurate_basic_request import AccurateBasicRequest
from .accurate_language_type import AccurateLanguageType
from .general_basic_request import GeneralBasicRequest
from .general_language_type import GeneralLanguageType
from .grant_type import GrantType
from .o_auth_error import OAuthError
from .ocr_error import OcrError
from .ocr_result import OcrResult
from .paragraph_result import ParagraphResult
from .probability import Probability
from .token_request import TokenRequest
from .token_response import TokenResponse
from .words_result import WordsResult

__all__ = (
    "AccurateBasicRequest",
    "AccurateLanguageType",
    "GeneralBasicRequest",
    "GeneralLanguageType",
    "GrantType",
    "OAuthError",
    "OcrError",
    "OcrResult",
    "ParagraphResult",
    "Probability",
    "TokenRequest",
    "TokenResponse",
    "WordsResult",
)
