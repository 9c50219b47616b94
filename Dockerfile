FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install .
COPY . .
# Build-time only: catalogues and static files need settings, not real secrets.
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --verbosity 0 \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input --verbosity 0
RUN useradd --create-home portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
