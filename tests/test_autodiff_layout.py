"""The layered layout of computational graphs (pure Python, no Graphviz).

Oracles: brute-force crossing counts, scipy's constrained least squares for
the vertical placement, and geometry checks on the computed boxes of a
200-node graph (no two boxes, and no label and box, overlap).
"""

import itertools
import random

import numpy as np
import pytest
from support import big_graph

from nda_models.autodiff.graph_page import both_modes
from nda_models.autodiff.graph_story import graph_story
from nda_models.autodiff.graph_svg import badge_width, story_layout
from nda_models.autodiff.layer_order import count_crossings, order_layers
from nda_models.autodiff.layer_placement import place_in_order
from nda_models.autodiff.layout import layered_layout


def _overlap(a, b, gap=0.0):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return (
        ax < bx + bw + gap
        and bx < ax + aw + gap
        and ay < by + bh + gap
        and by < ay + ah + gap
    )


@pytest.fixture(scope="module", params=[0, 1])
def big_layout(request):
    graph = big_graph(200, seed=request.param)
    story = graph_story(graph, both_modes(graph))
    return graph, story, story_layout(story)


def test_a_200_node_graph_has_no_overlapping_boxes(big_layout):
    graph, _, layout = big_layout
    assert len(graph.nodes) == len(layout.boxes) == 200
    for (i, a), (j, b) in itertools.combinations(enumerate(layout.boxes), 2):
        assert not _overlap(a, b, gap=-0.5), (i, j, a, b)  # touching is no overlap


def test_edge_labels_sit_in_the_gaps_clear_of_every_box(big_layout):
    _, story, layout = big_layout
    for edge, (x, y) in zip(story.edges, layout.label_points, strict=True):
        width = badge_width(edge.badge)
        if not width:
            continue
        label = (x - width / 2, y - 10, width, 20)
        for box in layout.boxes:
            assert not _overlap(label, box), (edge.element, label, box)


def test_edges_run_between_boxes(big_layout):
    _, story, layout = big_layout
    for edge, route in zip(story.edges, layout.routes, strict=True):
        ends = (layout.boxes[edge.parent], layout.boxes[edge.child])
        # Straight segments (inside a column) never cross another box.
        for (x1, y1), (x2, y2) in list(itertools.pairwise(route))[::2]:
            assert y1 == pytest.approx(y2)
            segment = (min(x1, x2), y1, abs(x2 - x1), 0.0)
            for box in layout.boxes:
                if box not in ends:
                    assert not _overlap(segment, box), (edge.element, segment, box)


def test_layers_follow_the_edges_and_end_at_the_output(big_layout):
    graph, story, layout = big_layout
    for edge in story.edges:
        assert layout.layers[edge.parent] < layout.layers[edge.child]
    assert layout.layers[-1] == max(layout.layers)  # g is drawn last, on the right
    xs = [layout.boxes[k][0] for k in range(len(graph.nodes))]
    for edge in story.edges:
        assert xs[edge.parent] < xs[edge.child]


def _crossings_brute_force(order, edges):
    position = {n: k for layer in order for k, n in enumerate(layer)}
    layer_of = {n: i for i, layer in enumerate(order) for n in layer}
    count = 0
    for (a, b), (c, d) in itertools.combinations(edges, 2):
        if layer_of[a] != layer_of[c]:
            continue
        if (position[a] - position[c]) * (position[b] - position[d]) < 0:
            count += 1
    return count


def test_crossings_are_counted_as_brute_force_does():
    rng = random.Random(0)
    for _ in range(50):
        sizes = [rng.randint(1, 6) for _ in range(4)]
        order, node = [], 0
        for size in sizes:
            order.append(list(range(node, node + size)))
            node += size
        edges = [
            (rng.choice(order[k]), rng.choice(order[k + 1]))
            for k in range(3)
            for _ in range(rng.randint(0, 8))
        ]
        assert count_crossings(order, edges) == _crossings_brute_force(order, edges)


def test_ordering_removes_crossings_it_can_and_never_adds_any():
    order = [[0, 1, 2], [3, 4, 5]]
    edges = [(0, 5), (1, 4), (2, 3)]  # fully reversed: 3 crossings
    assert count_crossings(order, edges) == 3
    assert count_crossings(order_layers(order, edges), edges) == 0
    rng = random.Random(1)
    for _ in range(30):
        order = [rng.sample(range(k * 10, k * 10 + 6), 6) for k in range(3)]
        edges = [
            (rng.choice(order[k]), rng.choice(order[k + 1]))
            for k in range(2)
            for _ in range(8)
        ]
        best = order_layers(order, edges)
        assert sorted(map(sorted, best)) == sorted(map(sorted, order))
        assert count_crossings(best, edges) <= count_crossings(order, edges)


def _placement_brute_force(wanted, gaps):
    """The optimum by enumeration: some constraints hold with equality.

    Nodes tied by equalities form consecutive blocks, each shifted as one
    to the mean of its wanted positions; the best feasible split wins.
    """
    n = len(wanted)
    offsets = np.cumsum(np.r_[0.0, gaps])
    best, best_cost = None, np.inf
    for cuts in itertools.product([False, True], repeat=n - 1):
        y = np.empty(n)
        start = 0
        for end in [k + 1 for k, cut in enumerate(cuts) if cut] + [n]:
            block = slice(start, end)
            shift = np.mean(wanted[block] - offsets[block])
            y[block] = shift + offsets[block]
            start = end
        cost = np.sum((y - wanted) ** 2)
        if np.all(np.diff(y) >= gaps - 1e-9) and cost < best_cost:
            best, best_cost = y, cost
    return best


def test_vertical_placement_is_the_constrained_least_squares_optimum():
    rng = np.random.default_rng(0)
    for _ in range(40):
        n = int(rng.integers(2, 8))
        wanted = rng.normal(0, 20, size=n)
        gaps = rng.uniform(5, 30, size=n - 1)
        got = np.array(place_in_order(list(wanted), list(gaps)))
        assert np.all(np.diff(got) >= gaps - 1e-9)
        np.testing.assert_allclose(got, _placement_brute_force(wanted, gaps), atol=1e-9)


def test_layout_rejects_cycles_and_bad_edges():
    with pytest.raises(ValueError, match="form a cycle"):
        layered_layout([(10, 10)] * 3, [(0, 1), (1, 2), (2, 0)])
    with pytest.raises(
        ValueError, match=r"Each edge must join.*Received: edge=\(0, 5\)"
    ):
        layered_layout([(10, 10)] * 2, [(0, 5)])
    with pytest.raises(ValueError, match="two different nodes"):
        layered_layout([(10, 10)], [(0, 0)])


def test_long_edges_pass_through_dummies_and_gaps_fit_labels():
    # 0 → 1 → 2 and 0 → 2: the long edge gets a dummy in layer 1.
    layout = layered_layout(
        [(30, 20), (30, 20), (30, 20)],
        [(0, 1), (1, 2), (0, 2)],
        label_widths=[0.0, 120.0, 0.0],
    )
    assert layout.layers == (0, 1, 2)
    assert len(layout.routes[2]) == 6  # box, column, dummy in, dummy out, column, box
    gap = layout.boxes[2][0] - (layout.boxes[1][0] + layout.boxes[1][2])
    assert gap >= 120.0
