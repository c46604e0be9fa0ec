"""Meeting materials: print-quality charts (PNG, SVG, PDF), the weekly bulletin (周通报) as a
PowerPoint deck, an Excel workbook and a zip of the charts.

``browser``   the kaleido renderer: one long-lived headless Chromium per process, started early
``images``    chart exports as PNG / SVG / PDF, sizes and their bounds
``bulletin``  the data of one week and area, all from ``metrics`` / ``fieldwork``
``deck``      python-pptx · ``workbook`` openpyxl · ``bundle`` the three files on disk
``jobs``      long exports off the request thread, progress on disk
``levels``    the one function the warning levels come from
``routes``    the /export HTTP routes (Flask blueprint)
"""
