/* When the session has expired (or was ended elsewhere), a callback answers 401: go to the login
   page, which says so, and come back to this view afterwards. */
(function () {
  const originalFetch = window.fetch;
  window.fetch = function (input, init) {
    return originalFetch(input, init).then(function (response) {
      const url = typeof input === "string" ? input : (input && input.url) || "";
      if (response.status === 401 && url.indexOf("/_dash-") !== -1) {
        const here = window.location.pathname + window.location.search;
        window.location.assign("/login?expired=1&next=" + encodeURIComponent(here));
      }
      return response;
    });
  };
})();
