"""How figures look, without Dash: number and time formats, plotly figure builders (``plots``),
and the catalogue of named charts (``charts``) that screens and exports draw alike."""
