"""Everyday Spanish idioms built on death words ("me muero de risa", "está de muerte").

Like figurative.py they only temper the classifier's crisis reading, and only when no danger
word is left once they are cut out; they never override a safety net.
"""

from __future__ import annotations

import re

from bot.nlu.safety_net_es import variants_es

_FEELING = (
    r"(?:risa|sueno|hambre|frio|calor|ganas|verguenza|envidia|aburrimiento|miedo|sed|pena"
    r"|amor|asco|cansancio|nervios|curiosidad|celos|susto)"
)
_THING = (
    r"(?:movil|telefono|bateria|portatil|ordenador|coche|planta|plantas|wifi|internet|tele"
    r"|cargador|impresora|tablet|nevera|lavadora|bombilla|cafetera|router|pila|pilas)"
)
_HYPERBOLE = (
    r"(?:calor|frio|jefe|jefa|trabajo|curro|examen|examenes|semana|dieta|gimnasio|trafico"
    r"|resaca|espalda|zapatos|pies|piernas|curiosidad|madre|padre|profe|profesora|profesor"
    r"|horario|turno|reunion|cola|humedad)"
)
_IDIOMS: dict[str, list[str]] = {
    "laughing": [
        r"\b(?:me muero|me mori|me moria|muert[oa]s?|morirme|morir|morirse) de risa\b",
        r"\b(?:reido|reir|llorado|llorar) (?:de risa )?hasta morir\b",
    ],
    "feeling": [
        rf"\b(?:me muero|me estoy muriendo|me mori|me moria|muert[oa]s?|morirme) de {_FEELING}\b",
        rf"\bme mata (?:la|el) {_FEELING}\b",
    ],
    "delicious": [r"\b(?:esta|estaba|estan|es) de muerte\b", r"\bpara morirse\b"],
    "hyperbole": [
        rf"\b(?:el|la|los|las|este|esta|estos|estas|mi) {_HYPERBOLE}\b.{{0,20}}"
        r"\bme (?:mata|matan|esta matando|estan matando|va a matar|van a matar)\b",
        rf"\bme (?:mata|matan|esta matando|estan matando) (?:el|la|los|las) {_HYPERBOLE}\b",
        r"\bme va a matar si\b",
    ],
    "things": [
        rf"\b{_THING}\b.{{0,30}}\b(?:se (?:esta )?muriendo|esta muriendo|se (?:ha )?muerto"
        r"|murio|muerto|muerta|se muere)\b",
    ],
}
FIGURATIVE_PATTERNS_ES: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _IDIOMS.items()
}
_ANY_IDIOM = re.compile("|".join(f"(?:{p})" for ps in _IDIOMS.values() for p in ps))
# Words that still carry danger once the idioms are cut out.
_DANGER_LEFT = re.compile(
    r"\b(?:morir\w*|muer\w*|mat(?:ar|arme|o|e)\b|suicid\w*|vivir|vida|pastillas|cort\w*"
    r"|dano|despedida|adios|desaparecer|acabar|no puedo mas|no aguanto|carga|sin mi)\b"
)


def figurative_matches_es(text: str) -> tuple[str, ...]:
    """Names of the Spanish idiom families that explain every death word in `text` (empty
    when none, or when danger words remain once they are cut out)."""
    forms = variants_es(text)
    cut = [_ANY_IDIOM.subn(" ", form) for form in forms]
    if not any(count for _, count in cut) or any(_DANGER_LEFT.search(rest) for rest, _ in cut):
        return ()
    return tuple(
        name
        for name, pattern in FIGURATIVE_PATTERNS_ES.items()
        if any(pattern.search(form) for form in forms)
    )
