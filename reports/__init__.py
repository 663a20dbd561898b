"""steppewatch's reporting layer: weekly series and shift tests, the brief and its delivery,
and the dashboard. Builds on ``pipeline``; never imports ``crawlers``."""
