"""The dashboard of trend counts: a read-only web page over the store (``create_app``)."""

from reports.dashboard.app import create_app

__all__ = ["create_app"]
