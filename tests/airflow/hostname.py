"""``[core] hostname_callable`` for two Celery workers on one machine: each worker's task
instances report the name in ``TEST_WORKER_HOSTNAME`` (as two hosts would report their
own), so a test can tell which worker ran a task. Not for production: there every host has
its own name and Airflow's default (the FQDN) is right. (Not a STEPPEWATCH_* variable:
the project refuses settings it does not know.)"""

from __future__ import annotations

import os
import socket


def from_env() -> str:
    return os.environ.get("TEST_WORKER_HOSTNAME") or socket.getfqdn()
