# Runs the Slack bot over HTTP (`maatwerk serve`) on port 3000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MAATWERK_DB=/data/maatwerk.db \
    MAATWERK_CONTENT=/app/content

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 maatwerk \
    && mkdir -p /data && chown maatwerk /data

USER maatwerk
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2)"
CMD ["maatwerk", "serve", "--host", "0.0.0.0", "--port", "3000"]
