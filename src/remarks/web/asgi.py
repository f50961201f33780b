"""The ASGI entry point for uvicorn: ``uvicorn remarks.web.asgi:app`` (settings from the environment)."""

from remarks.web import malloc
from remarks.web.app import create_app

malloc.tune()  # before the worker threads start (web/malloc.py)
app = create_app()
