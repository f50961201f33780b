# remarks: one image for the web servers and the delivery worker (compose.yaml runs both).
# The models ship inside the Python package, so nothing is downloaded when the container runs.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/remarks \
    && /opt/remarks/bin/pip install --no-cache-dir . \
    && /opt/remarks/bin/python -c "import remarks.checks.registry as r; r.load_checks(None)"

FROM python:3.11-slim-bookworm
LABEL org.opencontainers.image.title="remarks" \
      org.opencontainers.image.description="Comments for news sites, moderated by the newspaper's published policy" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 remarks \
    && useradd --system --uid 10001 --gid remarks --home-dir /var/lib/remarks --create-home --shell /usr/sbin/nologin remarks
COPY --from=build /opt/remarks /opt/remarks
ENV PATH=/opt/remarks/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REMARKS_LOG_FORMAT=json \
    REMARKS_DATABASE_URL=sqlite:////var/lib/remarks/remarks.db
USER 10001:10001
WORKDIR /var/lib/remarks
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["remarks", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
