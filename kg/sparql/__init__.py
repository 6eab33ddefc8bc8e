"""The graph in SPARQL tools: ``engine`` (``kg query``: read-only, named queries in
``queries/``), ``serve`` (a local Oxigraph endpoint), ``push`` (Graph Store upload), ``stats``."""
