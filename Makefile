# Vigil — the commands of the README and of CI.
#   make run            build and serve on http://127.0.0.1:8080 with ./vigil.sqlite
#   make test           every test, on SQLite and PostgreSQL (installed and started if missing), and
#                       the outside API checks (schemathesis from a local .venv) and the console
#                       in headless chromium (Debian's, installed if missing; Selenium and axe-core)
#   make test-console   only the console in the browser: screenshots and axe reports in .ci-output/console
#   make fuzz           longer fuzzing: the parsers (libFuzzer) and the API (schemathesis)
#   make format         format the Swift sources (.swift-format: 4 spaces, lines up to 160); `make lint` checks
#   make build REGION=MX   build vigil with only that region's domains
#   make release        optimized build of vigil
#   make bench          benchmarks into BENCHMARKS.md (see Tools/bench); DB=postgres for PostgreSQL
#   make bench-it       the IT service desk benchmarks (1M assets: import, list, book value, forecast)
#   make bench-console  the console on the 1M-case desk: dashboard and case page, page weight, 200 live dashboards
#   make bench-compare BASE=<commit> [NEW=<commit>]   two builds on the same data, alternating
#   make bench-intake-builds BINARIES="a b c"         case intake of several builds, rotating
#   make bench-console-builds BINARIES="a b"          dashboard and case page of several builds, rotating

SWIFT ?= swift
REGION ?=
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run build release test lint format test-unit test-api test-console test-corpus check-region fuzz bench bench-it bench-console bench-report-beside-reads bench-compare bench-intake-builds bench-console-builds clean

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

test: lint test-unit check-region test-api test-console test-corpus

# One width and one layout for every Swift file: swift-format from the toolchain, strict.
SWIFT_SOURCES = Modules Apps Tests Tools Package.swift
lint:
	$(SWIFT) format lint --strict --configuration .swift-format --recursive --parallel $(SWIFT_SOURCES)

format:
	$(SWIFT) format format --configuration .swift-format --in-place --recursive --parallel $(SWIFT_SOURCES)

# Swift tests on both engines; the Python tools they call come from the local venv.
test-unit:
	$(SWIFT) build --build-tests
	VIGIL_TEST_PYTHON="$$(Tools/ci/python-env.sh)/python" Tools/ci/with-postgres.sh $(SWIFT) test --skip-build

# The real server on loopback checked from outside against its /openapi.json.
test-api:
	Tools/ci/api-check.sh

# The console in Debian's chromium, headless, with Selenium against the real server on loopback:
# each page checked by axe-core (WCAG 2.1 AA) and for CSP violations, screenshots at 1280 and 360 px.
test-console:
	Tools/ci/console-check.sh

# Every input the fuzzers kept (Tools/fuzz/corpus) replayed through the parsers: a regression test.
test-corpus:
	$(SWIFT) build --product VigilFuzz
	for target in json csv schema query text; do FUZZ_TARGET=$$target .build/debug/VigilFuzz Tools/fuzz/corpus/$$target || exit 1; done

# Longer runs: each parser target for FUZZ_SECONDS (instrumented, in .build-fuzz), then the API.
fuzz:
	Tools/fuzz/run.sh $(or $(FUZZ_SECONDS),300)
	Tools/ci/api-check.sh --long

# Proves a region build compiles only its domains, then restores the full build.
check-region:
	Tools/check-region-build.sh CO
	$(SWIFT) build --product vigil

bench:
	DB=$(or $(DB),sqlite) Tools/bench/run.sh

bench-it:
	Tools/bench/it_desk.sh

bench-console:
	Tools/bench/console.sh

# A long report beside case reads, this tree against an earlier commit (BASE=…).
bench-report-beside-reads:
	Tools/bench/report_beside_reads.sh $(or $(BASE),none) $(or $(NEW),HEAD)

# Intake, case list, queue view and asset import of NEW (default HEAD) against BASE, both built
# from worktrees and run alternating in one run (Tools/bench/compare.sh; CASES, DURATION, ROUNDS…).
bench-compare:
	Tools/bench/compare.sh $(or $(BASE),$(error BASE=<commit> is required: make bench-compare BASE=<commit> [NEW=<commit>])) $(or $(NEW),HEAD)

bench-intake-builds:
	Tools/bench/intake_builds.sh $(or $(BINARIES),$(error BINARIES="<vigil binary> ..." is required))

bench-console-builds:
	Tools/bench/console_builds.sh $(or $(BINARIES),$(error BINARIES="<vigil binary> ..." is required))

clean:
	rm -rf .build
