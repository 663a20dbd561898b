"""steppewatch's collecting layer: the outlet registry, the Scrapy spiders, the ingest steps
every collected piece goes through (``ingest/``, shared with ``steppewatch import``) and
their Scrapy wrappers (``item_steps``), and the record of crawl runs. Builds on ``pipeline``;
never imports ``reports``."""
