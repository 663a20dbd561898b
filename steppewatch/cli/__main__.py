from steppewatch.cli import main

main(prog_name="steppewatch")
