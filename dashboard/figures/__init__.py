"""What screens, the API and exports read, computed from ``dashboard.domain``'s rules: every
indicator (``metrics``), lists and files of cases, a case file, a grid's profile, field work, the
rolling feed, the values each map colours and the geometry it draws. Read-only."""
