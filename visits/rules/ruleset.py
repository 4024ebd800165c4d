"""The visit schedule's timescales: every interval it uses, as rules an administrator
may change (``duties.timescales``), with the figures of timescales.md as defaults."""

from __future__ import annotations

from dataclasses import dataclass

from duties.rules import rule
from reviews.rules import ReviewRules

#: The provision kinds whose place in the purposeful visiting schedule (TS §2) is an
#: authority setting (``RuleSet.purposeful_includes_<kind>``). Unregistered placements
#: have their own schedule (TS §3), always due.
PURPOSEFUL_SETTING_KINDS: tuple[str, ...] = (
    "regulated",
    "in_house_fostering",
    "ifa_fostering",
    "other",
)


@dataclass(frozen=True)
class RuleSet(ReviewRules):
    """Every interval the visit schedule uses, as data an administrator can change.

    Each field's ``metadata`` holds its help text and source line (see
    :meth:`field_help`); the defaults are the values of timescales.md. The LAC review's
    timescales are inherited (``reviews.rules.ReviewRules``): IRO visits are due before
    reviews, and some statutory visits change with the first review.
    """

    # TS §1 statutory visits (reg. 28; 003 appendix)
    statutory_first_visit_days: int = rule(
        7,
        "Days from the start of a placement (or of the order or arrangement) by which the "
        "first statutory visit is due ('within 1 week').",
        "TS §1 all rows, 'first visit' column; 003 appendix",
    )
    placement_first_year_months: int = rule(
        12,
        "Length in calendar months of 'the first year of the placement'.",
        "TS §1 'at least every 6 weeks in the first year of the placement'",
    )
    statutory_interval_first_year_days: int = rule(
        42,
        "Days between statutory visits in the first year of any placement ('every 6 weeks').",
        "TS §1 row 'any looked-after child, any placement'",
    )
    statutory_interval_after_first_year_days: int = rule(
        42,
        "Days between statutory visits after the first year, unless the placement is agreed "
        "as permanent ('any other placement stays 6-weekly').",
        "TS §1 row 'placement agreed as permanent': '(any other placement stays 6-weekly…)'",
    )
    statutory_interval_permanent_after_first_year_months: int = rule(
        3,
        "Months between statutory visits after the first year of a placement agreed as "
        "permanent / intended to last until 18.",
        "TS §1 row 'placement agreed as permanent'; 003 appendix",
    )
    connected_person_weekly_days: int = rule(
        7,
        "Days between statutory visits to a connected person with temporary approval (reg. 24) "
        "until the first LAC review ('at least weekly').",
        "TS §1 row 'connected person with temporary approval'; 003 11.13",
    )
    connected_person_after_first_review_days: int = rule(
        28,
        "Days between statutory visits to a connected person with temporary approval after "
        "the first LAC review ('every 4 weeks').",
        "TS §1 row 'connected person with temporary approval'; 003 11.13",
    )
    ico_placement_with_parent_weekly_days: int = rule(
        7,
        "Days between statutory visits, interim care order placed with parent, until the "
        "first LAC review.",
        "TS §1 row 'interim care order, placed with parent'; 003 appendix",
    )
    ico_placement_with_parent_after_first_review_days: int = rule(
        28,
        "Days between statutory visits, interim care order placed with parent, after the "
        "first LAC review ('every 4 weeks').",
        "TS §1 row 'interim care order, placed with parent'; 003 appendix",
    )
    placement_with_parent_weekly_days: int = rule(
        7,
        "Days between statutory visits, placed with a parent before the parent's assessment "
        "is complete (reg. 19), until the first LAC review.",
        "TS §1 row 'placed with a parent before the parent's assessment is complete'",
    )
    placement_with_parent_after_first_review_days: int = rule(
        42,
        "Days between statutory visits, placed with a parent before assessment (reg. 19), "
        "after the first LAC review ('every 6 weeks').",
        "TS §1 row 'placed with a parent before the parent's assessment is complete'",
    )
    care_order_with_parent_after_first_year_months: int = rule(
        3,
        "Months between statutory visits after the first year, full care order made while "
        "the child was living with a parent (6-weekly before).",
        "TS §1 row 'full care order, living with parent when the order was made'",
    )
    custody_after_first_year_months: int = rule(
        3,
        "Months between statutory visits after the first year where another body decides "
        "where the child lives (custody, detention); 6-weekly before.",
        "TS §1 row 'care order, but another body decides where the child lives'; 003 appendix",
    )
    adoption_weekly_days: int = rule(
        7,
        "Days between statutory visits to a child placed for adoption until the first review "
        "(and after it, until a review decides a frequency).",
        "TS §1 row 'placed for adoption'; AAR 2005 reg. 36; 003 appendix",
    )
    ofsted_notice_visit_days: int = rule(
        7,
        "Days from an Ofsted notice (cancellation, proceedings, barred admissions) for a "
        "children's home by which every child placed there is visited.",
        "TS §1 row 'Ofsted notice of cancellation of registration'; 003 appendix",
    )
    short_breaks_first_visit_months: int = rule(
        3,
        "Months from the start of the first short-break placement (legal status V3/V4, "
        "reg. 48) by which the first statutory visit is due.",
        "TS §1 short breaks row; 003 appendix 'Short Breaks' (line 2029): '1st visit: within "
        "3 months of the start of the 1st placement'",
    )
    short_breaks_interval_months: int = rule(
        3,
        "Months between statutory visits to a child on a series of short breaks, unless a "
        "frequency agreed with the IRO and the parents is recorded (the child's own schedule).",
        "TS §1 short breaks row; 003 appendix 'Short Breaks' (lines 2039-2040): "
        "'Subsequently: every 3 months. Frequency of visits must be agreed with the IRO and "
        "the child's parents'",
    )
    placement_day_visit_days: int = rule(
        0,
        "Days from the start of a placement within which the social worker sees the child "
        "(0 = on the day they were placed).",
        "TS §1 local standards; 003 10.2 (line 897): 'I have arranged to see the child/young "
        "person on the day they were placed'",
        minimum=0,
    )
    bedroom_seen_weeks: int = rule(
        12,
        "Weeks within which the social worker sees the child's bedroom again.",
        "TS §1 local standards; 003 10.10 (line 923): 'I have ensured I have seen the "
        "child/young person's bedroom when I visit at least every 12 weeks'",
    )
    # TS §2 purposeful visits to regulated placements (000)
    purposeful_sw_interval_weeks: int = rule(
        12,
        "Weeks between the social worker's purposeful visits to a regulated placement.",
        "TS §2 social worker: 'then within every 12 weeks'; 000 regulated placements table",
    )
    purposeful_sw_permanent_interval_months: int = rule(
        3,
        "Months between the social worker's purposeful visits where the care plan is permanence.",
        "TS §2 social worker: '3-monthly where the care plan is permanence'",
    )
    # TS §2: which kinds of placement the purposeful visiting schedule (000) covers, an
    # authority setting (1 = included, 0 = not). 000 heads its table "Visiting timescales
    # for ALL regulated placements (not in-house or IFAs)" (line 97); its text above says
    # "MANDATORY for regulated placements with the exeption of in-house foster placements"
    # (line 92). The defaults follow the table's heading: IFAs are excluded.
    purposeful_includes_regulated: int = rule(
        1,
        "1 if the social worker's and the IRO's purposeful visits (TS §2) are due for a "
        "registered children's home, residential special school, secure children's home, "
        "supported or semi-independent accommodation or parent-and-child placement; 0 if not.",
        "TS §2; 000 'Visiting timescales for ALL regulated placements (not in-house or IFAs)' "
        "(line 97)",
        minimum=0,
    )
    purposeful_includes_in_house_fostering: int = rule(
        0,
        "1 if the purposeful visits (TS §2) are due for in-house foster placements; 0 if not.",
        "TS §2; 000 line 92: 'MANDATORY for regulated placements with the exeption of "
        "in-house foster placements'; line 97 '(not in-house or IFAs)'",
        minimum=0,
    )
    purposeful_includes_ifa_fostering: int = rule(
        0,
        "1 if the purposeful visits (TS §2) are due for placements with an independent "
        "fostering agency; 0 if not.",
        "TS §2; 000 line 97: 'Visiting timescales for ALL regulated placements (not in-house "
        "or IFAs)' (line 92 excepts only in-house foster placements)",
        minimum=0,
    )
    purposeful_includes_other: int = rule(
        0,
        "1 if the purposeful visits (TS §2) are due for a setting of another type (shared "
        "lives, staying put, supported living, other); 0 if not.",
        "TS §2; 000 line 97: the schedule is for regulated placements",
        minimum=0,
    )
    iro_visits_per_year: int = rule(
        2,
        "IRO visits a year after the second LAC review (2 = every 6 months from the last "
        "IRO visit).",
        "TS §2 IRO: 'then at least 2 visits a year throughout the placement'",
    )
    # TS §3 unregistered placements (000)
    unregistered_within_hours: int = rule(
        24,
        "Hours from the start of an unregistered placement by which the social worker visits.",
        "TS §3 social worker: 'within 24 hours of it'; 000 'Visiting timescales for "
        "unregistered placements' (seed line 168): 'Within 24 hours of placement', from the "
        "start time (the end of the start day if none is recorded)",
    )
    unregistered_twice_weekly_months: int = rule(
        3,
        "Months from the start of an unregistered placement during which visits are twice weekly.",
        "TS §3 social worker: 'twice weekly for the first 3 months'",
    )
    unregistered_visits_per_week: int = rule(
        2,
        "Visits needed in each Monday-Sunday week during the twice-weekly period.",
        "TS §3 social worker: 'twice weekly'; TS Conventions 'twice weekly'",
    )
    unregistered_min_in_person: int = rule(
        1,
        "Of the weekly visits, how many must be in person ('one of the two may be virtual').",
        "TS §3 social worker: '(one of the two may be virtual)'",
        minimum=0,
    )
    commissioning_visit_days: int = rule(
        10,
        "Days from the start of an unregistered placement by which CIC commissioning visits.",
        "TS §3 CIC commissioning: 'within 10 days of placement'",
    )
    service_manager_visit_months: int = rule(
        1,
        "Months from the start of an unregistered placement by which the service manager "
        "visits the child.",
        "TS §3 service manager: 'visits the child within 1 month of placement'",
    )
    iro_unregistered_concern_days: int = rule(
        14,
        "Days from the start of an unregistered placement by which the IRO visits where "
        "there are concerns.",
        "TS §3 IRO: 'within 2 weeks of placement where there are concerns'; 000 'Visiting "
        "timescales for unregistered placements' (seed line 195): 'If concerns - within 2 "
        "weeks' (concerns recorded on the placement)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        for kind in PURPOSEFUL_SETTING_KINDS:
            if getattr(self, f"purposeful_includes_{kind}") not in (0, 1):
                raise ValueError(f"purposeful_includes_{kind} must be 0 (not included) or 1")
        if self.unregistered_min_in_person > self.unregistered_visits_per_week:
            raise ValueError("unregistered_min_in_person exceeds unregistered_visits_per_week")

    def in_purposeful_schedule(self, provision_kind: str) -> bool:
        """Whether TS §2's purposeful visits (social worker and IRO) are due for this kind
        of placement, as the authority set it."""
        if provision_kind not in PURPOSEFUL_SETTING_KINDS:
            return False
        return getattr(self, f"purposeful_includes_{provision_kind}") == 1
