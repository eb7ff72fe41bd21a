"""Named answer sets (personas) and what their result must show, for the engine, web and bench.

Each persona is a person who might really answer: what they answered, and what the result must
lead with, which band (or rule band) they get, which flags and steps must and must not appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers import ALL_CLEAR, in_bank_order

DEPRESSANTS = ["alcohol", "benzodiazepines"]


@dataclass(frozen=True)
class Persona:
    answers: dict[str, str | list[str]]
    band: str  # the band shown: a score band or a rule band
    first: str | None = None  # the flag the page leads with (None: no urgent flag)
    flags: frozenset[str] = frozenset()  # flags that must be raised
    absent: frozenset[str] = frozenset()  # flags that must not be
    steps: tuple[str, ...] = ()  # the first steps "what to do now", in order
    unknown: int = 0  # "I don't know" answers counted


def persona(answers, band, first=None, flags=(), absent=(), steps=(), unknown=0) -> Persona:
    return Persona(answers, band, first, frozenset(flags), frozenset(absent), tuple(steps), unknown)


PROXY_START = {"respondent": "other", "relationship": "child", "contact": "weekly"}
UNKNOWN_PROXY = {
    **PROXY_START,
    **{q: "dont_know" for q in ALL_CLEAR if q not in ("respondent", "mixing", "urinary")},
    "mixing": ["dont_know"],
    "urinary": ["dont_know"],
    "confidence": "not_sure",
}
CRISIS_FLAGS = {"crisis", "crisis_unsure"}

PERSONAS: dict[str, Persona] = {
    # Daily use, blood in the urine and thoughts of self-harm: crisis first, then the doctor.
    "daily_blood_self_harm": persona(
        {
            **ALL_CLEAR,
            "frequency": "daily",
            "time_spent": "a_lot",
            "craving": "often",
            "cut_down": "recent",
            "urinary": ["urgency", "blood"],
            "despite_harm": "yes",
            "self_harm": "sometimes",
        },
        "many_signs",
        first="crisis",
        flags={"crisis", "see_doctor", "bladder", "hard_to_control"},
        steps=("crisis_now", "see_doctor", "mood_doctor"),
    ),
    # The most concerning answers there are: the page whose height the bench reports.
    "most_concerning": persona(
        {
            **ALL_CLEAR,
            "frequency": "daily",
            "time_spent": "most",
            "tolerance": "much",
            "craving": "always",
            "more_than_intended": "always",
            "cut_down": "recent",
            "responsibilities": "weekly",
            "relationships": "often",
            "gave_up": "many",
            "others_concern": "recent",
            "hazardous": "more",
            "coping": "always",
            "alone": "always",
            "k_hole": "more",
            "mixing": [
                "alcohol",
                "benzodiazepines",
                "opioids",
                "gabapentinoids",
                "ghb",
                "stimulants",
            ],
            "urinary": ["urgency", "pain", "pelvic_pain", "leaking", "blood"],
            "abdominal": "severe",
            "memory": "a_lot",
            "despite_harm": "yes",
            "self_harm": "often",
        },
        "many_signs",
        first="crisis",
        flags={"crisis", "see_doctor", "mixing_opioids", "mixing_depressants", "alone"},
        steps=("crisis_now", "see_doctor", "mood_doctor"),
    ),
    # Esketamine only as directed: no risk band, the treatment framing.
    "esketamine_as_directed": persona(
        {
            "respondent": "self",
            "last_use": "past_3_months",
            "treatment": "as_directed",
            "treatment_signs": ["none"],
            "self_harm": "no",
        },
        "as_directed",
        absent=CRISIS_FLAGS | {"outside_treatment", "treatment_signs"},
        steps=("as_directed",),
    ),
    # The same person with thoughts of self-harm: crisis first, and the treatment team today.
    "esketamine_as_directed_crisis": persona(
        {
            "respondent": "self",
            "last_use": "past_3_months",
            "treatment": "as_directed",
            "treatment_signs": ["urges"],
            "self_harm": "sometimes",
        },
        "as_directed",
        first="crisis",
        flags={"crisis", "crisis_treatment", "treatment_signs"},
        steps=("crisis_now", "treatment_team", "mood_doctor"),
    ),
    # Esketamine plus ketamine outside the treatment: screened, and told to tell the clinician.
    "esketamine_and_outside": persona(
        {**ALL_CLEAR, "treatment": "also_outside", "frequency": "weekly", "time_spent": "some"},
        "some_signs",
        flags={"outside_treatment"},
        absent=CRISIS_FLAGS,
        steps=("tell_prescriber", "make_a_plan_outside"),
    ),
    # Take-home ketamine taken more often than prescribed counts as use outside treatment.
    "more_than_prescribed": persona(
        {
            **ALL_CLEAR,
            "treatment": "more_than_prescribed",
            "frequency": "monthly",
            "craving": "sometimes",
        },
        "some_signs",
        flags={"outside_treatment"},
        steps=("tell_prescriber", "make_a_plan_outside"),
    ),
    # Weekend use with alcohol, sometimes alone: the mixing advice and the alone advice.
    "weekend_mixer": persona(
        {
            **ALL_CLEAR,
            "frequency": "weekly",
            "time_spent": "little",
            "mixing": ["alcohol"],
            "alone": "sometimes",
        },
        "some_signs",
        flags={"mixing_depressants", "alone"},
        absent=CRISIS_FLAGS | {"mixing_opioids", "hard_to_control"},
        steps=("do_not_mix", "make_a_plan"),
    ),
    # Mixing with opioids: the safest choice (not mixing) first, then naloxone if they still do.
    "opioid_mixer": persona(
        {**ALL_CLEAR, "frequency": "weekly", "time_spent": "little", "mixing": ["opioids"]},
        "some_signs",
        flags={"mixing_opioids"},
        absent=CRISIS_FLAGS,
        steps=("do_not_mix", "carry_naloxone"),
    ),
    # A parent who knows little, with one sign of self-harm: crisis first, not enough to say.
    "parent_unknown_self_harm": persona(
        {**UNKNOWN_PROXY, "self_harm": "sometimes"},
        "not_enough",
        first="crisis",
        flags={"crisis", "talk_with_them", "support_for_you", "young_person", "unsure"},
        steps=("crisis_now", "learn_more", "look_after_yourself"),
        unknown=19,
    ),
    # A parent who does not know about self-harm either: gentle advice on asking, first.
    "parent_all_unknown": persona(
        UNKNOWN_PROXY,
        "not_enough",
        first="crisis_unsure",
        flags={"crisis_unsure", "talk_with_them"},
        steps=("unsure_safety", "learn_more", "look_after_yourself"),
        unknown=20,
    ),
    # No use in 12 months: a message of its own; bladder and belly still asked.
    "no_use_12_months": persona(
        {
            "respondent": "self",
            "last_use": "over_year",
            "urinary": ["none"],
            "abdominal": "no",
            "self_harm": "no",
        },
        "no_recent_use",
        absent=CRISIS_FLAGS,
        steps=("check_again_stopped",),
    ),
    # Stopped over a year ago, bladder pain still there: see a doctor.
    "stopped_with_bladder_pain": persona(
        {
            "respondent": "self",
            "last_use": "over_year",
            "urinary": ["pain"],
            "abdominal": "no",
            "self_harm": "no",
        },
        "no_recent_use",
        first="see_doctor",
        flags={"see_doctor", "bladder"},
        steps=("see_doctor", "check_again_stopped"),
    ),
    "never_used": persona(
        {"respondent": "self", "last_use": "never", "self_harm": "no"},
        "never_used",
        absent=CRISIS_FLAGS,
    ),
    # Low scores, but "I'd rather not say" to self-harm: gentle crisis help, no reassurance.
    "rather_not_say": persona(
        {**ALL_CLEAR, "self_harm": "rather_not_say"},
        "crisis_first",
        first="crisis_unsure",
        flags={"crisis_unsure"},
        steps=("unsure_safety",),
    ),
    # Low scores and thoughts of self-harm: crisis first, and no "fewer signs" headline.
    "low_scores_in_crisis": persona(
        {**ALL_CLEAR, "self_harm": "often"},
        "crisis_first",
        first="crisis",
        steps=("crisis_now", "mood_doctor"),
    ),
    # Daily use with several control signs and nothing else: many signs, hard to control.
    "daily_control_signs": persona(
        {
            **ALL_CLEAR,
            "frequency": "daily",
            "time_spent": "some",
            "tolerance": "somewhat",
            "craving": "sometimes",
            "more_than_intended": "sometimes",
            "cut_down": "earlier",
        },
        "many_signs",
        flags={"hard_to_control"},
        absent=CRISIS_FLAGS | {"see_doctor"},
        steps=("get_support",),
    ),
    # As strict as the ASSIST: weekly use alone, or monthly use with some craving, is not "fewer".
    "weekly_only": persona(
        {**ALL_CLEAR, "frequency": "weekly", "time_spent": "little"},
        "some_signs",
        absent={"hard_to_control"},
        steps=("make_a_plan",),
    ),
    "monthly_with_craving": persona(
        {**ALL_CLEAR, "frequency": "monthly", "craving": "sometimes"}, "some_signs"
    ),
    "once_with_craving": persona({**ALL_CLEAR, "craving": "sometimes"}, "some_signs"),
    "monthly_only": persona(
        {**ALL_CLEAR, "frequency": "monthly"}, "fewer_signs", steps=("check_again",)
    ),
    # A proxy who sees what is there, weekly use with a few signs: some reasons for concern.
    "proxy_weekly": persona(
        {
            **ALL_CLEAR,
            **PROXY_START,
            "frequency": "weekly",
            "time_spent": "some",
            "craving": "sometimes",
            "gave_up": "dont_know",
            "confidence": "fairly_sure",
        },
        "some_signs",
        flags={"talk_with_them", "emergency_signs", "support_for_you", "young_person"},
        absent=CRISIS_FLAGS | {"unsure"},
        steps=("make_a_plan", "look_after_yourself"),
        unknown=1,
    ),
    # A proxy whose person stopped long ago: no "how to talk" or emergency advice.
    "proxy_no_recent_use": persona(
        {
            **PROXY_START,
            "last_use": "over_year",
            "urinary": ["none"],
            "abdominal": "no",
            "self_harm": "no",
            "confidence": "very_sure",
        },
        "no_recent_use",
        flags={"support_for_you"},
        absent={"talk_with_them", "emergency_signs"} | CRISIS_FLAGS,
    ),
}


@dataclass(frozen=True)
class Scenario:
    """Named answers that several tests build on, with the total and band they must score (one
    test checks them all, so a change to the bank that moves one shows here first)."""

    answers: dict[str, str | list[str]]
    total: int
    band: str


# Shared beginnings of the answers below.
FULL_PATH = {  # weekly use asks `time_spent`; coping sometimes asks `despite_harm`
    "frequency": "weekly",
    "time_spent": "some",
    "coping": "sometimes",
    "despite_harm": "no",
}
DISTINCTIVE_SELF = {  # distinctive where the bank allows: used outside a treatment, every question
    **ALL_CLEAR,
    "treatment": "also_outside",
    "frequency": "weekly",
    "time_spent": "a_lot",
    "gave_up": "many",
    "tolerance": "much",
    "craving": "often",
    "more_than_intended": "always",
    "cut_down": "recent",
    "responsibilities": "monthly",
    "relationships": "often",
    "others_concern": "recent",
    "hazardous": "more",
    "coping": "always",
    "alone": "often",
    "k_hole": "more",
    "mixing": ["benzodiazepines", "gabapentinoids"],
    "urinary": ["pelvic_pain", "blood"],
    "abdominal": "severe",
    "memory": "a_lot",
    "despite_harm": "yes",
    "self_harm": "sometimes",
}
PARTNER = {"respondent": "other", "relationship": "partner", "contact": "daily"}

SCENARIOS: dict[str, Scenario] = {
    # Own use ---------------------------------------------------------------------------------
    # Weekly use with a few mild signs: 4 + 1 + 1 + 1 + 2, two of the criteria, no flag.
    "weekly_mild": Scenario(
        {
            **ALL_CLEAR,
            "frequency": "weekly",
            "craving": "sometimes",
            "time_spent": "some",
            "alone": "sometimes",
            "others_concern": "earlier",
        },
        9,
        "some_signs",
    ),
    # Weekly use with some craving: the shortest 'some signs' the browser tests open.
    "weekly_craving": Scenario(
        {**ALL_CLEAR, "frequency": "weekly", "time_spent": "some", "craving": "sometimes"},
        6,
        "some_signs",
    ),
    # Weekly use, every question on its path answered (`despite_harm` is asked because of the
    # coping and memory answers); three criteria (craving, time spent, missed duties), too few
    # for 'many signs' or the hard-to-control advice.
    "weekly_every_question": Scenario(
        in_bank_order(
            {
                **ALL_CLEAR,
                "frequency": "weekly",
                "craving": "sometimes",
                "time_spent": "some",
                "responsibilities": "once_twice",
                "coping": "sometimes",
                "mixing": ["alcohol", "stimulants"],
                "memory": "a_little",
                "despite_harm": "no",
            }
        ),
        11,
        "some_signs",
    ),
    # Daily use with most signs, blood in the urine and self-harm thoughts "often": the browser
    # tests' live share and its result page.
    "many_signs_in_crisis": Scenario(
        {
            **ALL_CLEAR,
            "frequency": "daily",
            "time_spent": "most",
            "gave_up": "many",
            "craving": "always",
            "more_than_intended": "often",
            "cut_down": "recent",
            "coping": "always",
            "alone": "often",
            "mixing": ["alcohol", "benzodiazepines"],
            "urinary": ["urgency", "blood"],
            "abdominal": "often",
            "memory": "a_lot",
            "despite_harm": "yes",
            "self_harm": "often",
        },
        36,
        "many_signs",
    ),
    # Two flags (mixing, bladder) in the middle band, through time_spent.
    "weekly_bladder_and_alcohol": Scenario(
        in_bank_order(
            {
                **ALL_CLEAR,
                "frequency": "weekly",
                "time_spent": "some",
                "mixing": ["alcohol"],
                "urinary": ["pain"],
                "despite_harm": "no",
            }
        ),
        7,
        "some_signs",
    ),
    # Distinctive answers, every question that applies (with self-harm thoughts).
    "distinctive_self": Scenario(DISTINCTIVE_SELF, 47, "many_signs"),
    # About someone else --------------------------------------------------------------------
    # A friend's use, every answer known: the same total as ALL_CLEAR.
    "proxy_friend_all_clear": Scenario(
        {
            **{q: a for q, a in ALL_CLEAR.items() if q != "respondent"},
            "respondent": "other",
            "relationship": "friend",
            "contact": "weekly",
            "confidence": "very_sure",
        },
        2,
        "fewer_signs",
    ),
    # A friend in a treatment who also uses outside it, little else known.
    "proxy_friend_in_treatment": Scenario(
        {
            **ALL_CLEAR,
            "respondent": "other",
            "relationship": "friend",
            "contact": "rarely",
            "treatment": "also_outside",
            "confidence": "fairly_sure",
        },
        2,
        "fewer_signs",
    ),
    # A partner seen daily, whose missed plans are unknown.
    "proxy_partner": Scenario(
        in_bank_order(
            {**ALL_CLEAR, **PARTNER, "confidence": "fairly_sure", "gave_up": "dont_know"}
        ),
        2,
        "fewer_signs",
    ),
    # A partner's weekly use, through every question both modes share.
    "proxy_partner_every_question": Scenario(
        {**ALL_CLEAR, **FULL_PATH, **PARTNER, "confidence": "fairly_sure"}, 6, "some_signs"
    ),
    # A partner's weekly use with three answers unknown, one of them the drugs mixed.
    "proxy_partner_unknowns": Scenario(
        {
            **ALL_CLEAR,
            **PARTNER,
            "frequency": "weekly",
            "time_spent": "dont_know",
            "gave_up": "dont_know",
            "mixing": ["dont_know"],
            "confidence": "fairly_sure",
        },
        4,
        "some_signs",
    ),
    # A partner's weekly use, missed plans unknown, two drugs mixed (one an opioid).
    "proxy_partner_mixing": Scenario(
        {
            **ALL_CLEAR,
            **PARTNER,
            "frequency": "weekly",
            "time_spent": "some",
            "gave_up": "dont_know",
            "mixing": ["alcohol", "opioids"],
            "confidence": "fairly_sure",
        },
        8,
        "some_signs",
    ),
    # A worried parent who knows some of it, with signs of self-harm: fewer than a third of the
    # answers are "I don't know", so there is a band and the box of unknowns.
    "proxy_crisis_unknowns": Scenario(
        {
            **PROXY_START,
            "last_use": "dont_know",
            "treatment": "dont_know",
            "frequency": "weekly",
            **{
                q: "dont_know" for q in ("time_spent", "tolerance", "more_than_intended", "gave_up")
            },
            "craving": "often",
            "cut_down": "no",
            "responsibilities": "monthly",
            "relationships": "often",
            "others_concern": "recent",
            "hazardous": "no",
            "coping": "dont_know",
            "alone": "sometimes",
            "k_hole": "no",
            "mixing": ["alcohol"],
            "urinary": ["dont_know"],
            "abdominal": "no",
            "memory": "a_lot",
            "despite_harm": "yes",
            "self_harm": "often",
            "confidence": "not_sure",
        },
        19,
        "many_signs",
    ),
    # Distinctive answers about another relative, self-harm unknown.
    "proxy_distinctive": Scenario(
        {
            **DISTINCTIVE_SELF,
            "respondent": "other",
            "relationship": "other_relation",
            "contact": "monthly",
            "treatment": "dont_know",
            "frequency": "daily",
            "time_spent": "most",
            "gave_up": "some",
            "hazardous": "once_twice",
            "mixing": ["ghb", "stimulants"],
            "urinary": ["urgency", "leaking"],
            "self_harm": "dont_know",
            "confidence": "not_sure",
        },
        47,
        "many_signs",
    ),
}
