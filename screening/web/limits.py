"""Rate limits (Flask-Limiter): counted in memory per worker, or in a shared store by setting."""

import logging

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
# Flask-Limiter logs the client's address when a limit is hit; no address goes into our logs.
logging.getLogger("flask-limiter").setLevel(logging.WARNING)

SUBMIT = "300 per minute"  # answers write nothing; high enough for a waiting room behind one NAT
LOGIN = "5 per minute;30 per hour"
SHARE = "10 per hour"
WITHDRAW = "10 per hour"
LINK = "30 per hour"
