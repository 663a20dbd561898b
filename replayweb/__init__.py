"""The replay web: a local HTTP server of synthetic outlets for tests, benchmarks and the demo.

    with ReplayServer() as srv:          # background thread on 127.0.0.1, a free port
        srv.url, srv.manifest_url        # registry manifest at /replay/outlets.yaml
    ground_truth()                       # what a perfect crawl and analysis should find

Every text is written for the project and labelled synthetic. See README.md here.
"""

from replayweb.corpus import build_corpus
from replayweb.server import ReplayServer
from replayweb.truth import ground_truth

__all__ = ["ReplayServer", "build_corpus", "ground_truth"]
