"""SSDA903 code lists by collection year.

Transcribed from the DfE's 903 guidance as the DfE's own validator
(csc-validator-be-903) checks them. A collection year is named by the year it
starts: 2025 is 1 April 2025 to 31 March 2026. Codes are checked against the
year in which the episode started (DECOM).
"""

from datetime import date

LS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order granted",
    "E1": "Placement order granted",
    "J1": "Remanded to local authority accommodation or to youth detention accommodation",
    "J2": "Placed in local authority accommodation under PACE",
    "J3": "Sentenced to a youth rehabilitation order with residence or fostering requirement",
    "L1": "Under police protection and in local authority accommodation",
    "L2": "Emergency protection order",
    "L3": "Under child assessment order and in local authority accommodation",
    "V2": "Single period of accommodation under section 20",
    "V3": "Agreed series of short-term breaks, individual episodes recorded",
    "V4": "Agreed series of short-term breaks, agreements recorded",
}

RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement only, same carer(s)",
    "B": "Change of placement and carer(s) only",
    "T": "Change of legal status and placement, same carer(s)",
    "U": "Change of legal status, placement and carer(s)",
}

CIN = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}

_PLACE_COMMON = {
    "A3": "Placed for adoption with consent with current foster carer(s)",
    "A4": "Placed for adoption with consent not with current foster carer(s)",
    "A5": "Placed for adoption with placement order with current foster carer(s)",
    "A6": "Placed for adoption with placement order not with current foster carer(s)",
    "K1": "Secure children's home",
    "K2": "Children's home subject to the Children's Homes Regulations",
    "K3": "Supported accommodation registered with Ofsted",
    "P1": "Placed with own parent(s) or other person(s) with parental responsibility",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS or health trust establishment providing medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution or prison",
    "S1": "Residential school, except where dual-registered as a children's home",
    "T0": "Temporary move: all types",
    "T1": "Temporary period in hospital",
    "T2": "Temporary absence of the child on holiday",
    "T3": "Temporary accommodation while the usual foster carer(s) are on holiday",
    "T4": "Temporary accommodation of seven days or less not covered by T1 to T3",
    "U1": "Foster placement with relative(s) or friend(s): long-term fostering",
    "U2": "Foster placement with relative(s) or friend(s) who are approved adopters: FFA or concurrent planning",
    "U3": "Foster placement with relative(s) or friend(s): not long-term, FFA or concurrent",
    "U4": "Foster placement with other foster carer(s): long-term fostering",
    "U5": "Foster placement with other foster carer(s) who are approved adopters: FFA or concurrent planning",
    "U6": "Foster placement with other foster carer(s): not long-term, FFA or concurrent",
}

PLACE = {
    2024: {
        **_PLACE_COMMON,
        "H5": "Semi-independent living accommodation not subject to the Children's Homes Regulations",
        "P2": "Independent living, for example flat, lodgings, bedsit or with friends",
        "Z1": "Other placements",
    },
    2025: {
        **_PLACE_COMMON,
        "Z11": "Other placements (DfE code Z11)",
        "Z12": "Other placements (DfE code Z12)",
        "Z13": "Other placements (DfE code Z13)",
        "Z14": "Other placements (DfE code Z14)",
    },
}

PLACE_PROVIDER = {
    "PR0": "Parent(s) or other person(s) with parental responsibility",
    "PR1": "Own provision (by the local authority)",
    "PR2": "Other local authority provision",
    "PR3": "Other public provision (for example a primary care trust)",
    "PR4": "Private provision",
    "PR5": "Voluntary or third sector provision",
}

