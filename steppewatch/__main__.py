"""``python -m steppewatch``: the same command line as the ``steppewatch`` script."""

from steppewatch.cli import main

main(prog_name="steppewatch")
