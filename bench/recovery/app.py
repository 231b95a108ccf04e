"""The service under test for bench/recovery: `/` and `/health`, nothing else.

    python3 app.py PORT                       # Flask's threaded development server, one process
    gunicorn -w 2 -b 127.0.0.1:PORT app:app   # gunicorn, 2 sync workers (SERVER=gunicorn)
"""
import sys

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello\n"


@app.route("/health")
def health():
    return "OK\n"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
