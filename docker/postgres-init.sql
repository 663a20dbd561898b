-- Runs once, when the postgres volume is created: Airflow's metadata database is the
-- default one (POSTGRES_DB); the project's data lives in its own database.
CREATE DATABASE steppewatch;
