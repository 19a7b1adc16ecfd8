from enum import StrEnum


class GeneralLanguageType(StrEnum):
    CHN_ENG = "CHN_ENG"
    ENG = "ENG"
    FRE = "FRE"
    GER = "GER"
    ITA = "ITA"
    JAP = "JAP"
    KOR = "KOR"
    POR = "POR"
    RUS = "RUS"
    SPA = "SPA"

    def __str__(self) -> str:
        return str(self.value)
