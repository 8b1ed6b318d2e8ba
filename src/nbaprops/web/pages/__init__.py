"""What each dashboard page shows, as plain JSON-ready data read from the warehouse.

One module a page (`pipeline`, `predictions`, `today`, `system`, `overview`); the JSON API serves
these dicts as they are and the HTML pages draw them, so a page never shows a number the API
does not serve.
"""
