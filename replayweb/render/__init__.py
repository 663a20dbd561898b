"""Page, feed and sitemap rendering for the replay web, one module per kind of document."""
