from enum import StrEnum


class AccurateLanguageType(StrEnum):
    ARA = "ARA"
    AUTO_DETECT = "auto_detect"
    CHN_ENG = "CHN_ENG"
    DAN = "DAN"
    DUT = "DUT"
    ENG = "ENG"
    FRE = "FRE"
    GER = "GER"
    GRE = "GRE"
    HIN = "HIN"
    HUN = "HUN"
    IND = "IND"
    ITA = "ITA"
    JAP = "JAP"
    KOR = "KOR"
    MAL = "MAL"
    POL = "POL"
    POR = "POR"
    ROM = "ROM"
    RUS = "RUS"
    SPA = "SPA"
    SWE = "SWE"
    THA = "THA"
    TUR = "TUR"
    VIE = "VIE"

    def __str__(self) -> str:
        return str(self.value)
