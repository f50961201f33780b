from remarks.cli import app

app()
