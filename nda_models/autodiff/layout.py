"""A layered (Sugiyama-style) layout of a DAG, left to right as the slides draw.

Pure Python, no Graphviz. Four phases:

1. Layers by longest path, counted back from the output (a node sits just
   before its latest consumer, so data such as ``b`` or ``y*`` is drawn
   beside the block that uses it).
2. An edge spanning several layers gets a small dummy node in every layer
   it crosses, so it is routed between the boxes, never through one.
3. Barycentre sweeps order each layer to reduce crossings (``layer_order``).
4. Columns as wide as their widest label, gaps as wide as the widest edge
   label they hold; vertical centres near the neighbours', never
   overlapping (``layer_placement``).
"""

import dataclasses
import itertools

from nda_models.autodiff.layer_order import order_layers
from nda_models.autodiff.layer_placement import place_layers

_DUMMY_HEIGHT = 8.0


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where each node and edge goes (SVG coordinates, y downwards).

    Attributes:
        boxes: ``(x, y, width, height)`` of each node, top-left corner.
        routes: For each edge, its points from the source's right side,
            through the dummies, to the target's left side. The segment
            from point 2k + 1 to 2k + 2 crosses a gap between columns (drawn
            as a curve); the others lie inside a column (straight).
        label_points: For each edge, where its label is centred: the middle
            of the gap before the target, which is as wide as the label.
        layers: The layer (column) of each node.
        width: Total width.
        height: Total height.
    """

    boxes: tuple
    routes: tuple
    label_points: tuple
    layers: tuple
    width: float
    height: float


def layered_layout(
    sizes, edges, *, label_widths=None, layer_gap=40.0, node_gap=16.0, margin=12.0
):
    """Lays out a DAG left to right.

    Args:
        sizes: ``(width, height)`` of each node's box.
        edges: ``(source, target)`` index pairs, pointing to the right.
        label_widths: Width of each edge's label (default none); the gap
            before an edge's target is made wide enough for it.
        layer_gap: Least horizontal gap between columns.
        node_gap: Vertical gap between boxes in one column.
        margin: Space around the drawing.

    Returns:
        A ``Layout``.

    Raises:
        ValueError: If the edges form a cycle or name a missing node.

    Example:
        >>> layout = layered_layout([(20, 10), (20, 10), (30, 10)], [(0, 2), (1, 2)])
        >>> layout.layers
        (0, 0, 1)
        >>> [box[0] for box in layout.boxes]
        [12.0, 12.0, 72.0]
    """
    count = len(sizes)
    _check_edges(edges, count)
    widths = [float(w) for w, _ in sizes]
    heights = [float(h) for _, h in sizes]
    chains, layer = _add_dummies(edges, _layers(count, edges), widths, heights)
    order, centre = _order_and_place(chains, layer, heights, count, node_gap)
    labels = [0.0] * len(edges) if label_widths is None else label_widths
    left = _column_lefts(order, widths, layer, chains, labels, layer_gap, margin)
    column_width = [max((widths[n] for n in nodes), default=0.0) for nodes in order]
    top = min(centre[n] - heights[n] / 2 for n in centre) - margin
    boxes = [
        (
            left[layer[n]] + (column_width[layer[n]] - widths[n]) / 2,
            centre[n] - heights[n] / 2 - top,
            widths[n],
            heights[n],
        )
        for n in range(count)
    ]
    routes = [_route(c, boxes, left, column_width, layer, centre, top) for c in chains]
    routes = _spread_ports(routes, chains, boxes)
    return Layout(
        boxes=tuple(boxes),
        routes=tuple(routes),
        label_points=tuple(_label_point(route) for route in routes),
        layers=tuple(layer[:count]),
        width=left[-1] + column_width[-1] + margin,
        height=max(centre[n] + heights[n] / 2 for n in centre) - top + margin,
    )


def _order_and_place(chains, layer, heights, count, node_gap):
    """Phases 3 and 4: each column's order, then every node's vertical centre."""
    order = [[] for _ in range(max(layer, default=0) + 1)]
    for node, k in enumerate(layer):
        order[k].append(node)
    links = [(a, b) for chain in chains for a, b in itertools.pairwise(chain)]
    order = order_layers(order, links)
    above, below = {}, {}
    for a, b in links:
        below.setdefault(a, []).append(b)
        above.setdefault(b, []).append(a)

    def gap(a, b):  # dummies (numbered after the real nodes) pack closer
        return node_gap if max(a, b) < count else node_gap / 3

    return order, place_layers(order, heights, gap, above, below)


def _check_edges(edges, count):
    for source, target in edges:
        if not (0 <= source < count and 0 <= target < count) or source == target:
            raise ValueError(
                f"Each edge must join two different nodes among 0..{count - 1}. "
                f"Received: edge={(source, target)!r}"
            )


def _layers(count, edges):
    """Longest path to a sink, counted back from the last layer (Kahn's order)."""
    children = [[] for _ in range(count)]
    waiting = [0] * count  # unfinished children of each node
    for source, target in edges:
        children[source].append(target)
        waiting[source] += 1
    ready = [n for n in range(count) if waiting[n] == 0]
    parents = [[] for _ in range(count)]
    for source, target in edges:
        parents[target].append(source)
    depth = [0] * count  # longest path from the node to a sink
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for parent in parents[node]:
            depth[parent] = max(depth[parent], depth[node] + 1)
            waiting[parent] -= 1
            if waiting[parent] == 0:
                ready.append(parent)
    if done != count:
        raise ValueError(
            "The edges form a cycle; a computational graph is acyclic. "
            f"Received: {len(edges)} edges among {count} nodes"
        )
    deepest = max(depth, default=0)
    return [deepest - d for d in depth]


def _add_dummies(edges, layer, widths, heights):
    """Splits long edges into chains of one-layer links through dummy nodes."""
    layer = list(layer)
    chains = []
    for source, target in edges:
        chain = [source]
        for k in range(layer[source] + 1, layer[target]):
            layer.append(k)
            widths.append(0.0)
            heights.append(_DUMMY_HEIGHT)
            chain.append(len(layer) - 1)
        chain.append(target)
        chains.append(chain)
    return chains, layer


def _column_lefts(order, widths, layer, chains, label_widths, layer_gap, margin):
    """Left edge of each column; gap k precedes column k + 1."""
    gaps = [layer_gap] * max(len(order) - 1, 0)
    for chain, label in zip(chains, label_widths, strict=True):
        k = layer[chain[-1]] - 1  # the label sits in the gap before the target
        if k >= 0:
            gaps[k] = max(gaps[k], label + 20.0)
    lefts = [margin]
    for k in range(1, len(order)):
        widest = max((widths[n] for n in order[k - 1]), default=0.0)
        lefts.append(lefts[-1] + widest + gaps[k - 1])
    return lefts


def _route(chain, boxes, left, column_width, layer, centre, top):
    """Source's right side, each column's edges at the dummies, target's left.

    Each box is joined to its column's border by a horizontal stub, so the
    curved part of an edge stays in the gaps between columns.
    """
    source, target = chain[0], chain[-1]
    x, y, width, height = boxes[source]
    k = layer[source]
    points = [(x + width, y + height / 2), (left[k] + column_width[k], y + height / 2)]
    for dummy in chain[1:-1]:
        k = layer[dummy]
        points.append((left[k], centre[dummy] - top))
        points.append((left[k] + column_width[k], centre[dummy] - top))
    x, y, width, height = boxes[target]
    points.append((left[layer[target]], y + height / 2))
    points.append((x, y + height / 2))
    return tuple(points)


def _spread_ports(routes, chains, boxes):
    """Edges sharing a box side leave or enter it at distinct heights.

    Ports are ordered like the far ends of their edges, which keeps them
    from crossing right at the box.
    """
    routes = [list(route) for route in routes]
    ends = {}
    for e, chain in enumerate(chains):
        ends.setdefault(("out", chain[0]), []).append((routes[e][2][1], e, (0, 1)))
        ends.setdefault(("in", chain[-1]), []).append((routes[e][-3][1], e, (-2, -1)))
    for (_, node), group in ends.items():
        if len(group) < 2:
            continue
        height = boxes[node][3]
        step = min(10.0, 0.6 * height / (len(group) - 1))
        for rank, (_, e, positions) in enumerate(sorted(group)):
            shift = (rank - (len(group) - 1) / 2) * step
            for k in positions:
                x, y = routes[e][k]
                routes[e][k] = (x, y + shift)
    return [tuple(route) for route in routes]


def _label_point(route):
    """The middle of the curve in the gap before the target."""
    (x0, y0), (x1, y1) = route[-3], route[-2]
    return ((x0 + x1) / 2, (y0 + y1) / 2)
