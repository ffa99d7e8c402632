# The live2 service image: `live2 serve` with the dashboard. Data (SQLite, local artifacts, secrets) in /data.
# Build from the repository root:  docker build -f deploy/server.Dockerfile -t live2-server .
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN scripts/build.sh && strip build/bin/live2 build/bin/live2-sim

FROM debian:bookworm-slim
COPY deploy/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && grep -v '^#' /tmp/runtime-packages.txt | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && useradd --system --uid 10001 --home-dir /data --create-home live2
COPY --from=build /src/build/bin/live2 /src/build/bin/live2-sim /usr/local/bin/
COPY --from=build /src/web/dist /usr/local/share/live2/web
ENV LIVE2_LISTEN=0.0.0.0:8080 LIVE2_DATA_DIR=/data LIVE2_WEB_DIR=/usr/local/share/live2/web \
    LIVE2_WORKER_BINARY=/usr/local/bin/live2-sim
USER 10001:10001
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/live2", "serve"]
