"""The graph as an offline interactive page: ``reduce`` (what fits, which engine), ``layout``
(positions), ``styles`` and ``payload`` (the page's data), ``links`` (only http(s) hrefs),
``vis`` (vis-network's data, built with pyvis), ``page`` (assets, CSP, the HTML);
``templates/`` holds the page's scripts, split by concern and joined at render time."""
