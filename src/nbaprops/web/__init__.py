"""The dashboard: a read-only FastAPI app over the warehouse and the orchestration database.

`app` (the factory and its error handling), `auth` (loopback or token), `reader` (short
read-only readings that never block the pipeline's writer), `readings` (one reading a page),
`pages/` (each page's data), `api` (JSON routes), `html` (page routes), `charts` and `drawings`
(inline SVG), `templates/` and `static/` (served from the installed package).
"""
