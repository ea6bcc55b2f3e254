"""Deterministic crisis patterns over normalized text; a match can only raise risk."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Phone keyboards send curly quotes; one of them once silently defeated crisis triggers elsewhere.
_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02bc\uff07"})
_ZERO_WIDTH = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_STRETCHED = re.compile(r"(\w)\1{2,}")
_LEET = str.maketrans(
    {"1": "i", "!": "i", "3": "e", "4": "a", "@": "a", "0": "o", "5": "s", "$": "s", "7": "t"}
)
_MIXED_TOKEN = re.compile(r"\b(?=[\w@$!]*[a-z])(?=[\w@$!]*[0-9@$!])[\w@$!]+")
_WORD_SWAPS = {
    "2": "to",
    "4": "for",
    "u": "you",
    "ur": "your",
    "wanna": "want to",
    "wana": "want to",
    "gonna": "going to",
    "gunna": "going to",
    "imma": "i am going to",
    "kms": "kill myself",
    "ded": "dead",
    "pils": "pills",
    "suicdal": "suicidal",
    "sucidal": "suicidal",
    "suicidial": "suicidal",
    "sucide": "suicide",
    "suicde": "suicide",
    "anymore": "any more",
}
_NON_WORD = re.compile(r"[^\w']+")

I_AM = r"(?:i'?m|i am|i'?ve been|i feel|i feel like|feeling|i just feel)"
SELF = r"(?:myself|my self|my own self)"
NOT_FIGURATIVE = r"(?!\s+(?:laughing|of (?:embarrassment|boredom|cringe|laughter)|from laughing))"
OTHER = (
    r"(?:he|she|they|he'?s|she'?s|they'?re"
    r"|my (?:husband|wife|partner|boyfriend|girlfriend|dad|father|ex))"
)
MANY = r"(?:all|a bunch|a load|loads|lots|too many|the whole|a handful)"
PILLS = r"(?:pills|tablets|meds|medication|painkillers|sleeping pills)"
# What people say they "overdosed on" when they mean too much of a good thing.
NOT_DRUGS = (
    r"(?:netflix|tv|telly|chocolate|sugar|coffee|caffeine|cake|sweets|candy|work|memes|crisps"
    r"|biscuits|pizza|cheese|carbs|mince pies|turkey|christmas|box ?sets|films|movies|tiktok"
    r"|social media|sunshine|sun|vitamin c|kindness|cuteness|cute)"
)
NOT_A_DRUG = rf"(?! on {NOT_DRUGS}\b)"
# A goodbye said at work or a leaving do, and a last message that says when the client is back,
# are everyday farewells, not goodbyes for ever.
LEAVING_DO = (
    r"(?!.{0,50}\b(?:leaving (?:do|party|drinks|card)|farewell|(?:my|her|his|their|the) last day"
    r"|retirement|old (?:team|job|class|school|flat|house|office|colleagues)|colleagues"
    r"|classmates|at work)\b)"
)
RETURNING = (
    r"(?!.{0,40}\b(?:before (?:the|my|our|we go on|i go on) (?:holiday|hols|trip|break|flight"
    r"|op|operation|surgery|move|wedding|honeymoon|cruise)|(?:speak|talk|chat|text|message|back"
    r"|see you|catch up) (?:to you |with you )?(?:in|on|next|after|soon|tomorrow|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|\d+))\b)"
)
# Means a person could keep back for an overdose or self-harm, named the way clients write them.
MEANS = (
    r"(?:pills|tablets|meds|medication|painkillers|sleeping pills|paracetamol|codeine|co-codamol"
    r"|tramadol|diazepam|antidepressants|insulin|razor ?blades|razors|blades|a rope)"
)
HIDDEN = (
    r"(?:hidden|hid|hiding|stashed|stashing|squirrelled|squirreled|tucked|stockpiled|stockpiling"
    r"|hoarded|hoarding)"
)
# Putting means out of reach, or away from children, is the safety step a plan asks for.
PUT_AWAY_SAFELY = (
    r"(?!(?: \w+){0,6} (?:from|away from) (?:the |my |our )?(?:kids|children|little ones|grandkids"
    r"|toddler|baby|dog|puppy)\b)"
    r"(?!(?: \w+){0,6} (?:out of (?:reach|the way)|somewhere safe|for safe ?keeping|locked away))"
    r"(?!(?: \w+){0,6} so (?:the (?:kids|children)|they|it'?s|they'?re) "
    r"(?:are |is )?(?:safe|can'?t))"
)

# One name per kind of danger (docs/clinical-rationale.md); each variant tries every alternative.
_ALTERNATIVES: dict[str, list[str]] = {
    "suicide": [r"\bsui?c+i?d(?:e|al|ally)?\b", r"\bsuicid", r"\bsewer ?slide\b", r"\bunaliv"],
    "method": [
        r"\bnoose\b",
        r"\b(?:bought|got|have|found) (?:a|the) rope\b|\bthe rope is\b",
        r"\b(?:on|off|from|at) (?:the|a) (?:edge|roof|ledge|bridge|cliff|tracks)\b"
        r".{0,40}\b(?:jump|now)",
        r"\b(?:going to|want to|thinking of|thinking about) (?:jump|jumping)\b"
        r"(?! (?:in|into|on|at))",
        r"\bdrive (?:my car )?(?:into|off) (?:a|the) (?:wall|tree|bridge|cliff|river)\b",
        r"\b(?:step|stepping|jump|jumping) in front of (?:a|the) (?:train|bus|lorry|truck|car)\b",
        r"\bcar running in the garage\b",
        r"\b(?:ways|how) to (?:die|do it painlessly|kill)\b",
        r"\bhow i'?d (?:die|do it|kill)\b|\bplanning how\b",
        r"\bchosen the (?:date|day)\b",
        r"\b(?:looked|looking|searched|searching|googled|googling|research\w*) (?:up |for )?"
        r"(?:the )?(?:tallest|highest) (?:bridges?|cliffs?|car parks?|multi ?storeys?|buildings?)"
        r"(?! (?:in|of) the (?:world|country|uk|us|europe))",
        r"\bgo to sleep (?:forever|and never wake up)\b|\bsleep (?:forever|and never wake up)\b",
        r"\bnever wake up\b|\bnot wake up\b",
    ],
    "kill_myself": [
        rf"\bkill(?:ing|ed)? {SELF}\b{NOT_FIGURATIVE}",
        r"\b(?:i|i'?ll|to|should|just|might|gonna|will|gotta) kys\b",
    ],
    "want_to_die": [
        rf"\b(?:want|wanted|wish|going|ready|deserve|need) to die\b{NOT_FIGURATIVE}",
        r"\bwish i (?:was|were|could be) dead\b|\bwish i'?d never been born\b",
        r"\b(?:rather|better) be dead\b|\bdeath (?:feels|seems|is) (?:like )?the only\b",
        r"\b(?:stop|not) existing\b|\bdon'?t want to exist\b",
        r"\bbetter off dead\b",
        r"\bi should just die\b",
    ],
    "end_my_life": [
        r"\b(?:end|ending) (?:my (?:own )?life|it all)\b|\btak(?:e|ing) my (?:own )?life\b",
        r"\bend(?:ing)? (?:it|everything) (?:all|tonight|today|now)\b",
        r"\b(?:just|could|i'?ll|gonna|going to) (?:just )?(?:end|finish) it\b",
        r"\bwant (?:it all|everything|it) to (?:end|stop)(?: forever)?\b",
        r"\boff myself\b",
    ],
    "done_with_life": [
        r"\b(?:done|finished|through) with (?:life|living)\b",
        r"\bdon'?t want to (?:live|be alive|exist|be here any ?more|wake up|go on)\b",
        r"\bcan'?t go on living\b|\bwhy bother living\b|\b(?:sick|tired) of being alive\b",
        r"\b(?:had|have) enough of (?:being alive|living|life)\b",
        r"\buse of me (?:carrying|going) on\b",
        r"\bhope i don'?t wake up\b",
    ],
    "no_reason_to_live": [
        r"\bno (?:reason|point) (?:to|in) (?:live|living|being alive|going on)\b",
        r"\bnothing (?:left )?to live for\b",
        r"\bnot worth living\b|\b(?:point|use) in living\b",
        r"\bnothing left for me\b|\blost all hope\b|\bno hope (?:for|left)\b",
        r"\b(?:only|no) (?:one )?way out\b",
    ],
    "better_off_without_me": [
        r"\bbetter (?:off|life|lives) without me\b",
        r"\bbetter off if i (?:was|were|wasn'?t|weren'?t)\b",
        r"\bif i (?:wasn'?t|weren'?t) (?:around|here)\b",
        r"\bkinder if i went\b|\bno ?one would miss me\b|\bfavour if i was gone\b",
        r"\b(?:won'?t|will not) be (?:a problem|a burden|around|here) "
        r"(?:for anyone )?(?:much )?longer\b",
        r"\bno ?one would (?:even )?(?:miss|notice|care) if i\b",
    ],
    "burden": [
        rf"\b{I_AM} (?:such |just |only )?a burden\b",
        r"\bbeing a burden\b",
        r"\bburden (?:to|on|for) (?:everyone|everybody|you|them|my|others|people|the people)\b",
    ],
    "goodbye_forever": [
        r"\b(?:good ?)?bye forever\b",
        r"\bthis is (?:my )?(?:final |last )?goodbye\b",
        rf"\bmy last message\b{RETURNING}|\bmy last goodbye\b",
        r"\b(?:saying goodbye to every(?:one|body)|final goodbye)\b",
        rf"\bsaying (?:good)?bye to (?:the people|every|my)\b{LEAVING_DO}"
        rf"|\bsaid my goodbyes\b{LEAVING_DO}",
        r"\bwon'?t (?:hear from me|be replying|be here) (?:again|after)\b",
        r"\bby the time you read this\b|\bwritten (?:my|a) (?:suicide )?note\b",
        r"\bplease forgive me\b.{0,30}\blove you\b|\bgoodbye every(?:one|body)\b",
        r"\b(?:say|said|saying) (?:my )?(?:good ?)?byes? to (?:every(?:one|body)"
        r"|the (?:people|ones)|all (?:the )?(?:people|ones)|those) (?:who|that|i) "
        r"(?:matter|love|care|mean)",
        r"\b(?:say|saying) my (?:good ?)?byes\b|\bone (?:last|final) (?:goodbye|message)\b",
        r"\b(?:see|hug|hold|kiss|hear|ring|call|talk to|speak to) (?:my (?:kids|children|son"
        r"|daughter|mum|mam|mom|dad|family|partner|wife|husband|sister|brother|nan|gran)"
        r"|every(?:one|body)) "
        r"one (?:last|final) time\b",
    ],
    "overdose": [
        r"\bod'd\b|\bod'?ed\b",
        rf"\boverdos(?:e|ed|ing)\b{NOT_A_DRUG}",
        rf"\btook {MANY} (?:of )?(?:my |the )?{PILLS}\b",
        rf"\bswallowed {MANY}\b|\bswallowed (?:everything|a whole)\b",
        rf"\b(?:took|taken|had|swallowed) (?:about |like |over )?\d+ (?:of my )?(?:\w+ )?{PILLS}",
        r"\b(?:took|taken|had|swallowed) (?:about |like |over )?\d+ of my\b",
        r"\b(?:took|taken) (?:my|the) whole (?:prescription|pack|bottle)\b",
        rf"\b(?:taken|swallowed) {MANY} (?:of )?(?:my |the )?{PILLS}\b",
        rf"\b(?:saving|saved|stash|stockpil\w*|hoard\w*) (?:up )?(?:of )?(?:my )?{PILLS}",
        rf"\benough {PILLS}\b|\bhow many {PILLS}\b|\b{PILLS} lined up\b",
    ],
    "hidden_means": [
        rf"\b{MEANS} (?:that |which )?(?:i'?ve |i have |i |is |are )?(?:been |got |all )?"
        rf"{HIDDEN}\b{PUT_AWAY_SAFELY}",
        rf"\b{HIDDEN} (?:away )?(?:\w+ ){{0,5}}?{MEANS}\b{PUT_AWAY_SAFELY}",
    ],
    "self_harm": [
        rf"\b(?:cut|cutting|hurt|hurting|harm|harming|burn|burning|starve|starving) {SELF}\b"
        r"(?! (?:laughing|shaving|cooking))",
        r"\bself ?harm",
        r"\bslit (?:my )?wrists?\b|\bhang myself\b|\bjump (?:off|in front of)\b",
        r"\bblade on my\b|\bwrists? (?:are|is) bleeding\b",
        r"\b(?:cut|cutting) again\b|\bbeen cutting\b",
        r"\bon purpose\b.{0,20}\b(?:burn|cut|hurt)",
        r"\b(?:burn|burnt|burned|cut) (?:my )?\w+ on purpose\b",
        r"\buntil it blister|\btill they bled\b|\bburning my skin\b",
        r"\bkeep myself safe\b|\bstay safe tonight\b|\bmake it through (?:tonight|the night)\b",
    ],
    "danger_from_other": [
        rf"\b{OTHER} (?:is |are )?(?:going to|gonna|will|wants to|threatened to) "
        r"(?:kill|hurt|beat) me\b(?! (?:when|if|for) (?:he|she|they|i)\b)",
        rf"\b{OTHER} (?:hits|hit|beats|beat|chokes|choked|strangled|pushed) me\b",
        r"\b(?:keeps|kept|is|was|been|are) (?:hitting|beating|choking|hurting|threatening) me\b",
        r"\bthreatening (?:me|to hurt me)\b|\bhe'?ll (?:kill|hurt) me\b|\bnot allowed to leave\b",
        r"\blocked me in\b|\bgot a knife\b|\bi'?m in danger\b",
        r"\bnot safe (?:at home|here|with him|with her|with them)\b",
        r"\b(?:scared|afraid|fear(?:ing)?) for my life\b",
    ],
}
CRISIS_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _ALTERNATIVES.items()
}
_KIN = (
    r"(?:brother|sister|cousin|friend|mate|dad|father|mum|mam|mom|mother|son|daughter|uncle|aunt"
    r"|auntie|partner|husband|wife|boyfriend|girlfriend|nephew|niece|grandad|granddad|grandma"
    r"|nan|gran|grandson|granddaughter|colleague|neighbour|flatmate|ex)"
)
# Another person's overdose or suicide (a bereavement, an anniversary) is a trigger the classifier
# reads; the net keeps paging for the client's own, and for "he's overdosed" (happening now).
_SOMEONE_ELSES = re.compile(
    rf"\b(?:his|her|their|{_KIN}s'?|(?!(?:it|that|what|there|here|who|he|she|this|everything"
    r"|life)'s)\w+'s) (?:overdose|suicide)\b"
)


def normalize(text: str) -> str:
    """NFKC, casefolded, ASCII apostrophes, zero-width characters removed, spaces collapsed."""
    # Quotes first: NFKC would split the acute accent into a space and a combining mark.
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES))
    text = _ZERO_WIDTH.sub("", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


@lru_cache(maxsize=256)
def variants(text: str) -> frozenset[str]:
    """Spellings of one message the patterns are tried on (stretched letters, leetspeak, slang).

    Cached: the net, the ask cues and the idiom guard all read the same message.
    """
    base = normalize(text)
    forms = {base, _STRETCHED.sub(r"\1", base), _STRETCHED.sub(r"\1\1", base)}
    forms |= {_MIXED_TOKEN.sub(lambda m: m.group(0).translate(_LEET), form) for form in forms}
    words = {_words(form) for form in forms}
    return frozenset(
        words | {_swap_words(form) for form in words} | {f.replace("'", "") for f in words}
    )


def crisis_matches(text: str) -> tuple[str, ...]:
    """Names of the crisis patterns found anywhere in `text` (empty when none)."""
    forms = variants(text)
    if any(_mentions_death(form) and _SOMEONE_ELSES.search(form) for form in forms):
        forms = variants(_SOMEONE_ELSES.sub(" ", normalize(text)))
    return tuple(name for name, pattern in CRISIS_PATTERNS.items() if _any_match(pattern, forms))


def _mentions_death(form: str) -> bool:
    return "overdos" in form or "suicid" in form


def _any_match(pattern: re.Pattern[str], forms: Iterable[str]) -> bool:
    return any(pattern.search(form) for form in forms)


def _words(text: str) -> str:
    """Punctuation to spaces (apostrophes kept), so patterns see plain word sequences."""
    return " ".join(word.strip("'") or word for word in _NON_WORD.sub(" ", text).split())


def _swap_words(text: str) -> str:
    return " ".join(_WORD_SWAPS.get(word, word) for word in text.split())
