"""The ask cues in Spanish: preparation and indirect talk of not being around (see ask_cues.py).

Read over the Spanish net's spellings (accents dropped, abbreviations written out). A match
raises the risk to at least `ask` (resources and the direct question); it never pages.
"""

from __future__ import annotations

import re

from bot.nlu.safety_net_es import variants_es

_KIN = r"(?:hijos|hijas|hijo|hija|familia|madre|padre|pareja|marido|mujer|hermanos?|hermanas?)"
# "No podía más de risa": laughing, hunger or sleep, not despair.
NOT_LAUGHING = r"(?! de (?:risa|hambre|sueno|cansancio|frio|calor|ganas))"
_CUES: dict[str, list[str]] = {
    # Putting affairs in order, goodbyes and letters.
    "affairs_in_order": [
        r"\b(?:dejarlo|dejado|dejar) todo (?:arreglado|en orden|preparado|atado)\b",
        r"\b(?:tengo|tenerlo|dejado) todo preparado para (?:irme|cuando no este)\b",
        r"\b(?:he hecho|hice|hacer) (?:el|mi) testamento\b",
        rf"\b(?:he dejado|dejado|escrito|escribi) (?:una )?cartas? (?:a|para)"
        rf" (?:mis |mi )?{_KIN}\b",
        r"\b(?:perdon|perdonadme|perdoname|perdonenme) por todo\b.{0,40}\b(?:os quiero|te quiero"
        r"|los quiero|adios)\b",
        r"\bperdonadme\b.{0,20}\bos quiero\b",
        # Messages left for family: "dile a mi madre que la quiero", "diles que lo siento".
        rf"\bdi(?:le|les|gale|ganle) a (?:mi |mis )?{_KIN} que (?:lo siento|l[ae]s? quiero"
        r"|me perdone|me perdonen)\b",
        r"\bdiles que (?:lo siento|los quiero|les quiero)\b",
    ],
    # Giving away what matters, finding a home for a pet.
    "giving_away": [
        r"\b(?:regalando|regale|he regalado|regalar) (?:todas )?mis cosas\b",
        r"\b(?:busco|buscando|buscar) (?:casa|hogar|dueno|familia) (?:para|a) mi (?:perro|gato"
        r"|mascota|perrita|gatita)\b",
    ],
    # Not being around: horizons, disappearing, not needing to be checked on.
    "not_around": [
        r"\bno (?:voy a|vaya a|creo que vaya a) estar (?:aqui|por aqui|viv[oa]) (?:para|en|el"
        r" ano|mucho)\b",
        r"\b(?:quiero|quisiera|ganas de) desaparecer\b",
        r"\b(?:todo|esto) (?:acabara|terminara|se acabara) pronto\b",
        r"\bno (?:tendras|tendreis|vais a tener|vas a tener|tendran) que (?:preocuparte|preocuparos"
        r"|escribirme|preguntarme) (?:mas|por mi)\b",
        r"\bmanana ya no (?:estare|voy a estar)\b",
    ],
    # Means at hand, named with an intent towards the writer.
    "means": [
        r"\b(?:cuchillo|cuchilla|pastillas|cuerda)\b.{0,30}\b(?:conmigo|contra mi|usarlo en mi)\b",
    ],
    # Deciding in secret.
    "secret_preparation": [
        r"\bya lo (?:tengo|he) decidido\b",
        r"\bnadie (?:lo )?sabe (?:lo que voy a hacer|que lo voy a hacer)\b",
    ],
    # Feeling a burden.
    "burden": [
        r"\bsobro (?:en|aqui)\b|\b(?:solo|nada mas) (?:doy|causo|traigo) problemas\b",
    ],
    # Hopelessness.
    "hopelessness": [
        r"\bnada (?:va a|vaya a) mejorar\b|\bnunca (?:va a|vaya a) mejorar\b",
        r"\bnadie (?:me )?puede ayudar(?:me)?\b|\bno hay salida\b",
        rf"\b(?:ya no puedo|no (?:podia|pude)) mas\b{NOT_LAUGHING}|\bno aguanto mas$",
    ],
}
ASK_CUE_PATTERNS_ES: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _CUES.items()
}


def ask_cues_es(text: str) -> tuple[str, ...]:
    """Names of the Spanish cue families found in `text` (empty when none)."""
    forms = variants_es(text)
    return tuple(
        name
        for name, pattern in ASK_CUE_PATTERNS_ES.items()
        if any(pattern.search(form) for form in forms)
    )
