"""steppewatch reports: weekly aggregates, shift tests, the digest and the dashboard."""
