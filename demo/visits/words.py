"""The sentences the demo visit forms are filled with, by the child's age (YOUNG,
CHILD, TEEN) and the kind of placement (FOSTERING, REGULATED, UNREGISTERED), and how
they are drawn (_say)."""

from __future__ import annotations

import random
from collections.abc import Sequence

# Short sentences, combined at random. No names: "the carers", "staff", "the key worker".
# {carers}/{Carers} and {home} are filled in for the kind of placement (see WHERE).

YOUNG, CHILD, TEEN = "young", "child", "teen"
FOSTERING, REGULATED, UNREGISTERED = "fostering", "regulated", "unregistered"
WHERE = {
    FOSTERING: {"carers": "the carers", "Carers": "The carers", "home": "home"},
    REGULATED: {"carers": "staff", "Carers": "Staff", "home": "home"},
    UNREGISTERED: {"carers": "support staff", "Carers": "Support staff", "home": "flat"},
}

COMMUNICATION = {
    YOUNG: [
        "Too young to talk about the visit; communicates through play, babbling and gestures.",
        "{Carers} read cues well and respond quickly to crying and smiles.",
        "Uses a few words and points to what is wanted; {carers} use simple language.",
        "Responds to familiar songs and routines; settles quickly when comforted.",
    ],
    CHILD: [
        "Chats easily with {carers} and likes to show drawings.",
        "Prefers talking while doing an activity rather than sitting face to face.",
        "Uses a feelings chart with {carers} at bedtime; this works well.",
        "Can be quiet with new adults but warms up after a few minutes.",
        "Speech and language plan is followed at {home} and at school.",
    ],
    TEEN: [
        "Prefers to message the social worker between visits; replies within a day or two.",
        "Talks openly when out of the house, for example on a walk or in the car.",
        "{Carers} use short, direct conversations; this works better than formal meetings.",
        "English is improving quickly; an interpreter was offered and not needed today.",
        "Sometimes withdrawn after contact; {carers} give space and check in later.",
    ],
}
ISSUES = {
    YOUNG: [
        "Routines at {home}, sleep and feeding.",
        "Health visitor appointments and immunisations, which are up to date.",
        "Family time arrangements and how the baby settles afterwards.",
        "Nursery place and the settling-in sessions.",
        "Developmental checks and speech.",
        "Carers' support needs and respite.",
    ],
    CHILD: [
        "School, friendships and homework.",
        "Family time and how it has gone since the last visit.",
        "Clubs and activities after school.",
        "Bedtime routines and screen time.",
        "Life story work and questions about why they are in care.",
        "Health and dental appointments.",
        "Pocket money and savings.",
        "Worries about moving school next year.",
    ],
    TEEN: [
        "Attendance at school or college and plans for exams.",
        "Family time and contact by phone.",
        "Friendships, social media and staying safe online.",
        "Independence skills: cooking, budgeting and travel.",
        "Pathway planning and what happens at 18.",
        "Part-time work and money.",
        "Curfew and coming home on time.",
        "Health, including sleep and emotional wellbeing.",
        # Last: only for an unaccompanied asylum-seeking child.
        "Progress of the asylum claim and the next solicitor appointment.",
    ],
}
VIEWS = {
    YOUNG: [
        "Too young to give views; presented as content and secure with {carers}.",
        "Reached for a familiar adult when unsure and was comforted quickly.",
        "Enjoyed playing with the social worker on the floor; no signs of distress.",
        "Seemed happy and relaxed throughout the visit.",
    ],
    CHILD: [
        "Said they are happy living here.",
        "Would like to see their brother more often.",
        "Said school is OK but maths is hard.",
        "Wants to join the football club with a friend.",
        "Said they miss mum but enjoy the visits.",
        "Asked whether they can stay here for a long time.",
        "Would like a later bedtime at weekends.",
        "Said nothing is worrying them at the moment.",
    ],
    TEEN: [
        "Says they feel settled and get on with {carers}.",
        "Wants more say in when family time happens.",
        "Would like to start driving lessons when old enough.",
        "Feels the house rules are fair, apart from the phone curfew.",
        "Wants to stay in the area for college.",
        "Says they are worried about moving on at 18.",
        "Would like help finding a part-time job.",
        "Says they feel safe here.",
        "Asked for help to stay in touch with a former carer.",
    ],
}
OBSERVATIONS = [
    "Warm interactions between {carers} and the child were seen.",
    "The {home} was clean, tidy and welcoming.",
    "{Carers} knew the child's routines and preferences well.",
    "Relationships in the {home} appeared relaxed and positive.",
    "The child moved freely around the {home} and seemed at ease.",
    "{Carers} spoke about the child with warmth and pride.",
    "Photos and artwork by the child were on display.",
]
PRESENTATION = [
    "Presented as healthy, clean and appropriately dressed.",
    "Appeared well and happy; good eye contact.",
    "A little tired after school but in good spirits.",
    "Well presented; weight and growth are on track.",
    "Cheerful and chatty throughout.",
    "Quieter than usual but engaged once the conversation moved on to hobbies.",
]
NON_COMPLIANCE = [
    "None.",
    "None noted.",
    "None at this visit.",
    "Did not want to talk about family time today; this was respected.",
    "Late back twice since the last visit; agreed a plan with {carers}.",
]
ADDITIONAL = [
    "Went swimming and to the cinema since the last visit.",
    "Started a new after-school club.",
    "Had a birthday celebration with cake and friends.",
    "Enjoyed a day trip to the coast.",
    "Has been helping to cook tea once a week.",
    "Completed a first aid course at college.",
    "Joined a local youth group.",
    "Family time went ahead as planned.",
]
ANALYSIS = [
    "The placement is meeting the child's needs and the care plan is on track.",
    "Good progress since the last visit; the child is more settled.",
    "Needs are being met; education support needs to be strengthened.",
    "The child's lived experience is positive; relationships with {carers} are strong.",
    "Some unsettled behaviour after family time, managed well by {carers}.",
    "Stable placement; the child feels safe and listened to.",
]
WORKING_WELL = [
    "Consistent routines at {home}.",
    "Strong relationship with {carers}.",
    "Good school attendance.",
    "Regular, positive family time.",
    "Health needs are met and appointments kept.",
    "The child is making friends locally.",
    "{Carers} advocate well for the child.",
    "Independence skills are developing.",
]
WORRIED_ABOUT = [
    "No worries at this visit.",
    "No new worries.",
    "Some missed school days this term.",
    "Sleep has been disrupted since the last family time.",
    "Use of social media late at night.",
    "Friendship with older peers in the area.",
    "Low mood reported by {carers} this month.",
    "Delay in the CAMHS referral.",
]
NEEDS_TO_HAPPEN = [
    "Social worker to chase the PEP meeting date.",
    "{Carers} to book the dental check-up.",
    "Update the care plan before the next LAC review.",
    "Referral for extra tuition support.",
    "Arrange a family time review meeting.",
    "Continue life story work at the next visit.",
    "Pathway plan to be updated with the personal adviser.",
    "Follow up the CAMHS referral with the GP.",
    "Ask the provider for the updated risk assessment.",
]
SETTING_OVERVIEW = {
    FOSTERING: [
        "Comfortable family home with a garden; the child has their own room.",
        "The carers keep a daily diary; records are up to date.",
        "Meals are shared as a family; the child helps choose the menu.",
    ],
    REGULATED: [
        "The home was calm and well maintained; communal areas clean.",
        "Staff rota covered the shift well; the key worker was on duty.",
        "Medication records checked and administered correctly.",
        "Meals are cooked on site; young people help plan the menu.",
        "Daily records and incident logs are up to date.",
        "Some redecoration is due in the lounge; the manager has a date for it.",
    ],
    UNREGISTERED: [
        "Self-contained flat; clean and adequately furnished.",
        "Support staff present as agreed in the support plan.",
        "Kitchen stocked; the young person is managing a weekly budget.",
        "Fire safety equipment checked and in date.",
        "Staffing levels matched the agreed support hours.",
    ],
}
REGULATORY_DETAIL = [
    "Latest Ofsted report read; the registered manager is working through its actions.",
    "Regulation 44 report seen; no concerns about this young person.",
    "Regulation 45 review seen and up to date.",
    "Ofsted report and the provider's action plan discussed with the manager.",
]
RISK_FACTORS = [
    "None identified beyond the existing risk assessment.",
    "Risk of going missing is low and reviewed monthly.",
    "Vulnerable to exploitation online; safety plan in place.",
    "No new risks; existing plan remains appropriate.",
]
IN_BEDROOM = "In their bedroom."
WHERE_SEEN = {
    YOUNG: ["In the lounge.", "In the playroom.", "In the garden."],
    CHILD: [
        "In the lounge.",
        "In the garden.",
        "Taken out for a hot chocolate.",
        "In the kitchen.",
    ],
    TEEN: [
        "In the lounge.",
        "Taken out for lunch.",
        "On a walk near the {home}.",
        "In the quiet room.",
    ],
}
OTHERS_PRESENT = {
    FOSTERING: ["Foster carer, for part of the visit.", "Both foster carers, briefly."],
    REGULATED: ["Key worker, for part of the visit.", "Registered manager, briefly."],
    UNREGISTERED: ["Support worker, for part of the visit."],
}
LATE_REASONS = [
    "Visit rearranged because the young person was not at home at the agreed time.",
    "The planned visit was cancelled because of illness; rebooked at the first chance.",
    "Social worker on leave; cover could not be arranged in time.",
    "The child was away on a school trip on the planned date.",
]
IRO_ISSUES = [
    "Progress of the care plan since the last review.",
    "The child's wishes for the next review and who they want there.",
    "Whether the placement still meets the child's needs.",
    "Education, health and family time recommendations from the last review.",
]
IRO_ANALYSIS = [
    "Care plan is progressing; recommendations from the last review are mostly met.",
    "Placement meets needs; the IRO will check the health recommendation at the review.",
    "The child's views are clear and will be put to the review.",
]
IRO_NEEDS = [
    "IRO to meet the social worker before the review.",
    "Review recommendations to be updated at the next LAC review.",
    "Social worker to share the updated care plan with the IRO.",
]
COMMISSIONING_ISSUES = [
    "Support hours, staffing and the provider's plan to register.",
    "Whether the accommodation meets the young person's needs.",
    "Contract terms and the agreed package of support.",
]
COMMISSIONING_ANALYSIS = [
    "The arrangement is meeting basic needs while a registered placement is sought.",
    "Provider is delivering the agreed support; search for a registered setting continues.",
]
COMMISSIONING_NEEDS = [
    "Commissioning to continue the search for a registered placement.",
    "Provider to send weekly staffing rotas to commissioning.",
    "Review the package at the next placement panel.",
]
MANAGER_ISSUES = [
    "Why this placement was needed and the plan to move on.",
    "The young person's experience of the accommodation so far.",
    "Visiting frequency and the safety plan.",
]
MANAGER_ANALYSIS = [
    "Needs are met for now; the plan to move to a registered setting is agreed.",
    "The young person is safe; oversight continues through weekly visits.",
]
MANAGER_NEEDS = [
    "Service manager to review the arrangement fortnightly with the team manager.",
    "Escalate to the Assistant Director if no registered placement is found this month.",
]


