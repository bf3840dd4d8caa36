"""gunicorn's configuration for the web process: `gunicorn -c python:samverkan.gunicorn_conf`.

Before the master binds its port or forks a worker, production checks Redis and the
installation identity (samverkan/startup.py); a refusal ends gunicorn with exit code 1.
"""


def on_starting(server):
    import django

    django.setup()
    from samverkan.startup import check_in_production

    check_in_production("web")
