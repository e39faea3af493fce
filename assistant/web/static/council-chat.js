/* Starts the rasa-webchat widget for this council's page and fills the gaps in its
 * accessibility from outside (the widget is a third-party bundle):
 * - the message list is a polite live region (role="log"), so screen readers
 *   announce each new reply;
 * - the message box and the send button get accessible names;
 * - quick-reply choices are reachable and usable by keyboard, and focus moves
 *   back to the message box after one is chosen.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var host = document.getElementById("webchat");

  function label(root) {
    var log = root.querySelector(".rw-messages-container");
    if (log && log.getAttribute("role") !== "log") {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-relevant", "additions");
      log.setAttribute("aria-label", "Conversation");
      log.setAttribute("tabindex", "0");
    }
    var input = root.querySelector(".rw-new-message");
    if (input && !input.getAttribute("aria-label")) {
      input.setAttribute("aria-label", "Your question");
      input.setAttribute("aria-describedby", "chat-help");
    }
    var send = root.querySelector(".rw-send");
    if (send && !send.getAttribute("aria-label")) {
      send.setAttribute("aria-label", "Send");
    }
    root.querySelectorAll(".rw-send svg, .rw-send img").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.setAttribute("focusable", "false");
    });
    root.querySelectorAll(".rw-reply").forEach(function (reply) {
      if (reply.tagName !== "BUTTON" && !reply.hasAttribute("tabindex")) {
        reply.setAttribute("role", "button");
        reply.setAttribute("tabindex", "0");
      }
    });
  }

  host.addEventListener("keydown", function (event) {
    var reply = event.target.closest && event.target.closest(".rw-reply");
    if (reply && reply.tagName !== "BUTTON" && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      reply.click();
    }
  });
  host.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".rw-reply")) {
      window.setTimeout(function () {
        var input = host.querySelector(".rw-new-message");
        if (input) input.focus();
      }, 0);
    }
  });

  new MutationObserver(function () { label(host); }).observe(host, {
    childList: true,
    subtree: true,
  });

  window.WebChat.default(config, host);
})();
