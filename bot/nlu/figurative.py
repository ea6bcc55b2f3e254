"""Everyday idioms built on death words ("killing it", "to die for") that are not a crisis.

They only temper the classifier's crisis reading, and only when no danger word is left outside
them; they never override the safety net.
"""

from __future__ import annotations

import re

from bot.nlu.safety_net import NOT_DRUGS, variants

_THING = (
    r"(?:laptop|phone|battery|car|plant|plants|starter|sourdough|tv|telly|computer|printer"
    r"|wifi|internet|fish|goldfish|bulb|charger|engine|router|headphones|conversation|joke"
    r"|kettle|hoover|fridge|freezer|dishwasher|washing machine|boiler|toaster|microwave|kindle"
    r"|ipad|mouse|keyboard|fitbit|remote|torch|speaker|earbuds|airpods|xbox|playstation"
    r"|houseplant|cactus|basil|sat ?nav|smoke alarm)"
)
_IDIOMS: dict[str, list[str]] = {
    "laughing": [
        r"\b(?:died|dying|dead|die|killed me|killing me|kill me)\b.{0,20}\blaugh",
        r"\b(?:died|dying|dead)\b.{0,12}\b(?:lol|lmao|haha|😂|🤣)",
        # The longer reading first, so cutting idioms out also removes the "died" after it.
        r"\bin stitches\b.{0,30}\b(?:died|dying|dead)\b",
        r"\b(?:lol|lmao|haha)\b.{0,12}\b(?:i'?m|im) dead\b|\bin stitches\b",
        r"\blaugh\w* (?:so (?:hard|much)|till|until)\b.{0,25}\b(?:died|dying|dead|die)\b",
    ],
    "wanting": [
        r"\b(?:kill|murder|die) for (?:a|an|some)\b",
        r"\b(?:to die for|dying to|dying for (?:a|an|some))\b",
        r"\bcould (?:murder|kill|eat) (?:a|an|some)\b|\b(?:i'?d|i would) murder (?:a|an|some)\b",
    ],
    "hyperbole": [
        r"\b(?:will|would|'?ll|going to|gonna) be the death of me\b",
        r"\b(?:is|are|'?s|'?re|was|were) (?:slowly |absolutely |literally |really )?(?:killing"
        r"|murdering) me\b",
        r"\bkill(?:ing|ed)? it\b",
        r"\bkilled (?:my|the|that) (?:presentation|exam|interview|set|game)\b",
        r"\b(?:dead|deadly) (?:tired|busy|serious|bored|funny|good|jealous|chuffed|proud|excited"
        r"|nervous|easy|nice|lucky|happy|keen|hard|quick|quiet|posh|cheap|pleased|annoyed|impressed"
        r"|chuffed|sweet|cute|handy|simple|boring)\b|\bbored to death\b",
        r"\bdead man walking\b|\b(?:slept|sleep|sleeping) like the dead\b|\bdead to the world\b",
        r"\b(?:will|'?ll|is going to|'?s going to|gonna) have my (?:head|guts)\b",
        r"\b(?:cooking|roasting|boiling|baking|frying|melting) (?:me |us )?alive\b",
        r"\b(?:that|it|this|which)(?:'?ll| will| would|'?d| could) be the end of (?:my|our)"
        r" (?!life\b|lives\b)\w+",
        r"\bso (?:bad|boring|dull|long|slow|tedious|awful)\b.{0,30}\blos(?:t|e|ing) the will to"
        r" live\b",
        rf"\boverdos(?:e|ed|ing) on {NOT_DRUGS}\b",
        r"\bkill (?:my|the) (?:sobriety|mood|vibe|buzz|time)\b",
        r"\bkilled (?:a|the|half a|a whole) (?:bottle|pint|pack|box|tub|six ?pack)\b",
        r"\bscared (?:me )?to death\b|\bover my dead body\b",
        r"\b(?:died|die|dying|dead) of (?:embarrassment|shame|boredom|laughter|cringe|fright"
        r"|shock|thirst|hunger)\b",
        # "My mum will kill me if I forget": family and bosses, never partners (a real threat).
        r"\b(?:mum|mam|mom|nan|gran|grandma|boss|teacher|sister|brother|mates?|friends?|coach"
        r"|manager)s?\b.{0,15}\b(?:will|'?ll|would|'?d|is going to|'?s going to|going to|gonna)"
        r" (?:kill|murder) me(?: if| when|,? i (?:forgot|broke|lost|spilt|spilled|ate|missed|dented"
        r"|scratched|left))\b",
        r"\b(?:heat|cold|weather|traffic|commute|job|work|deadline|week|humidity|hangover|diet"
        r"|gym|exams?|rota|shifts?|meeting|queue|hayfever|flu|run|class|session|workout)"
        r" (?:is|are|'?s|'?re|will|'?ll) (?:going to |gonna )?kill me\b",
        r"\b(?:legs|feet|arms|back|hands|knees|calves|thighs|muscles) (?:are|is|were|was|feel"
        r"|felt) (?:absolutely |completely |totally )?dead\b",
    ],
    # Tiredness and boredom, which a classifier reads as despair when it has not seen them.
    "weariness": [
        r"\brunning on empty\b|\bbored out of my (?:skull|mind|brain|tree|head)\b",
        r"\b(?:doing|does|did) my head in\b",
        r"\bdrowning in (?!(?:the |a |my )?(?:sea|river|lake|canal|bath|water|pool)\b)\w+",
        r"\b(?:feel|feels|felt|feeling) like (?:i'?ve been |i was |i got |i'?d been )?(?:hit|run"
        r" over|knocked down|flattened) by a (?:bus|truck|lorry|train|car|steamroller|tractor)\b",
        r"\b(?:run|running|ran|move|moving|escape|escaping) (?:away |off )?to (?:a desert island"
        r"|the hills|the moon|mars|a cabin|a remote island)\b",
    ],
    "things": [
        rf"\b{_THING}(?:'?s)?\b.{{0,40}}\b(?:died|dead|is dying|just died"
        r"|(?:will|it'?ll|'ll|gonna|going to|about to) die|die any (?:day|minute|second|time))\b",
        rf"\b(?:killed|kill) (?:the|a|that|my|our)"
        rf" (?:wasp|spider|fly|bug|mosquito|weeds?|{_THING})\b",
    ],
}
FIGURATIVE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _IDIOMS.items()
}
_ANY_IDIOM = re.compile("|".join(f"(?:{p})" for ps in _IDIOMS.values() for p in ps))
# Words that still carry danger once the idioms are cut out ("my phone died and i want out").
_DANGER_LEFT = re.compile(
    r"\b(?:die|dies|died|dying|dead|death|kill\w*|murder\w*|suicid\w*|unaliv\w*|kms|kys"
    r"|end (?:it|things|everything|my)|ending|over for me|gone|goodbye|bye forever|last message"
    r"|pills?|tablets?|meds|overdos\w*|od|blades?|razors?|rope|noose|bridge|jump\w*|ledge|roof"
    r"|hurt\w*|harm\w*|cut\w*|burn(?:ing|t|ed)? (?:myself|my)|bleed\w*|blood"
    r"|burden|without me|disappear\w*|not (?:be )?here|alive|living|to live|exist\w*"
    r"|can'?t (?:do|take|go|cope|keep|carry|face|stand|bear)|no (?:point|hope|way out|future)"
    r"|point|pointless|hopeless|why bother|give up|gave up|given up|want out|done with"
    r"|had enough|anymore|any more"
    r"|unsafe|not safe|scared|afraid|threat\w*|hit me|hits me|beat\w* me)\b"
)


def figurative_matches(text: str) -> tuple[str, ...]:
    """Names of the idiom families that explain every death word in `text`.

    Empty when no idiom is found, or when danger words remain once the idioms are cut out:
    an idiom next to "i can't go on" explains nothing away.
    """
    forms = variants(text)
    cut = [_ANY_IDIOM.subn(" ", form) for form in forms]
    # Most messages hold no idiom: one pass over each spelling answers them.
    if not any(count for _, count in cut) or any(_DANGER_LEFT.search(rest) for rest, _ in cut):
        return ()
    return tuple(
        name
        for name, pattern in FIGURATIVE_PATTERNS.items()
        if any(pattern.search(form) for form in forms)
    )
