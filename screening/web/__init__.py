"""The web layer: the respondent's pages (check), sharing, the clinicians' pages, and what they
stand on: content loaded once, answers in an encrypted cookie, forms, security, limits, errors."""
