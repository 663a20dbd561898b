"""What a news flash is about, in words that do not depend on how it is worded.

Two channels rewording one event share few words ("полигон Отар" / "Алматинская область",
"Анкара" / "Турция", a Russian flash and its Kazakh version), but they name the same states,
the same people and bodies, and the same kind of happening. ``signature`` reads those from a
short post with the profile's matcher (aliases in Russian, Kazakh and English, inflected
forms) and a small lexicon of kinds of happening (exercise, signing, purchase, visit, session,
statement, ...), and ``crawlers.ingest.stories`` compares signatures.

States are the profile's partners named in the post plus those its people and bodies stand
for (Шойгу -> RUS, Otokar -> TUR); Kazakhstan's own are not counted (every post is about
Kazakhstan). Places (venues and other locations of the profile) are kept apart from other
names: two different cities mean two different events, while one city named on one side only
is just more detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.analysis.matcher import get_matcher
from pipeline.profile import Entity, Partner, Profile, load_profile

# Kinds of happening, as stems of Russian and Kazakh wording (lower case, ё as е). A post may
# have several; two posts about one event share at least one.
KINDS: dict[str, str] = {
    "exercise": r"учени|маневр|стрельб|жаттығ",
    "agreement": r"подпис|соглашен|меморандум|договор|план\w* (военн\w* )?сотрудн|ратифи|утверд"
                 r"|келісім|қол қой|жоспар",
    "procurement": r"закуп|купит|купил|покупк|постав|контракт|приобр|сатып ал|келісімшарт"
                   r"|жеткіз|парти",
    "delivery": r"получил|передал|прибыл\w* (перв|втор)|принят|встретил|қабылда|берді|тапсыр"
                r"|безвозмездн",
    "visit": r"визит|переговор|встрет|встреч|принял|обсуд|обсужд|сапар|кездес|келіссөз"
             r"|талқыла|прибыл",
    "session": r"саммит|заседан|сесси|совещан|совет\w* (министр|безопас|коллект)|отырыс|кеңес"
               r"|жиын|съезд|форум",
    "statement": r"заяв|пригроз|предупред|назвал|угроз|ответ\w* мер|мәлімде|қатер|қауіп|ескерт"
                 r"|деп атады|жауап шара|высказал|прозвучал",
    "training": r"обучен|курсант|подготовк|учеб|академи|переподгот|оқу|даярла|тағылымдама"
                r"|университет",
    "contest": r"армейск\w* игр|арми\b|конкурс|биатлон|чемпионат|армия ойын|байқау|финал",
    "strike": r"удар|обстрел|ракет|соққы|зымыран|орешник",
    "court": r"\bсуд|приговор|осужд|арест|\bсот\b|үкім",
    "terror": r"теракт|террор|ячейк|подрыв|экстремист",
    "peacekeeping": r"миротвор|бітімгер|undof|голан",
    "appointment": r"назнач|тағайында|освобожд",
    "incident": r"беспилотник|дрон|пво|неопознан|сбит|әуе шабуыл",
    "parade": r"парад|шеру",
    "exhibition": r"выставк|экспозици|көрме|kadex",
    "deal": r"сделк|контракт|келісімшарт|заключ",
}
_KINDS = {kind: re.compile(pattern) for kind, pattern in KINDS.items()}
# Kazakhstan itself and its catch-all bodies: named in nearly every post, they tell nothing.
_GENERIC = frozenset({"KAZ", "kz_mod", "kz_armed_forces", "kz_places"})
_DEFENCE_HITS = frozenset({"defence", "defence_intl", "war"})
# Kinds of happening that are defence matters whatever words carry them ("учению" alone).
_MILITARY_KINDS = frozenset({"exercise", "strike", "peacekeeping", "parade"})


@dataclass(frozen=True, kw_only=True)
class Signature:
    states: frozenset[str]  # partner ids, named or stood for by a person or body
    names: frozenset[str]  # people and bodies of the profile (not places, not Kazakhstan)
    places: frozenset[str]  # the profile's places
    kinds: frozenset[str]  # kinds of happening (KINDS)
    military: bool  # a defence matter is named (arms, armed forces, war, an exercise)


EMPTY = Signature(states=frozenset(), names=frozenset(), places=frozenset(),
                  kinds=frozenset(), military=False)


def signature(text: str, profile: Profile | None = None) -> Signature:
    profile = profile or load_profile()
    hits = get_matcher(profile).match(text)
    states: set[str] = set()
    names: set[str] = set()
    places: set[str] = set()
    military = False
    for hit in hits:
        if hit.kind == "partner":
            states.add(hit.id)
            found = profile.lookup(hit.id)
            military |= isinstance(found, Partner) and found.military
        elif hit.kind == "entity" and hit.id not in _GENERIC:
            entity = profile.lookup(hit.id)
            if not isinstance(entity, Entity):
                continue
            (places if entity.venue or entity.type == "LOC" else names).add(hit.id)
            if entity.partner and not entity.home:
                states.add(entity.partner)
            military |= entity.military
        elif hit.kind in _DEFENCE_HITS:
            military = True
    low = text.lower().replace("ё", "е")
    kinds = {kind for kind, rx in _KINDS.items() if rx.search(low)}
    return Signature(states=frozenset(states), names=frozenset(names),
                     places=frozenset(places), kinds=frozenset(kinds),
                     military=military or bool(kinds & _MILITARY_KINDS))
