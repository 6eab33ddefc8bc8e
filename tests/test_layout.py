"""Positions of the map: deterministic, every node apart, the timeline ordered by year."""

from __future__ import annotations

import math

from graphs import big_graph, field_graph, person, reordered, work

from kg.map.layout import CORE_MAX, force_layout, timeline_layout
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Creator


def test_force_layout_places_every_node_beyond_the_core_apart() -> None:
    g = big_graph(CORE_MAX + 400)
    importance = {n.iri: 1.0 for n in g.nodes()}
    positions = force_layout(g, importance)
    assert set(positions) == {n.iri for n in g.nodes()}
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in positions.values())
    assert len(set(positions.values())) == len(positions)  # no two nodes on one spot
    assert force_layout(g, importance) == positions


def test_force_layout_does_not_depend_on_insertion_order() -> None:
    g = field_graph()
    assert force_layout(reordered(g), {}) == force_layout(g, {})


def test_timeline_puts_years_left_to_right_and_keeps_the_force_rows() -> None:
    g = field_graph()
    force = force_layout(g, {})
    timeline = timeline_layout(g, force)
    assert timeline.first_year == 1989 and timeline.last_year == 2022
    years = {w.iri: w.year for w in g.works() if w.year}
    for a in years:
        for b in years:
            if years[a] < years[b]:
                assert timeline.positions[a][0] < timeline.positions[b][0]
    assert all(timeline.positions[n][1] == force[n][1] for n in force)
    # Each year has its band: x within [origin + (year - first) * width, ... + width).
    for node, year in years.items():
        start = timeline.origin + (year - timeline.first_year) * timeline.year_width
        assert start <= timeline.positions[node][0] < start + timeline.year_width
    # Works without a year stand left of the axis.
    undated = [w.iri for w in g.works() if w.iri not in years]
    assert undated and all(timeline.positions[n][0] < timeline.origin for n in undated)


def test_people_sit_at_the_median_year_of_their_works() -> None:
    g = KnowledgeGraph()
    person(g, "p", "P")
    person(g, "q", "Q without works")
    for i, year in enumerate((2001, 2005, 2019)):
        work(g, f"w{i}", f"W{i}", "Paper", year=year)
        g.link(f"w{i}", "p", Creator(position=0))
    timeline = timeline_layout(g, force_layout(g, {}))
    start = timeline.origin + (2005 - 2001) * timeline.year_width
    assert start <= timeline.positions["p"][0] < start + timeline.year_width
    assert timeline.positions["q"][0] < timeline.origin


def test_a_graph_without_years_keeps_the_force_layout() -> None:
    g = KnowledgeGraph()
    work(g, "a", "A", "Paper")
    force = force_layout(g, {})
    timeline = timeline_layout(g, force)
    assert timeline.first_year is None and timeline.positions == force
