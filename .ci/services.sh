# Sourced by scripts/test and .ci/run: installs (when missing) and starts what the admin tests
# need — PostgreSQL 15 and Debian's Chromium + chromedriver — and exports
# ALTO_TEST_POSTGRES_URL for the store tests.
eval "$(bash "$(dirname "${BASH_SOURCE[0]}")/admin-services.sh")"
