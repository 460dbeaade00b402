# The OCOP Market image: web (gunicorn), Celery worker and beat all run from it.
# Dependencies come pinned from requirements.lock; settings come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=backend.settings

WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
RUN useradd --system --uid 1000 --home-dir /app ocop \
    && mkdir -p /app/staticfiles /app/media \
    && chown -R ocop:ocop /app/staticfiles /app/media

USER ocop
EXPOSE 8000
CMD ["gunicorn", "backend.wsgi:application", "--bind", "0.0.0.0:8000"]
