"""The crisis safety net in Spanish: the English net's families, over Spanish as it is texted.

Accents and the tilde are dropped ("ojalá" and "ojala" agree), punctuation (¿¡) becomes space,
stretched letters are cut, and the usual abbreviations and misspellings are written out (q, k,
xq, tb, kiero, suisidio). High precision: each pattern names the writer's own death, harm or
danger; hyperbole ("me muero de risa", "el jefe me va a matar") matches none. A match can only
raise risk, like the English net's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.nlu.readable import strip_marks
from bot.nlu.safety_net import normalize

_NON_WORD = re.compile(r"[^\w]+")
_STRETCHED = re.compile(r"(\w)\1{2,}")
# "kiero" -> "quiero", "ke" -> "que": k before e or i is qu in texting.
_K_BEFORE_EI = re.compile(r"\bk(?=[ei])")
_WORD_SWAPS = {
    "q": "que",
    "k": "que",
    "xq": "porque",
    "pq": "porque",
    "xk": "porque",
    "porq": "porque",
    "tb": "tambien",
    "tmb": "tambien",
    "tbn": "tambien",
    "x": "por",
    "d": "de",
    "toy": "estoy",
    "toi": "estoy",
    "ta": "esta",
    "tamos": "estamos",
    "pa": "para",
    "nse": "no se",
    "mrir": "morir",
    "morirm": "morirme",
    "matarm": "matarme",
    "suisidio": "suicidio",
    "sucidio": "suicidio",
    "suicido": "suicidio",
    "suisidarme": "suicidarme",
    "sucidarme": "suicidarme",
    "pastis": "pastillas",
}

VIVE = r"(?:vivir|viviendo|viv[oa]|estar viv[oa])"
PILLS = r"(?:pastillas|pildoras|medicinas|medicamentos|calmantes|somniferos|antidepresivos)"
PARTNER = r"(?:pareja|marido|novio|novia|ex|esposo|esposa|mujer|padre|padrastro|madre|hermano|hijo)"

# "Mi madre me va a matar si llego tarde": a condition on an everyday slip is hyperbole.
NOT_IF = r"(?! (?:si|cuando|como) (?:no |llego|pierdo|rompo|olvido|se entera|ve|lo ve|vuelvo))"

_ALTERNATIVES: dict[str, list[str]] = {
    "suicide": [r"\bsuicid", r"\bideas? suicidas?\b"],
    "kill_myself": [
        r"\b(?:quiero|quisiera|queria|voy a|vaya a|pienso|pensando en|ganas de|deberia"
        r"|intentar|intente|he decidido|para) matarme\b",
        r"\bme (?:voy a|quiero|queria|podria|deberia) matar\b",
        r"\b(?:pensado|pensando|pienso) (?:en |como )matarme\b",
        r"\b(?:esta noche|hoy|manana|ya) me mato\b|\bme mato (?:hoy|esta noche|ya|manana)\b",
        r"\b(?:quitarme|me quito|me voy a quitar) (?:la vida|de en medio)\b",
        r"\bcolgarme\b|\bahorcarme\b|\bme voy a (?:colgar|ahorcar)\b",
    ],
    "want_to_die": [
        r"\b(?:quiero|quisiera|queria|deseo|prefiero|necesito|ganas de) morir(?:me)?\b",
        r"\bme (?:quiero|quisiera) morir\b|\bmejor me muero\b",
        r"\bojala (?:me muera|me muriera|estuviera muert[oa]|no hubiera nacido|no despertar"
        r"|no despierte|no me despierte)\b",
        r"\b(?:estaria|estar|prefiero estar|quiero estar) mejor muert[oa]\b|\bmejor muert[oa]\b",
        r"\b(?:prefiero|quiero) estar muert[oa]\b",
        r"\b(?:dejar de|no quiero) existir\b",
    ],
    "end_my_life": [
        r"\b(?:acabar|terminar|termino|acabo|terminare|acabare) con (?:mi vida|todo)\b"
        r"(?! (?:el|lo|la|los|las|esto|eso|mi trabajo)\b)",
        r"\bponer fin a mi vida\b",
        r"\bquiero que todo (?:termine|acabe|se acabe) para siempre\b",
        r"\besta noche lo hago\b",
    ],
    "done_with_life": [
        rf"\bno quiero (?:seguir )?{VIVE}\b",
        r"\bno quiero seguir (?:aqui|en este mundo)\b|\bno quiero seguir$",
        r"\bcansad[oa] de (?:vivir|estar viv[oa]|la vida)\b",
        r"\bno (?:puedo|aguanto) mas con (?:la|mi|esta) vida\b",
        rf"\bno soporto (?:seguir )?{VIVE}\b",
        r"\b(?:irme|me quiero ir|ya no quiero estar) (?:de|en) este mundo\b",
        r"\bno quiero despertar(?:me)?\b|\bdormir(?:me)? y no despertar\b",
        r"\bojala no despertar(?:me)?\b",
    ],
    "no_reason_to_live": [
        r"\b(?:no tengo|sin) (?:razones?|motivos?) (?:para|por (?:los )?que) vivir\b",
        r"\bno (?:le )?(?:veo|encuentro) (?:el )?sentido a (?:vivir|la vida|seguir viviendo)\b",
        r"\b(?:la vida|vivir) no (?:vale|merece) la pena\b|\bno (?:vale|merece) la pena"
        r" (?:seguir )?vivi(?:r|endo)\b",
        r"\b(?:vivir|mi vida) no tiene (?:ningun )?sentido\b",
        r"\bno tengo por (?:que|quien) vivir\b",
        r"\bla muerte es la unica salida\b|\bsolo (?:la|queda la) muerte\b",
    ],
    "better_off_without_me": [
        r"\b(?:estarian|estaria|estarias|estarian todos|vivirian) mejor sin mi\b",
        r"\bnadie me (?:echaria|echara|va a echar) de menos\b",
        r"\bnadie notaria si me fuera\b",
        r"\bmejor si (?:yo )?no (?:estuviera|existiera)\b",
    ],
    "burden": [r"\bsoy (?:una|un) (?:carga|estorbo)\b", r"\bun estorbo para todos\b"],
    "goodbye_forever": [
        r"\badios para siempre\b|\besta es mi despedida\b|\bcartas? de despedida\b",
        r"\beste es mi ultimo mensaje\b(?!.{0,40}\b(?:antes de|hasta)\b)",
        r"\bno (?:volvereis|volveran|vas a volver|vais a volver) a saber de mi\b",
        r"\bultima vez que (?:os |te )?escribo\b",
    ],
    "overdose": [
        r"\bsobredosis\b",
        rf"\b(?:tome|tomado|trague|tragado|bebi) (?:todas (?:las|mis)|un bote (?:entero )?de"
        rf"|una caja (?:entera )?de|la caja entera de|un monton de|\d+) {PILLS}\b",
        rf"\b{PILLS} (?:preparadas|guardadas|escondidas)\b|\b(?:guardado|juntado|ahorrado)"
        rf" {PILLS}\b",
        rf"\bme (?:he )?pas(?:e|ado) con (?:las|mis) {PILLS}\b",
    ],
    "self_harm": [
        r"\bautolesi",
        r"\b(?:me he|he|volvi a|vuelto a|ganas de|quiero|voy a) (?:vuelto a )?cortarme\b",
        r"\bme (?:he )?(?:vuelto a )?cort(?:o|e|ado|ar) (?:otra vez|los brazos|las munecas"
        r"|las piernas|la piel|a proposito|de nuevo)\b",
        r"\b(?:hacerme|me estoy haciendo|me hago) dano(?! en (?:la|el) (?:rodilla|espalda"
        r"|tobillo|pie|mano))\b",
        r"\bme (?:he )?(?:hecho|hago) (?:cortes|heridas)\b|\bhaciendo (?:cortes|heridas)\b",
        r"\b(?:rajado|cortado|cortarme) las (?:munecas|venas)\b",
        r"\bme quem(?:o|e|ado) .{0,30}a proposito\b",
    ],
    "method": [
        r"\b(?:tirarme|me voy a tirar|me quiero tirar|saltar|me tiro) (?:del|de la|desde el"
        r"|desde la|por la|por el|a las|al) (?:puente|azotea|ventana|balcon|edificio|vias"
        r"|tren|acantilado|metro)\b",
        r"\b(?:azotea|puente|borde)\b.{0,40}\bsaltar\b",
        r"\b(?:he comprado|ya tengo|tengo) (?:una|la) cuerda\b",
        r"\bcomo (?:hacerlo|matarme|morir) sin dolor\b|\bya se como lo voy a hacer\b",
        r"\bhe elegido el dia\b",
        r"\bconducir contra un (?:muro|arbol)\b",
    ],
    "danger_from_other": [
        rf"\bmi {PARTNER} (?:\w+ ){{0,6}}?(?:amenazado con matarme|amenaza con matarme"
        rf"|me va a matar|me quiere matar|me pega|me ha pegado|me esta pegando)\b{NOT_IF}",
        r"\bme (?:esta|estan) pegando\b|\bamenazado con matarme\b",
        r"\b(?:dice|dicho|dijo|jura|jurado|amenaza|amenazado|amenazo) (?:que )?(?:me va a|va a)"
        rf" matar(?:me)?\b{NOT_IF}",
        r"\bno estoy segur[oa] en (?:mi )?casa\b|\b(?:temo|miedo) por mi vida\b",
    ],
}
CRISIS_PATTERNS_ES: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _ALTERNATIVES.items()
}


@lru_cache(maxsize=256)
def variants_es(text: str) -> frozenset[str]:
    """Spellings of one message the Spanish patterns are tried on: accents dropped, punctuation
    as space, stretched letters cut to one and to two, abbreviations written out."""
    base = " ".join(_NON_WORD.sub(" ", strip_marks(normalize(text))).split())
    forms = {base, _STRETCHED.sub(r"\1", base), _STRETCHED.sub(r"\1\1", base)}
    forms |= {_K_BEFORE_EI.sub("qu", form) for form in forms}
    return frozenset(forms | {_swap_words(form) for form in forms})


def crisis_matches_es(text: str) -> tuple[str, ...]:
    """Names of the Spanish crisis patterns found anywhere in `text` (empty when none)."""
    forms = variants_es(text)
    found = CRISIS_PATTERNS_ES.items()
    return tuple(name for name, pattern in found if any(pattern.search(f) for f in forms))


def _swap_words(text: str) -> str:
    return " ".join(_WORD_SWAPS.get(word, word) for word in text.split())
