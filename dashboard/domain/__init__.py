"""The rules of grid governance, free of any web framework: a case's state as of a moment
(``casestate``), the indicators' declarations (``indicators``), time windows, the writes of the
life cycle (``lifecycle``), category time limits, app presence, the area hierarchy and its
geometry. The codes they speak of are ``dashboard.vocabulary``'s."""
