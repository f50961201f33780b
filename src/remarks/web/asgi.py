"""The ASGI entry point for uvicorn: ``uvicorn remarks.web.asgi:app`` (settings from the environment)."""

from remarks.web.app import create_app

app = create_app()
