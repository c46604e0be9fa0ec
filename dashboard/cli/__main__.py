"""`python -m dashboard.cli ...` = `gridscreen ...`."""

from dashboard.cli import main

main()
