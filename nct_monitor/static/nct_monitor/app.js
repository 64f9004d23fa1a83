import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
// Content that htmx swaps in gets the same behaviour as the page it lands in.
document.body.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.target }));
