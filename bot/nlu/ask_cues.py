"""Cues of preparation and indirect crisis language that call for the direct question.

Clinicians treat preparation (putting affairs in order, finding homes for pets, giving things
away, visiting high places, gathering means) and indirect talk of not being around as a reason
to ask plainly about suicide. Each cue alone is ambiguous, so unlike the safety net it never
pages: a match raises the risk to at least `ask` (resources plus the direct question), and only
raises. The safety net and a sure crisis reading still page.
"""

from __future__ import annotations

import re

from bot.nlu.safety_net import variants

_PET = r"(?:dog|dogs|cat|cats|pets?|puppy|kitten|rabbits?|hamsters?|guinea pigs?|fish|bird|budgie)"
_KIN = (
    r"(?:brother|sister|wife|husband|partner|son|daughter|mum|mam|mom|dad|kids|children|family"
    r"|best friend|friend|neighbour|nan|gran)"
)
_HIGH = (
    r"(?:balcony|(?:foot|rail|road)?bridge|roof|rooftop|ledge|cliffs?|cliff top|quarry"
    r"|multi ?stor(?:e)?y|car park"
    r"|top floor|tower block|railway|train tracks|the tracks|level crossing|platform edge"
    r"|viaduct|motorway bridge)"
)
_DRINK = (
    r"wine|vodka|gin|whisky|whiskey|beer|beers|cider|alcohol|booze|rum|spirits|brandy|tequila"
    r"|cans|pints"
)
_SEDATIVES = (
    r"(?:sleeping (?:tablets|pills)|sleepers|diazepam|valium|zopiclone|temazepam|lorazepam"
    r"|xanax|pregabalin|codeine|co ?codamol|tramadol|morphine|oxycodone|painkillers"
    r"|(?:my|all my|the) (?:tablets|pills|meds|medication))"
)
_BELONGINGS = (
    r"(?:things|stuff|belongings|possessions|clothes|books|records|games|guitar|jewellery"
    r"|jewelry|bike|ring|watch|savings)"
)

