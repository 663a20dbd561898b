"""``[core] hostname_callable`` for two Celery workers on one machine: each worker's task
instances report the name in ``STEPPEWATCH_TEST_HOSTNAME`` (as two hosts would report their
own), so a test can tell which worker ran a task. Not for production: there every host has
its own name and Airflow's default (the FQDN) is right."""

from __future__ import annotations

import os
import socket


def from_env() -> str:
    return os.environ.get("STEPPEWATCH_TEST_HOSTNAME") or socket.getfqdn()
