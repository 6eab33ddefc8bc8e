"""Semantic Scholar: the list's works with their references, citations, authors and fields.

- ``settings``: what the stage is asked to do, and what it reports;
- ``run``: the stages (resolve, references and citations, authors), in order;
- ``client``: the one module that plugs into the ``semanticscholar`` client;
- ``answers``: each request's answer, from the cache first, else from the network;
- ``shapes``: what a well-formed answer looks like (anything else is refused);
- ``records``: the API's JSON as kg's records.
"""

from kg.sources.semantic_scholar.records import api_id
from kg.sources.semantic_scholar.run import SemanticScholarSource, lower_bound
from kg.sources.semantic_scholar.settings import (
    API_URL_ENV,
    AUTHOR_FIELDS,
    DEFAULT_API_URL,
    EDGE_FIELDS,
    PAGE_SIZE,
    PAPER_FIELDS,
    SOURCE,
    FetchReport,
    Mode,
    PartialWork,
    S2Settings,
)

__all__ = [
    "API_URL_ENV", "AUTHOR_FIELDS", "DEFAULT_API_URL", "EDGE_FIELDS", "PAGE_SIZE", "PAPER_FIELDS",
    "SOURCE", "FetchReport", "Mode", "PartialWork", "S2Settings", "SemanticScholarSource",
    "api_id", "lower_bound",
]