_CUES: dict[str, list[str]] = {
    # Putting affairs in order: a will, insurance, passwords, letters, debts, "for after".
    "affairs_in_order": [
        r"\b(?:updated|wrote|written|made|sorted|changed|redone|finished|did|done|doing"
        r"|writing|updating|rewritten|rewrote|drew up|drawn up) (?:out )?my will\b",
        r"\b(?:life insurance|insurance) (?:still )?(?:pays? out|covers|would pay|is valid)\b",
        rf"\bpasswords?\b.{{0,40}}\bfor (?:my )?{_KIN}\b",
        rf"\b(?:letters?|notes?) (?:to|for) (?:each of (?:them|you)|every(?:one|body)|all of"
        rf" (?:them|you)|my {_KIN})\b",
        r"\b(?:for|ready for|sorted for) (?:after|afterwards) (?:i'?m|im) (?:gone|not here)\b",
        r"\b(?:after|when|once) (?:i'?m|im) (?:gone|not here|not around)\b",
        r"\bso (?:nobody|no one|no ?one) (?:has|have|needs?) to (?:sort|deal with|clear|tidy)\b",
        r"\b(?:note|letter|message|card)\b.{0,20}\b(?:saying|to say|that says)\b.{0,10}"
        r"\b(?:thanks for everything|thank you for everything|goodbye|sorry|i love (?:you|them))\b",
        r"\b(?:sort|sorted|sorting) (?:out )?(?:who gets what|my funeral|the funeral)\b",
        r"\b(?:funeral) (?:music|songs?|plans?|wishes)\b",
        r"\b(?:deleted|closed|cancelled|canceled|shut down|wiped) (?:all )?(?:of )?my (?:social"
        r" media|accounts?|facebook|instagram|profiles?)\b.{0,60}\b(?:thank|goodbye|bye|sorry"
        r"|love you)",
    ],
    # Giving possessions away, finding homes for pets "for good".
    "giving_away": [
        rf"\b(?:giving|gave|given|give) (?:away )?(?:all )?(?:of )?(?:my )?(?:\w+ )?{_BELONGINGS}"
        r" away\b",
        rf"\b(?:giving|gave|given) away (?:all )?(?:of )?my (?:\w+ )?{_BELONGINGS}\b",
        r"\bwon'?t (?:be )?need(?:ing)? (?:it|them|these|those|my \w+)"
        r"(?: any ?more| where i'?m going| after)\b",
        rf"\b(?:have|take|keep|collect|look after|looking after|taking|having) (?:the|my|our)"
        rf" {_PET} for good\b",
        rf"\b{_PET}\b.{{0,40}}\b(?:for good|permanently|new (?:home|owner))\b",
        rf"\b(?:new|a) home for (?:the|my|our) {_PET}\b|\brehom(?:e|ed|ing) (?:the|my|our) {_PET}",
        rf"\b(?:transferr?(?:ed|ing)?|moved|moving|signed|signing|handed|handing|gave|given|giving)"
        r" (?:over )?(?:all )?(?:of )?my (?:savings|money|pension|inheritance|house|flat|car"
        rf"|bank account)\b.{{0,25}}\b(?:to|into|over to|in) (?:my |our )?{_KIN}(?:'?s)?\b",
    ],
    # High places and lethal means, looked at, measured, visited, rehearsed.
    "high_places": [
        rf"\b(?:how (?:high|tall|far down)|the drop)\b.{{0,30}}\b{_HIGH}\b",
        rf"\b{_HIGH}\b.{{0,30}}\b(?:how (?:high|tall|far down)|the drop)\b",
        rf"\b(?:sat|stood|sitting|standing|sit|stand)\b.{{0,40}}\b(?:{_HIGH}|edge)\b"
        r".{0,40}\b(?:hours?|ages|a (?:long )?(?:time|while)|just to see|looking down|again)\b",
        rf"\b(?:went|go|going|drove|drive|walked|been) (?:up |back |down )?(?:to|on) (?:the )?"
        rf"(?:top of )?(?:the |a )?{_HIGH}\b.{{0,40}}\b(?:again|just to see|how it felt"
        r"|for (?:a few |several |two |three )?(?:hours|ages|a (?:long )?(?:time|while)))\b",
        r"\bfast trains?\b.{0,20}\b(?:go|going|come|coming|pass|passing) (?:through|past|by)\b",
        r"\b(?:picture|picturing|pictured|imagine|imagining|imagined|keep seeing|thinking about)"
        r"\b.{0,25}\b(?:the drop|the fall|falling(?! (?:in|for|asleep|behind|out|over|apart))"
        r"|hitting the ground|the ground coming)\b",
    ],
    "means": [
        r"\b(?:practis|practic)(?:e|ed|es|ing) (?:tying )?(?:knots|a knot|the knot)\b",
        r"\b(?:knots?|rope|cord|cable|belt|ligature)\b.{0,30}\b(?:banister|beam|loft|hook"
        r"|door frame|take my weight|hold my weight|hold me)\b",
        r"\b(?:sealed|seal|sealing|taped|taping) (?:up )?(?:the )?(?:windows?|doors?|gaps?|vents?)"
        r"\b.{0,30}\b(?:bedroom|room|car|garage)\b",
        r"\b(?:sealed|taped) up the (?:bedroom|room|car|garage)\b",
        r"\b(?:hose ?pipe|hose)\b.{0,30}\b(?:tape|exhaust|car)\b",
        r"\bcharcoal\b.{0,40}\b(?:bedroom|room|car|tape|windows?|sealed)\b",
        r"\b(?:keeping|kept|putting|put|holding|held|saving|collecting|collected|buying"
        r"|bought|getting) (?:\w+ )?(?:my |the |some |extra |more )?(?:tablets|pills|meds"
        r"|medication|paracetamol|painkillers|insulin|sleeping tablets|prescriptions?)"
        r"(?: back| by| aside)?\b.{0,40}\b(?:instead of taking|back|by|aside|different shops"
        r"|different chemists|from (?:several|different|a few) (?:shops|chemists|pharmacies)"
        r"|for when|just in case|in case i need)\b",
        r"\b(?:how many|how much)\b.{0,30}\b(?:it would take|it'?d take|would kill|would be"
        r" enough|is (?:a )?lethal)\b",
        r"\b(?:lethal|fatal|deadly) (?:dose|amount)\b",
        r"\b(?:blade|razor|knife)\b.{0,30}\b(?:out|ready)\b.{0,30}\b(?:bath|bathroom|sitting"
        r"|here|tonight)\b",
        r"\bthe rope from\b|\bwith the rope\b",
        r"\b(?:bought|got|buying|getting|ordered|found) (?:a |some |the )?(?:new |long |strong"
        r" |thick |length of )?rope\b(?! (?:for|to) (?:the |a |my )?(?:washing|clothes|climbing"
        r"|tow|towing|boat|swing|tent|garden|dog|tree ?house|gym|skipping))",
        rf"\b(?:{_DRINK})\b.{{0,30}}\b(?:with|and|on top of|plus|then)\b.{{0,15}}\b{_SEDATIVES}\b",
        rf"\b{_SEDATIVES}\b.{{0,20}}\b(?:with|and|washed down with|on top of)\b.{{0,15}}"
        rf"\b(?:{_DRINK})\b",
        rf"\b(?:a (?:whole )?bottle of|half a bottle of|loads of|a load of|lots of) (?:{_DRINK})\b"
        r".{0,30}\b(?:with|and|on top of|plus)\b.{0,15}\b(?:my |all my |the )?(?:tablets|pills"
        r"|meds|medication)\b",
        r"\b(?:pills|tablets|meds|medication|painkillers|paracetamol|blades|razors?)\b.{0,25}"
        r"\b(?:in a sock|under (?:the|my) (?:bed|mattress|pillow)|in a tin|where nobody looks"
        r"|where no one looks|hidden|so nobody knows|so no one knows)\b",
    ],
    # Signs of harm done: fresh marks, banging a head, scratching till it bleeds.
    "self_harm_signs": [
        r"\b(?:fresh|new) (?:marks|cuts|scars|wounds|burns)\b",
        r"\b(?:hit|hitting|bang|banged|banging|punch|punched|punching|slam|slammed|slamming)"
        r" my head (?:on|against|into)\b",
        r"\b(?:scratch|scratched|scratching|pick|picked|picking) (?:at )?(?:my )?(?:skin|arms?"
        r"|legs?|face) (?:raw|till|until)\b",
        r"\b(?:till|until) (?:it|they) (?:went quiet|bled|bleeds|bruised)\b",
        r"\b(?:cuts|cutting|marks|scars|burns|scratches)\b.{0,25}\b(?:deeper|worse|more often"
        r"|every day|each time)\b",
        r"\b(?:my|myself)\b[^.]{0,60}\b(?:until|till|til) (?:there (?:was|is) |it (?:was|is) "
        r"|they (?:were|are) )?(?:blood|bloody|bled|bleeding|raw)\b",
        r"\b(?:hide|hiding|hid|cover|covering|covered) (?:up )?(?:the |my |all the )?(?:marks"
        r"|cuts|scars|burns|bruises|scratches)\b",
        r"\bso (?:nobody|no one|no ?one|people|they|my \w+) (?:can'?t |won'?t |doesn'?t |don'?t )?"
        r"(?:see|sees|notice|notices|ask|asks about) (?:my |the )?(?:arms|wrists|legs|thighs"
        r"|stomach|marks|cuts|scars|burns)\b",
        r"\b(?:they'?re|they are|those are|these are|it'?s|it is) not (?:really )?(?:\w+ )?"
        r"(?:scratches|cuts|burns|bruises|marks)\b",
        r"\b(?:they|those|these|the (?:scratches|cuts|burns|bruises|marks)) (?:aren'?t|weren'?t"
        r"|are not|were not) (?:really )?(?:\w+ )?(?:scratches|cuts|burns|bruises|marks|from)\b",
    ],
    # Not being around: time horizons, no more check-ins needed, not waking up.
    "not_around": [
        r"\b(?:won'?t|will not|not going to|wont) be (?:around|here|alive)"
        r" (?:(?:by|after|past|at) (?:christmas|new year|the (?:weekend|summer|winter|end)"
        r"|next (?:week|month|year)|my birthday)|for (?:much|very) longer|for long|to see"
        r"|for (?:my|his|her|their|the kids'?|christmas|new year)\b)",
        r"\b(?:don'?t|can'?t) see (?:myself|me) (?:being (?:around|here|alive)|getting through"
        r"|making it|living|surviving|lasting)\b",
        r"\b(?:won'?t|will not|wont) (?:need|have) to (?:message|text|check (?:in )?on|contact"
        r"|worry about) me (?:after|past|much longer|for much longer|soon)\b",
        r"\b(?:nobody|no one|no ?one) will (?:have|need) to worry about me\b",
        r"\btired of waking up\b|\b(?:don'?t|didn'?t) want to wake up\b",
        r"\b(?:hope|hoping|wish) i (?:won'?t|don'?t|wouldn'?t|didn'?t) wake up\b",
        r"\b(?:this is|that'?s|it'?s) (?:the )?end for me\b",
        r"\bready to go now\b|\bmade (?:my )?peace with (?:it|dying|going)\b",
        r"\b(?:pain|hurt|it) (?:to )?stop for good\b|\b(?:i'?ll be|i'?m|be) gone for good\b",
        r"\bwhat'?s the point (?:of|in) me\b|\bno point (?:in )?me\b",
        r"\bsorry for everything\b",
        r"\b(?:nobody|no one|no ?one|anyone|anybody|the kids|my (?:kids|family|mum|mam|mom|dad"
        r"|partner|wife|husband|son|daughter)) (?:\w+ ){0,3}(?:has to |have to |will |won'?t "
        r"|wouldn'?t |would |can'?t |needs? to |doesn'?t have to )?(?:be the ones? (?:who|to) )?"
        r"(?:finds?|finding) me\b",
        r"\b(?:at the |it'?s the |reached the |this is the )?end of the (?:road|line)"
        r" (?:for me|now)\b|\b(?:i'?m|i am|i feel like i'?m) at the end of the (?:road|line)\b",
    ],
    # Preparing in secret.
    "secret_preparation": [
        r"\b(?:haven'?t|not) told (?:anyone|anybody|a soul)\b.{0,40}\b(?:ready|planning|plan"
        r"|prepar\w*|decided)\b",
        r"\b(?:getting|got) (?:everything )?ready for weeks\b",
        r"\b(?:set|picked|chosen|chose|fixed|got) (?:a|the|my) (?:date|day|time)\b.{0,40}"
        r"\b(?:not telling|won'?t tell|not going to tell|nobody knows|no one knows|not saying)\b"
        r"(?! (?:anyone |anybody |people )?(?:yet|till|until)\b)",
        r"\b(?:not telling|won'?t tell|not going to tell) (?:anyone|anybody|you|them) when\b",
        r"\b(?:going|gonna|go|i'?ll go|i will go|about to go|ready to go|decided to go) through"
        r" with it\b",
        r"\b(?:worked out|picked|chosen|choosing|decided on) (?:which|what|the) (?:day|date|time)\b"
        r".{0,40}\b(?:out|empty|alone|nobody|no one)\b",
    ],
    # Feeling a burden: kept around out of pity, bringing only grief, of no use to anyone.
    "burden": [
        r"\bwhat'?s the (?:point|use) (?:of |in )?(?:keeping|having) me\b",
        r"\b(?:put|puts|putting) up with me out of (?:pity|guilt|duty)\b",
        r"\b(?:only|just) (?:put|puts|putting) up with me\b",
        r"\b(?:bring|brings|bringing|brought|cause|causes|causing) (?:\w+ )?(?:nothing but|only)"
        r" (?:grief|pain|trouble|misery|hassle|problems|stress|heartache)\b",
        r"\b(?:dead weight|a drain on (?:everyone|everybody|them|my|people))\b",
        r"\b(?:take|takes|taking) and (?:take|takes|taking)\b.{0,30}\bnothing back\b",
    ],
    # Hopelessness: nothing will change, nobody can help, nothing left, no fight left.
    "hopelessness": [
        r"\bnothing(?:'?s| is)? (?:ever )?(?:going to|gonna|will) (?:ever )?(?:get|be) (?:any )?"
        r"(?:better|ok|okay|different)\b",
        r"\b(?:it'?s|things are|life is|life'?s|i'?m) never (?:going to|gonna) (?:get|be) (?:any )?"
        r"(?:better|ok|okay)\b",
        r"\b(?:no ?one|nobody|nothing) (?:can|will|could) (?:ever )?(?:fix|help|save) me\b",
        r"\b(?:beyond|past) (?:the point of )?(?:help|saving)\b|\bpast the point where\b",
        r"\bwhat'?s (?:even |really |actually )?left for me\b(?! to (?:do|sort|pack|pay|read"
        r"|buy|say|eat|watch))",
        r"\b(?:stopped|given up|gave up|giving up|done|tired of) fighting\b|\bno fight left\b",
        r"\bnothing(?:'?s| is) worth (?:it|the effort|trying|anything)(?: any ?more| now)?\b",
    ],
}
ASK_CUE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _CUES.items()
}


def ask_cues(text: str) -> tuple[str, ...]:
    """Names of the cue families found in `text` (empty when none)."""
    forms = variants(text)
    return tuple(
        name for name, pattern in ASK_CUE_PATTERNS.items() if any(pattern.search(f) for f in forms)
    )
