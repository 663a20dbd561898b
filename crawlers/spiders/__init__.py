"""Spiders: one shared base per endpoint kind (feed, sitemap, archive, telegram) combined
into ``OutletSpider``; each outlet is its registry entry, not code."""
