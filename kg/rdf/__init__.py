"""The graph as RDF: one declarative ``mapping`` drives the Turtle ``write``r and the
``read``er (any RDF in kg's vocabularies → the same graph); ``validate`` checks a graph
against the SHACL shapes; ``store`` loads RDF files into pyoxigraph."""