REC = {
    "E11": "Adopted: application for an adoption order unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E13": "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment determined the child is 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 (or over) and remained with current carers (staying put)",
    "E2": "Died",
    "E3": "Care taken over by another local authority in the UK",
    "E41": "Residence order (or child arrangements order) granted",
    "E45": "Special guardianship order made to former foster carer(s), who were relatives or friends",
    "E46": "Special guardianship order made to former foster carer(s), other than relatives or friends",
    "E47": "Special guardianship order made to carer(s), other than former foster carer(s), who were relatives or friends",
    "E48": "Special guardianship order made to carer(s), other than former foster carer(s), other than relatives or friends",
    "E4A": "Returned home to live with parent(s) or others with parental responsibility, as part of the care planning process",
    "E4B": "Returned home to live with parent(s) or others with parental responsibility, not as part of the care planning process",
    "E5": "Moved into independent living arrangement and no longer looked after: supportive accommodation",
    "E6": "Moved into independent living arrangement and no longer looked after",
    "E7": "Transferred to residential care funded by adult social care",
    "E8": "Period of being looked after ceased for any other reason",
    "E9": "Sentenced to custody",
    "X1": "Episode ceases, and new episode begins on the same day, for any reason",
}

REASON_PLACE_CHANGE = {
    "CARPL": "Change to or implementation of care plan",
    "CLOSE": "Resignation or closure of provision",
    "ALLEG": "Allegation (section 47)",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer request due to child's behaviour",
    "CREQO": "Carer request for other reasons",
    "CHILD": "Child requests placement end",
    "LAREQ": "Responsible or area authority requests placement end",
    "PLACE": "Change in the status of the placement only",
    "CUSTOD": "Custody arrangement",
    "OTHER": "Other",
}

# DfE, SSDA903 children looked after return guidance, REVIEW_CODE ("participation of the
# child in the review"): the descriptions word for word.
REVIEW_CODE = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child physically attends and speaks for him or herself",
    "PN2": "Child physically attends and an advocate speaks on his or her behalf",
    "PN3": "Child attends and conveys his or her view symbolically (non-verbally)",
    "PN4": "Child physically attends but does not speak for him or herself, does not convey "
    "his or her view symbolically (non-verbally) and does not ask an advocate to speak for "
    "him or her",
    "PN5": "Child does not attend physically but briefs an advocate to speak for him or her",
    "PN6": "Child does not attend but conveys his or her feelings to the review by a "
    "facilitative medium",
    "PN7": "Child does not attend nor are his or her views conveyed to the review",
}

ETHNIC = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy or Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

SEX = {"1": "Male", "2": "Female"}

# PLACE codes that record a placement agreed as permanent / intended to last
# until 18 (long-term fostering): timescales.md §1.
PERMANENT_PLACE_CODES = frozenset({"U1", "U4"})
SHORT_BREAK_LS = frozenset({"V3", "V4"})
# "Other placements": since the 2023 ban, the 903 codes an unregistered children's home
# or supported accommodation so (used when an episode has no setting recorded).
UNREGISTERED_PLACE_CODES = frozenset({"Z1", "Z11", "Z12", "Z13", "Z14"})

EARLIEST_YEAR = min(PLACE)
LATEST_YEAR = max(PLACE)


def collection_year(day: date) -> int:
    """The collection year (named by its starting year) that a date falls in: 1 April to 31 March."""
    return day.year if day.month >= 4 else day.year - 1


def place_codes(year: int) -> dict[str, str]:
    """PLACE codes in force for a collection year; years outside the lists use the nearest."""
    return PLACE[min(max(year, EARLIEST_YEAR), LATEST_YEAR)]


def lists_for(year: int) -> dict[str, dict[str, str]]:
    """Every code list of an episode, for the collection year given."""
    return {
        "RNE": RNE,
        "LS": LS,
        "CIN": CIN,
        "PLACE": place_codes(year),
        "PLACE_PROVIDER": PLACE_PROVIDER,
        "REC": REC,
        "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE,
    }


def invalid_codes(values: dict[str, str], day: date) -> dict[str, str]:
    """{field: message} for every code in `values` not valid in the collection year of `day`."""
    year = collection_year(day)
    lists = lists_for(year)
    errors = {}
    for field, value in values.items():
        if not value or field not in lists:
            continue
        if value not in lists[field]:
            errors[field] = (
                f"'{value}' is not a {field} code in the {year}-{str(year + 1)[-2:]} "
                "collection year."
            )
    return errors
