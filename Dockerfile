# Multi-stage build: compile in the Rust image, run in a slim Debian as a non-root user.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends cmake clang pkg-config \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release --locked --bin shipgate \
    && cp target/release/shipgate /usr/local/bin/shipgate

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/shipgate --create-home shipgate
COPY --from=build /usr/local/bin/shipgate /usr/local/bin/shipgate
USER shipgate
WORKDIR /var/lib/shipgate
ENV SHIPGATE_LISTEN=0.0.0.0:8080 \
    SHIPGATE_DATABASE_URL=sqlite:///var/lib/shipgate/shipgate.db \
    SHIPGATE_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/shipgate"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["shipgate", "healthcheck"]
ENTRYPOINT ["shipgate"]
CMD ["serve"]
