#!/bin/sh
# Rebuilds the files under nct_monitor/static/vendor/ from the pinned npm packages.
# GOV.UK Frontend is compiled with Arial: the GDS Transport typeface and the crown are
# reserved for GOV.UK services, so neither is shipped.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
out=../nct_monitor/static/vendor
npx sass --pkg-importer=node --style=compressed --no-source-map govuk.scss "$out/govuk-frontend/govuk-frontend.min.css"
sed 's|//# sourceMappingURL=govuk-frontend.min.js.map||' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js > "$out/govuk-frontend/govuk-frontend.min.js"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/htmx.min.js"
