#!/bin/sh
# One-shot setup of the compose stack (the airflow-init service); safe to run again:
# migrations are idempotent, the pool and the password file are overwritten.
set -eu

echo "steppewatch-init: Airflow metadata database"
airflow db migrate

echo "steppewatch-init: project database"
steppewatch db upgrade

echo "steppewatch-init: pool steppewatch_crawl (${CRAWL_POOL_SLOTS:-4} slots)"
airflow pools set steppewatch_crawl "${CRAWL_POOL_SLOTS:-4}" \
    "outlets crawled at once by steppewatch_crawl"

# The simple auth manager reads {"user": "password"}; without the file it would invent a
# password and print it in the api-server's log.
: "${AIRFLOW_ADMIN_PASSWORD:?set AIRFLOW_ADMIN_PASSWORD in .env}"
umask 077
python -c 'import json, os, sys; json.dump({os.environ.get("AIRFLOW_ADMIN_USER", "admin"): os.environ["AIRFLOW_ADMIN_PASSWORD"]}, sys.stdout)' \
    > "${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-/opt/airflow/auth/passwords.json}"
echo "steppewatch-init: done"
