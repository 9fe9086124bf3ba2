"""What a lifter typed into name search, read the way a lifter means it: plain functions over text,
no database (:func:`exercises.selectors.exercise_search` turns the result into SQL).

- Abbreviations and gym spellings are spelt out: "db rdl" -> "dumbbell romanian deadlift",
  "ez curl" -> "ez bar curl", "bicep" -> "biceps". Whole names lifters abbreviate (RDL, OHP, BSS…)
  are also aliases in the library data, so the typed form matches as well.
- Plurals become singular ("calf raises" -> "calf raise", "pushups" -> "pushup").
- Hyphens and apostrophes do not count ("chin-up" = "chin up", "farmer's" = "farmers").
- Words naming a muscle ("bicep curl", "tricep extension") are kept as a condition: a result
  must train that muscle (0.5 or more) or carry the word in its name, so "bicep curl" does not
  list leg curls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from exercises.domain import Muscle

# One word -> what it stands for. Applied word by word, after lower-casing.
ABBREVIATIONS: dict[str, str] = {
    "db": "dumbbell",
    "dbs": "dumbbell",
    "bb": "barbell",
    "kb": "kettlebell",
    "kbs": "kettlebell",
    "ez": "ez bar",
    "bw": "bodyweight",
    "sl": "single leg",
    "cg": "close grip",
    "ohp": "overhead press",
    "rdl": "romanian deadlift",
    "rdls": "romanian deadlift",
    "sldl": "stiff leg deadlift",
    "dl": "deadlift",
    "dls": "deadlift",
    "bss": "bulgarian split squat",
    "rfess": "bulgarian split squat",
    "ghr": "glute ham raise",
    "cgbp": "close grip bench press",
    "hlr": "hanging leg raise",
    "tgu": "turkish get up",
    "bicep": "biceps",
    "bis": "biceps",
    "tricep": "triceps",
    "tris": "triceps",
    "hammies": "hamstrings",
    "dumbell": "dumbbell",
    "dumbel": "dumbbell",
    "barbel": "barbell",
    "kettle": "kettlebell",
}
# Words whose final "s" is not a plural.
NOT_PLURAL = frozenset({"abs", "biceps", "triceps", "press", "cross", "ups", "calves"})
IRREGULAR_SINGULAR = {"calves": "calf", "ups": "up"}

# A word naming a muscle -> the muscles it means.
_DELTS = (Muscle.FRONT_DELTS, Muscle.SIDE_DELTS, Muscle.REAR_DELTS)
MUSCLE_WORDS: dict[str, tuple[str, ...]] = {
    "biceps": (Muscle.ELBOW_FLEXORS,),
    "triceps": (Muscle.TRICEPS,),
    "chest": (Muscle.CHEST,),
    "pec": (Muscle.CHEST,),
    "quad": (Muscle.QUADRICEPS,),
    "quadricep": (Muscle.QUADRICEPS,),
    "hamstring": (Muscle.HAMSTRINGS,),
    "glute": (Muscle.GLUTES,),
    "calf": (Muscle.CALVES,),
    "abs": (Muscle.ABS,),
    "oblique": (Muscle.OBLIQUES,),
    "forearm": (Muscle.FOREARMS,),
    "delt": _DELTS,
    "shoulder": _DELTS,
}

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(text: str) -> str:
    """Lower case, apostrophes dropped, every other non-alphanumeric a space ("Farmer's Carry" ->
    "farmers carry", "Chin-Up" -> "chin up"). The SQL mirror is ``selectors._normalised``."""
    lowered = (text or "").lower().replace("'", "").replace("’", "")
    return " ".join(_NON_WORD.sub(" ", lowered).split())


def singular(word: str) -> str:
    if word in IRREGULAR_SINGULAR:
        return IRREGULAR_SINGULAR[word]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word not in NOT_PLURAL:
        return word[:-1]
    return word


@dataclass(frozen=True)
class SearchTerms:
    raw: str  # what was typed, normalised ("db rdls")
    text: str  # spelt out and singular ("dumbbell romanian deadlift")
    muscles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # muscle word -> muscles

    @property
    def without_muscle_words(self) -> str:
        """The spelt-out text without its muscle words ("biceps curl" -> "curl")."""
        return " ".join(w for w in self.text.split() if w not in self.muscles)

    @property
    def forms(self) -> tuple[str, ...]:
        """The distinct forms to match: the spelt-out text and what was typed."""
        return tuple(dict.fromkeys(f for f in (self.text, self.raw) if f))


def search_terms(query: str) -> SearchTerms:
    raw = normalise_name(query)
    words: list[str] = []
    for word in raw.split():
        expanded = ABBREVIATIONS.get(word) or ABBREVIATIONS.get(singular(word)) or word
        words.extend(singular(w) for w in expanded.split())
    muscles = {w: MUSCLE_WORDS[w] for w in words if w in MUSCLE_WORDS}
    return SearchTerms(raw=raw, text=" ".join(words), muscles=muscles)


# Pain, injury or a health condition: the app is no place to treat it. Such searches get a word
# that pain is for a professional, and gentle exercises only.
_PAIN = re.compile(
    r"\b(pain|painful|hurts?|hurting|aches?|aching|achy|sore(?:ness)?|injur(?:y|ies|ed)|strain(?:ed)?"
    r"|sprain(?:ed)?|rehab(?:ilitation)?|physio(?:therapy)?|sciatica|herniat(?:ed|ion)|slipped disc"
    r"|bulging disc|tendinitis|tendonitis|tendinopathy|arthritis|osteoporosis|surgery"
    r"|pregnan(?:t|cy)|postpartum|tennis elbow|golfer'?s elbow|impingement|torn)\b",
    re.IGNORECASE,
)
PAIN_NOTICE = (
    "Pain or an injury is for a doctor or a physiotherapist to assess: see one before training "
    "through it, and stop any exercise that hurts. Shown: gentle, low-load exercises only."
)


def mentions_pain(text: str | None) -> bool:
    """True when ``text`` talks about pain, an injury or a condition ("exercise for lower back pain")."""
    return bool(text and _PAIN.search(text))
