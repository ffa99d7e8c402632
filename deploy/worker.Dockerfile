# The simulation worker image: AWS Batch runs `live2-sim` with the job's environment
# (docs/simulation-contract.md, docs/aws-contract.md).
# Build from the repository root:  docker build -f deploy/worker.Dockerfile -t live2-simulation .
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --target live2-sim -j"$(nproc)" \
 && strip build/bin/live2-sim

FROM debian:bookworm-slim
COPY deploy/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && grep -v '^#' /tmp/runtime-packages.txt | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && useradd --system --uid 10001 --home-dir /work --create-home live2
COPY --from=build /src/build/bin/live2-sim /usr/local/bin/live2-sim
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/live2-sim"]
