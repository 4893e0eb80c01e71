"""A read-only SPARQL 1.1 Protocol endpoint over a PolicyStore (WSGI app + standard-library server).

    from explorer.endpoint import EndpointConfig, make_app, make_http_server
    server = make_http_server(make_app(store, EndpointConfig()), "127.0.0.1", 7878)
    server.serve_forever()
"""

from explorer.endpoint.app import EndpointApp, EndpointConfig, make_app
from explorer.endpoint.server import make_http_server, server_url

__all__ = ["EndpointApp", "EndpointConfig", "make_app", "make_http_server", "server_url"]
