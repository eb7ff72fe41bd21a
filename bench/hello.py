"""A bare Flask app with one ~2 KB page: the baseline `make bench` compares the check with."""

from flask import Flask

app = Flask(__name__)

PARAGRAPH = "<p>" + "Hello from a bare Flask app, the baseline for the benchmark. " * 3 + "</p>\n"
PAGE = (
    "<!doctype html>\n<html lang=en>\n<head><meta charset=utf-8><title>Hello</title></head>\n"
    "<body>\n<h1>Hello</h1>\n" + PARAGRAPH * 10 + "</body>\n</html>\n"
)


@app.get("/")
def hello() -> str:
    """Return the same fixed page every time."""
    return PAGE
