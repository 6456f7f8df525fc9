"""Orders the nodes of each layer so that few edges cross (barycentre sweeps).

The second phase of a Sugiyama layout: given the layers, each node moves to
the mean position (barycentre) of its neighbours in the layer before (a
down sweep) or after (an up sweep); the order with the fewest crossings
seen is kept. Crossings between two layers are counted as inversions.
"""


def count_crossings(order, edges):
    """Number of pairs of edges that cross, for edges between adjacent layers.

    Args:
        order: ``order[layer]`` lists that layer's nodes, top to bottom.
        edges: ``(upper, lower)`` pairs, ``lower`` in the next layer.

    Returns:
        The number of crossing pairs.

    Example:
        >>> count_crossings([[0, 1], [2, 3]], [(0, 3), (1, 2)])
        1
        >>> count_crossings([[0, 1], [2, 3]], [(0, 2), (1, 3)])
        0
    """
    position = {node: k for layer in order for k, node in enumerate(layer)}
    layer_of = {node: i for i, layer in enumerate(order) for node in layer}
    by_layer = {}
    for upper, lower in edges:
        by_layer.setdefault(layer_of[upper], []).append(
            (position[upper], position[lower])
        )
    return sum(_inversions(sorted(pairs)) for pairs in by_layer.values())


def _inversions(pairs):
    """Pairs i < j with b_i > b_j once sorted by (a, b): crossing edges."""
    lows = [b for _, b in pairs]
    size = max(lows, default=0) + 1
    tree = [0] * (size + 1)  # Fenwick tree of the lower ends seen so far
    crossings = 0
    for seen, b in enumerate(lows):
        k, not_above = b + 1, 0
        while k > 0:
            not_above += tree[k]
            k -= k & -k
        crossings += seen - not_above  # earlier edges ending strictly below b
        k = b + 1
        while k <= size:
            tree[k] += 1
            k += k & -k
    return crossings


def order_layers(order, edges, *, sweeps=12):
    """Reorders every layer by barycentre sweeps, down then up, repeatedly.

    Args:
        order: Initial ``order[layer]`` lists (not modified).
        edges: ``(upper, lower)`` pairs between adjacent layers.
        sweeps: Number of down-and-up rounds at most.

    Returns:
        The best order found (fewest crossings), as a list of lists.

    Example:
        >>> order_layers([[0, 1], [2, 3]], [(0, 3), (1, 2)])
        [[0, 1], [3, 2]]
    """
    above = {}
    below = {}
    for upper, lower in edges:
        below.setdefault(upper, []).append(lower)
        above.setdefault(lower, []).append(upper)
    current = [list(layer) for layer in order]
    best, fewest = [list(layer) for layer in current], count_crossings(current, edges)
    for _ in range(sweeps):
        if fewest == 0:
            break
        for k in range(1, len(current)):
            current[k] = _by_barycentre(current[k], current[k - 1], above)
        for k in range(len(current) - 2, -1, -1):
            current[k] = _by_barycentre(current[k], current[k + 1], below)
        crossings = count_crossings(current, edges)
        if crossings < fewest:
            best, fewest = [list(layer) for layer in current], crossings
    return best


def _by_barycentre(layer, fixed, neighbours):
    """Sorts ``layer`` by the mean position of each node's neighbours in ``fixed``.

    A node without neighbours there keeps its own position as its key, so it
    stays roughly where it was; ties keep the current order (stable sort).
    """
    position = {node: k for k, node in enumerate(fixed)}
    scale = len(fixed) / max(len(layer), 1)

    def key(item):
        k, node = item
        near = [position[n] for n in neighbours.get(node, ()) if n in position]
        return sum(near) / len(near) if near else k * scale

    return [node for _, node in sorted(enumerate(layer), key=key)]
