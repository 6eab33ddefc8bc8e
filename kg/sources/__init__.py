"""Stage 3, sources: what is known about the list's works, as plain records.

The bundled public facts (``snapshot``) and Semantic Scholar (``semantic_scholar``), which
asks through the response cache (``cache``) and the one network policy (``api_client`` over
``http``). Every source returns the same records (:mod:`kg.model.records`).
"""
