# The steppewatch image: the library, its CLI (`steppewatch`), Airflow 3.3 with the Celery
# executor, and the DAGs. Every service of docker-compose.yml runs it with another command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIRFLOW_HOME=/opt/airflow \
    STEPPEWATCH_VAR_DIR=/opt/steppewatch/var \
    STEPPEWATCH_PROFILE_PATH=/opt/steppewatch/seeds/profile.yaml \
    OMP_NUM_THREADS=1

# tini reaps the crawl child processes (Scrapy runs in one per task) if a task is killed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 50000 --gid 0 airflow

WORKDIR /opt/steppewatch
COPY pyproject.toml README.md LICENSE NOTICE ./
COPY steppewatch ./steppewatch
COPY crawlers ./crawlers
COPY reports ./reports
COPY replayweb ./replayweb
COPY pipeline ./pipeline
# Installed wheels do not carry seeds/: the profile is read from here (STEPPEWATCH_PROFILE_PATH).
COPY seeds ./seeds
# pip of python:3.11-slim is too old to install lxml_html_clean for trafilatura: upgrade first.
# The airflow extra carries the Celery provider for the scaled-out executor; aiosmtpd is the
# mail catcher.
RUN python -m pip install -U pip \
    && python -m pip install ".[airflow]" "aiosmtpd>=1.4,<2"

COPY --chown=airflow:0 dags /opt/airflow/dags
COPY --chmod=0755 docker/init.sh /usr/local/bin/steppewatch-init
RUN mkdir -p /opt/steppewatch/var /opt/airflow/logs /opt/airflow/auth \
    && chown -R airflow:0 /opt/steppewatch/var /opt/airflow \
    && chmod -R g+w /opt/steppewatch/var /opt/airflow

USER airflow
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["steppewatch", "--help"]
