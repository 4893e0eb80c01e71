// YASGUI pointed at this server's /sparql: no endpoint catalogue, no remote look-ups.
window.addEventListener("DOMContentLoaded", function () {
  var endpoint = new URL("/sparql", window.location.href).href;
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: "policy-explorer-yasgui",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } }
  });
});
