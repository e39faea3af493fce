// Turns on govuk-frontend's JavaScript enhancements (the site works without them) and
// shows answer previews exactly as the residents' web chat renders them (same module).
import { initAll } from "/govuk/govuk-frontend.min.js";
import { renderInto } from "/chat/render.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
document.querySelectorAll("[data-render-answer]").forEach((preview) => {
  renderInto(preview, preview.dataset.renderAnswer);
});
