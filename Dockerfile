FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev
# The pinned runtime packages first (a layer kept until the lock changes), then the
# project itself without dependencies: nothing unpinned enters the image.
COPY requirements/runtime.txt requirements/
RUN pip install --no-cache-dir -r requirements/runtime.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && \
    python manage.py collectstatic --noinput --settings=samverkan.settings_build
RUN useradd --create-home samverkan && mkdir -p /data/media && chown samverkan /data/media
USER samverkan
EXPOSE 8000
