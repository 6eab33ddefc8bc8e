"""The graph in SPARQL tools: ``engine`` (``kg query``: read-only, named queries in
``queries/``), ``check`` (what a query is and which servers it would call, from its parse),
``worker`` (each query in a child process, under a time limit), ``sandbox`` (no connections
from the engine's process), ``serve`` (a local Oxigraph endpoint), ``push`` (Graph Store
upload), ``stats``."""
