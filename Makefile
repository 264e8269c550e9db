# Vigil — the commands of the README and of CI.
#   make run            build and serve on http://127.0.0.1:8080 with ./vigil.sqlite
#   make test           every test (PostgreSQL too when VIGIL_TEST_POSTGRES_URL is set)
#   make build REGION=MX   build vigil with only that region's domains
#   make release        optimized build of vigil
#   make bench          benchmarks into BENCHMARKS.md (see Tools/bench); DB=postgres for PostgreSQL
#   make bench-it       the IT service desk benchmarks (1M assets: import, list, book value, forecast)

SWIFT ?= swift
REGION ?=
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run build release test test-unit check-region bench bench-it clean

run:
	$(SWIFT) build --product vigil
	.build/debug/vigil serve --host $(HOST) --port $(PORT)

build:
ifeq ($(REGION),)
	$(SWIFT) build --product vigil
else
	$(SWIFT) build --product vigil --disable-default-traits --traits Region$(REGION)
endif

release:
ifeq ($(REGION),)
	$(SWIFT) build -c release --product vigil
else
	$(SWIFT) build -c release --product vigil --disable-default-traits --traits Region$(REGION)
endif

test: test-unit check-region

test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Proves a region build compiles only its domains, then restores the full build.
check-region:
	Tools/check-region-build.sh CO
	$(SWIFT) build --product vigil

bench:
	DB=$(or $(DB),sqlite) Tools/bench/run.sh

bench-it:
	Tools/bench/it_desk.sh

clean:
	rm -rf .build
