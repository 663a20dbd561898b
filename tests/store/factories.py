"""Synthetic articles for storage tests and benchmarks (Cyrillic and Kazakh text)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from pipeline.store.articles import ArticleRecord, OutletRecord

OUTLETS = [
    OutletRecord(id="replay-kz", name="Replay KZ", country="KZ", languages=("ru", "kk"),
                 group="kz_state"),
    OutletRecord(id="replay-ru", name="Replay RU", country="RU", languages=("ru",),
                 group="ru_state"),
]

RU = ("Министерство обороны Республики Казахстан и Министерство обороны Соединённого "
      "Королевства подписали план военного сотрудничества на 2025–2026 годы. ")
KK = ("Қазақстан Қорғаныс министрлігі Ұлыбританиямен әскери ынтымақтастық жоспарына қол "
      "қойды; Түркиямен бірлескен жаттығулар өтеді. ")


def article(i: int, *, outlet: str = "replay-kz", lang: str = "ru", paragraphs: int = 6,
            seed: int = 0) -> ArticleRecord:
    rnd = random.Random(seed * 1_000_003 + i)
    base = RU if lang == "ru" else KK
    body = "\n".join(f"{base} №{i}.{p} " + " ".join(str(rnd.randint(0, 10**6)) for _ in range(5))
                     for p in range(paragraphs))
    when = datetime(2025, 6, 1, tzinfo=UTC) + timedelta(minutes=17 * i)
    return ArticleRecord(
        canonical_url=f"https://{outlet}.example/news/{i}", url=f"https://{outlet}.example/news/{i}?utm_source=x",
        outlet_id=outlet, source_kind="feed", lang=lang,
        title=f"Новость {i}: Казахстан и Великобритания" if lang == "ru" else f"Жаңалық {i}: Қазақстан",
        text=body, published_at=when, date_source="page", fetched_at=when + timedelta(hours=1),
        html=f"<html><body><p>{body}</p></body></html>", extra={"views": i})
