"""`python -m droneworks` runs the command-line interface."""

from droneworks.cli.main import main

main()
