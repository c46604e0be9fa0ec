"""GridScreen domain and data layer.

Nothing in this package imports Dash: the web tier (app.py, layouts/, callbacks/) depends on it,
never the other way round.
"""
