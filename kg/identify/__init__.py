"""Stage 2, identify: each listed link's stable identifiers (``identifiers``, over ``urls``)
and a first guess of its kind (``kinds``); ``entries`` runs the stage on a corpus."""
