"""`python -m dashboard.cli ...` = `gridscreen ...`."""

from . import main

main()
