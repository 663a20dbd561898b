"""Stories across channels: reworded short posts about the same event join one story.

Placeholder until the matcher lands: no match.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from crawlers.items import ArticleItem


@dataclass(frozen=True, kw_only=True)
class StoryMatch:
    article_id: int
    cluster_id: int
    score: float


def find_story(engine: Engine, item: ArticleItem) -> StoryMatch | None:
    return None
