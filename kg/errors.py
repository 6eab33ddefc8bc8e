"""The exceptions kg raises. The CLI turns each into a one-line message and a non-zero exit.

::

    KgError
    ├── ReadingListError     the Markdown list cannot be read (file, line)
    ├── OntologyError        the ontology or an extension is malformed or does not conform
    ├── FetchError           a source (Semantic Scholar) failed in a way retries cannot fix
    │   ├── AuthError        the API key was refused (401/403)
    │   └── UnreachableError the API could not be reached at all (no network, wrong URL)
    ├── CacheError           the on-disk cache cannot be opened or written
    ├── QueryError           a SPARQL query is malformed or not allowed
    ├── DataError            an RDF file given to a command cannot be read, or is refused
    ├── OutputError          an output file cannot be written (no space, not writable…)
    └── EndpointError        a SPARQL server cannot be started, reached, or refused an upload
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "ReadingListError",
    "OntologyError",
    "FetchError",
    "AuthError",
    "UnreachableError",
    "CacheError",
    "QueryError",
    "DataError",
    "EndpointError",
    "OutputError",
]


class KgError(Exception):
    """Base of every error kg raises on purpose."""


class ReadingListError(KgError):
    """The reading list cannot be read or parsed."""


class OntologyError(KgError):
    """The ontology, the shapes or an extension is malformed, or data does not conform."""


class FetchError(KgError):
    """A source answered in a way that retrying will not fix, or never answered."""


class AuthError(FetchError):
    """The Semantic Scholar API refused the key (HTTP 401 or 403)."""


class UnreachableError(FetchError):
    """No connection to the API could be made (no network, a wrong ``--api-url``)."""


class CacheError(KgError):
    """The response cache cannot be opened or written."""


class QueryError(KgError):
    """A SPARQL query is malformed, or asks for something read-only mode forbids."""


class DataError(KgError):
    """An RDF data file given to a command is missing, is not a file, cannot be parsed, or
    asks for what kg refuses while reading (a remote JSON-LD context, an XML DTD)."""


class OutputError(KgError):
    """An output cannot be written: its directory is not writable or is a file, the disk
    is full, or the output's name is taken by a directory. Nothing already there was lost."""


class EndpointError(KgError):
    """A SPARQL server could not be started or reached, or it refused a request."""
