"""Vertical positions within the layers: near the neighbours, never overlapping.

The last phase of a Sugiyama layout. Each node would like its centre at the
mean centre of its neighbours in the layer before or after; the order of a
layer is fixed and consecutive boxes keep a minimal separation. Minimising
Σ (y_i − wanted_i)² under y_{i+1} − y_i ≥ gap_i is an isotonic regression
once the separations are subtracted, solved exactly by pooling adjacent
violators.
"""

import itertools


def place_in_order(wanted, separations):
    """Centres as close as possible to ``wanted``, in order, ``separations`` apart.

    Args:
        wanted: Desired centre of each node of one layer, top to bottom.
        separations: ``separations[i]``, the least distance between the
            centres of nodes ``i`` and ``i + 1``.

    Returns:
        The centres (list of float), the least-squares optimum.

    Example:
        >>> place_in_order([0.0, 0.0, 10.0], [4.0, 4.0])
        [-2.0, 2.0, 10.0]
    """
    offsets = [0.0]
    for gap in separations:
        offsets.append(offsets[-1] + gap)
    targets = [w - o for w, o in zip(wanted, offsets, strict=True)]
    blocks = []  # pooled (mean, count), non-decreasing means
    for value in targets:
        mean, count = value, 1
        while blocks and blocks[-1][0] > mean:
            previous, size = blocks.pop()
            mean = (previous * size + mean * count) / (size + count)
            count += size
        blocks.append((mean, count))
    fitted = [mean for mean, count in blocks for _ in range(count)]
    return [z + o for z, o in zip(fitted, offsets, strict=True)]


def place_layers(order, heights, gaps, above, below, *, rounds=8):
    """Centres of every node: stacked first, then pulled towards neighbours.

    Args:
        order: ``order[layer]`` lists of nodes, top to bottom.
        heights: ``heights[node]``.
        gaps: ``gaps(a, b)``, the free space wanted between nodes a and b.
        above: ``above[node]``, its neighbours in the previous layer.
        below: ``below[node]``, its neighbours in the next layer.
        rounds: Number of down-and-up rounds.

    Returns:
        ``{node: centre}``.
    """
    centre = {}
    for layer in order:
        y = 0.0
        for k, node in enumerate(layer):
            if k:
                y += _separation(layer[k - 1], node, heights, gaps)
            centre[node] = y
    for _ in range(rounds):
        for layer in order[1:]:
            _pull(layer, centre, above, heights, gaps)
        for layer in reversed(order[:-1]):
            _pull(layer, centre, below, heights, gaps)
    return centre


def _separation(a, b, heights, gaps):
    return heights[a] / 2 + gaps(a, b) + heights[b] / 2


def _pull(layer, centre, neighbours, heights, gaps):
    wanted = []
    for node in layer:
        near = [centre[n] for n in neighbours.get(node, ())]
        wanted.append(sum(near) / len(near) if near else centre[node])
    separations = [
        _separation(a, b, heights, gaps) for a, b in itertools.pairwise(layer)
    ]
    for node, y in zip(layer, place_in_order(wanted, separations), strict=True):
        centre[node] = y
