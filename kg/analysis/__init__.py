"""Stage 5, analysis: measures and derived facts computed from the graph, each written back
onto it with the facts behind it (PageRank; the curator insights: candidates, derivatives,
misfiled entries, communities, connectivity; the diff of two builds; the patch to the list).
"""
