"""steppewatch crawlers: the outlet registry and the Scrapy spiders that collect articles."""
