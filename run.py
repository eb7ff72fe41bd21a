"""Development entry point: serve the app on SCREENING_HOST:SCREENING_PORT (127.0.0.1:5000)."""

from screening import create_app

if __name__ == "__main__":
    app = create_app({"DEVELOPMENT": True})
    app.run(host=app.config["HOST"], port=int(app.config["PORT"]))
