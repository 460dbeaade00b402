"""Accent-insensitive text for Vietnamese search: "Nước mắm" and "nuoc mam" normalise alike."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize_search_text(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse whitespace."""
    return _SPACES.sub(" ", unidecode(text or "").lower()).strip()


# Vietnamese syllables as `normalize_search_text` leaves them: an initial consonant (or none)
# and a rhyme. Without tone marks and with ă/â/ê/ô/ơ/ư folded, the rhymes are few.
_INITIALS = "ngh ng nh ch gh gi kh ph qu th tr b c d g h k l m n p r s t v x".split() + [""]
_RHYMES = frozenset(
    "a ai ao au ay e eo eu i ia iu o oa oai oao oay oe oeo oi u ua uay ue ui uoi uou uu uy uya"
    " uyu y yeu ieu"
    " ac ach am an ang anh ap at ec ech em en eng enh ep et ich im in inh ip it"
    " oc om on ong op ot ooc oong uc um un ung up ut iec iem ien ieng iep iet yem yen yet"
    " uoc uom uon uong uop uot oac oach oam oan oang oanh oap oat oen oet uan uang uat"
    " uech uenh uych uyn uynh uyt uyen uyet".split()
)
# Letters these initials are written before (k, gh, ngh) or never before (c, ng, g).
_FRONT = ("e", "i", "y")


def is_vietnamese_syllable(word: str) -> bool:
    """Whether `word` (normalised) is a well-formed Vietnamese syllable, such as "nuoc",
    "mat", "nghia": a real word a buyer may type, not a typo to correct ("mma", "lca")."""
    for initial in _INITIALS:
        if not word.startswith(initial):
            continue
        rhyme = word[len(initial) :]
        if initial == "gi" and rhyme == "":
            return True
        if rhyme not in _RHYMES:
            continue
        front = rhyme.startswith(_FRONT)
        if initial in ("k", "gh", "ngh") and not front:
            continue
        if initial in ("c", "ng", "g") and front and not (initial == "g" and rhyme[0] == "i"):
            continue
        return True
    return False
