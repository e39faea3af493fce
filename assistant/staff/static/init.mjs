// Turns on govuk-frontend's JavaScript enhancements (the site works without them).
import { initAll } from "/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
