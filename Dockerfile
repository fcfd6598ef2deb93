# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Committee reports: Debian's chromium draws the charts (plotly.js) and prints the PDF.
RUN apt-get update && apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# collectstatic needs settings but no servers: placeholders that are never connected to.
RUN DEBUG=false SECRET_KEY=collectstatic-only DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost/0 \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 jobmaal
USER jobmaal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
