"""The pure core: the bank and its checks, conditions, the flow, scoring, help data, shares and
exports. Nothing here imports Flask, WTForms, Werkzeug, Jinja, Flask-Login or sqlite-utils."""