def _for_placements(bank):
    """{kind of placement: the bank with its words filled in}, once, at import."""

    def fill(value, words):
        if isinstance(value, dict):
            return {key: fill(item, words) for key, item in value.items()}
        return [sentence.format(**words) for sentence in value]

    return {where: fill(bank, words) for where, words in WHERE.items()}


WORDS = _for_placements(
    {
        "communication": COMMUNICATION,
        "issues": ISSUES,
        "views": VIEWS,
        "observations": OBSERVATIONS,
        "non_compliance": NON_COMPLIANCE,
        "analysis": ANALYSIS,
        "working_well": WORKING_WELL,
        "worried_about": WORRIED_ABOUT,
        "needs_to_happen": NEEDS_TO_HAPPEN,
        "where_seen": WHERE_SEEN,
    }
)


def _band(age: int) -> str:
    return YOUNG if age < 5 else CHILD if age < 13 else TEEN


def _say(rng: random.Random, sentences: Sequence[str], most: int = 2) -> str:
    """One of the sentences, or (now and then, when ``most`` is 2) two, in list order."""
    n = len(sentences)
    i = int(rng.random() * n)
    if most == 1 or n == 1 or rng.random() < 0.55:
        return sentences[i]
    j = (i + 1 + int(rng.random() * (n - 1))) % n
    i, j = min(i, j), max(i, j)
    return f"{sentences[i]} {sentences[j]}"
