"""The Flask side: a web process's runtime and shared cache, who may see and do what (``access``),
accounts and the request gate (``auth``), the REST API (``api``) and the download routes
(``exports``). Screens' callbacks live beside the package in ``callbacks/``."""
