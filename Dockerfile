FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && \
    DJANGO_ENV=production SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home samverkan && mkdir -p /data/media && chown samverkan /data/media
USER samverkan
EXPOSE 8000
