# syntax=docker/dockerfile:1
# Multi-stage build: compile in the Rust image, run in a slim Debian as a non-root user.
# The cargo registry and target directory are BuildKit cache mounts, so a rebuild after a
# source change recompiles the workspace, not every dependency.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends cmake clang pkg-config \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin shipgate \
    && cp target/release/shipgate /usr/local/bin/shipgate

FROM debian:bookworm-slim
# A numeric user and group, so Kubernetes' runAsNonRoot can verify the image's user.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 shipgate \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/shipgate --create-home shipgate
COPY --from=build /usr/local/bin/shipgate /usr/local/bin/shipgate
USER 10001:10001
WORKDIR /var/lib/shipgate
ENV SHIPGATE_LISTEN=0.0.0.0:8080 \
    SHIPGATE_DATABASE_URL=sqlite:///var/lib/shipgate/shipgate.db \
    SHIPGATE_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/shipgate"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["shipgate", "healthcheck"]
# Exec form: shipgate is PID 1 and receives SIGTERM itself (graceful shutdown).
ENTRYPOINT ["shipgate"]
CMD ["serve"]
