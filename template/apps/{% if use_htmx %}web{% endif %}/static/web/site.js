// The few behaviours htmx leaves to the site. No framework, no build step.
"use strict";

(function () {
  const status = () => document.getElementById("status");

  function announce(message) {
    const region = status();
    if (region) {
      region.textContent = message;
      region.classList.add("is-visible");
    }
  }

  // A request whose response is not swapped (403, 404, 500; see htmx-config in base.html)
  // must not fail silently.
  document.addEventListener("htmx:responseError", (event) => {
    const code = event.detail.xhr.status;
    const messages = {
      403: "You are not allowed to do that.",
      404: "That no longer exists: reload the page.",
      429: "Too many requests: wait a moment and try again.",
    };
    announce(messages[code] || `The server could not do that (error ${code}). Try again.`);
  });
  document.addEventListener("htmx:sendError", () => {
    announce("The server cannot be reached. Check your connection and try again.");
  });
  document.addEventListener("htmx:beforeRequest", () => {
    const region = status();
    if (region) {
      region.textContent = "";
      region.classList.remove("is-visible");
    }
  });

  // While the board is searched, a task added elsewhere joins the list only if its title
  // matches, as it would on the server (a case-insensitive "contains").
  function hiddenBySearch(target, incoming) {
    const search = document.getElementById("task-search");
    const query = search ? search.value.trim().toLowerCase() : "";
    const title = incoming.querySelector(".task-title");
    return (
      target.id === "task-list" &&
      query !== "" &&
      title !== null &&
      !title.textContent.toLowerCase().includes(query)
    );
  }

  // Live updates (htmx's WebSocket extension) and this page's own responses can announce the
  // same new item: insert it once. And never replace an item someone is editing.
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    const { target, fragment } = event.detail;
    const incoming = fragment && fragment.firstElementChild;
    const insertsKnownItem =
      incoming && incoming.id && incoming.id !== target.id && document.getElementById(incoming.id);
    if (
      insertsKnownItem ||
      target.hasAttribute("data-editing") ||
      (incoming && hiddenBySearch(target, incoming))
    ) {
      event.detail.shouldSwap = false;
    }
  });
})();
