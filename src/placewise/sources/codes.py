"""Statutory code lists (from ../shared/reference/children-data-standards.md)."""

REFERRAL_SOURCE = ("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
                   "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10")
PRIMARY_NEED = tuple(f"N{i}" for i in range(10))
REASON_FOR_CLOSURE = tuple(f"RC{i}" for i in range(1, 10))
CATEGORY_OF_ABUSE = ("NEG", "PHY", "SAB", "EMO", "MUL")
# Annex A writes categories of abuse as words.
CATEGORY_OF_ABUSE_WORDS = {"NEGLECT": "NEG", "PHYSICAL": "PHY", "SEXUAL": "SAB",
                           "EMOTIONAL": "EMO", "MULTIPLE": "MUL"}
LEGAL_STATUS = ("C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3")
CATEGORY_OF_NEED = tuple(f"N{i}" for i in range(1, 9))
PLACEMENT_TYPE = ("A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3",
                  "R5", "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1")
PLACEMENT_PROVIDER = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
REASON_NEW_EPISODE = ("S", "L", "P", "T", "B", "U")
REASON_EPISODE_CEASED = ("X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46",
                         "E47", "E48", "E5", "E6", "E7", "E9", "E14", "E15", "E16", "E17", "E8")
ETHNICITY = ("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
             "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")
REVIEW_CODE = tuple(f"PN{i}" for i in range(8))
MISSING_TYPE = ("M", "A")
IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
SW_REASON = ("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN",
             "SWDIED", "OTHERS")
