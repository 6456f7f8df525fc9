"""Backprop made visible: each layer's forward output and its backward message.

Lecture section "Back-propagation" (Algorithm 5.3, Example 3): the forward
pass evaluates every block in the direction of the edges; the backward pass
sends each block the message ∂loss/∂(block output) from the block above, the
block multiplies it by its local derivatives and passes it on, and each
parameter node collects ∂loss/∂θ. ``backprop_trace`` runs a zoo model layer
by layer under one ``tf.GradientTape``, watches every layer output, and
returns those messages for one batch.

For the softmax head with the NLL loss, the message arriving at the logits is
``(softmax(z) - one_hot(y)) / M`` for a batch of M examples.
"""

import dataclasses

import numpy as np

from nda_models.autodiff.layer_page import layer_page
from nda_models.autodiff.layer_table import layer_table
from nda_models.autodiff.page_file import write_page
from nda_models.core.lazy_module import lazy_module
from nda_models.zoo import default_loss, get_loss, training_view
from nda_models.zoo.keras_model import check_keras_model

keras = lazy_module("keras")
tf = lazy_module("tensorflow")


@dataclasses.dataclass(frozen=True, repr=False)
class LayerTrace:
    """One block of the network as backprop sees it.

    Attributes:
        name: The Keras layer name (``"hidden_1"``, ``"logits"``, ...).
        activation: The layer's forward output for the batch, NumPy (M, units).
        upstream_gradient: ∂loss/∂activation, the message arriving from the
            layer above; same shape as ``activation``.
        parameter_gradients: ``{variable name: ∂loss/∂variable}`` for the
            layer's trainable variables (``"kernel"``, ``"bias"``), NumPy.
    """

    name: str
    activation: np.ndarray
    upstream_gradient: np.ndarray
    parameter_gradients: dict

    def __repr__(self):
        grads = ", ".join(self.parameter_gradients)
        return (
            f"LayerTrace(name={self.name!r}, activation shape="
            f"{self.activation.shape}, parameters=[{grads}])"
        )


@dataclasses.dataclass(frozen=True, repr=False)
class BackpropTrace:
    """Forward activations and backward messages of one batch.

    Attributes:
        loss: The scalar training loss of the batch (data loss plus any
            regularisation penalties of the model, as the training step uses).
        inputs: The batch of features fed to the model, NumPy (M, d).
        layers: ``LayerTrace`` per layer, in forward (topological) order,
            ending at the layer the loss reads.
    """

    loss: float
    inputs: np.ndarray
    layers: tuple

    def __getitem__(self, name):
        for layer in self.layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in self.layers]
        raise KeyError(f"No layer named {name!r} in the trace. Layers: {names}")

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        names = [layer.name for layer in self.layers]
        return f"BackpropTrace(loss={self.loss:.6g}, layers={names})"

    def __str__(self):
        return self.table()

    def _repr_html_(self):
        return layer_table(self)

    def to_html(self, path, *, title=None):
        """Writes a self-contained page that steps through this batch's backprop.

        Forward pass layer by layer (‖h‖ per layer), then the backward pass
        message by message (‖∂ℓ/∂h‖ and the parameters' gradients); see
        ``nda_models.autodiff.layer_page`` for what the page holds.

        Args:
            path: The .html file (written atomically; a link is followed, a
                FIFO or a folder refused).
            title: The page's heading.

        Returns:
            The path written (``pathlib.Path``).
        """
        return write_page(path, layer_page(self, title=title)[0])

    def table(self):
        """Returns the messages as text, in the order the slides draw them.

        First the forward pass from the input up to the loss (output shape and
        norm of each block), then the backward pass from the loss down to the
        first layer (shape and norm of the message ∂loss/∂output arriving at
        each block, and of the gradients its parameters collect).
        """
        lines = ["FORWARD PASS (input -> loss)"]
        lines.append(_row("input", self.inputs))
        lines += [_row(layer.name, layer.activation) for layer in self.layers]
        lines.append(f"  {'loss':<20} {'()':<12} value={self.loss:+.6g}")
        lines.append("BACKWARD PASS (loss -> input): message ∂loss/∂output")
        for layer in reversed(self.layers):
            lines.append(_row(layer.name, layer.upstream_gradient))
            for var_name, grad in layer.parameter_gradients.items():
                lines.append(_row(f"  ∂loss/∂{var_name}", grad))
        return "\n".join(lines)


def _row(label, array):
    shape = str(tuple(array.shape))
    return f"  {label:<20} {shape:<12} norm={float(np.linalg.norm(array)):.6g}"


def backprop_trace(model, x, y, *, loss=None, training=True):
    """Runs one batch forward and backward and returns every layer's messages.

    The model is evaluated layer by layer up to the layer its loss reads
    (``training_view``); a ``tf.GradientTape`` watches each layer output, and
    ``tape.gradient(loss, outputs)`` gives the message arriving at each layer
    from above, while ``tape.gradient(loss, weights)`` gives the parameter
    gradients — the same ones a training step applies.

    Args:
        model: A Keras functional model (a zoo model or any model whose layers
            are each called once).
        x: Features of one batch, array-like (M, d).
        y: Labels of the batch, (M,).
        loss: A Keras loss object or a registered loss name; ``None`` uses the
            model's registered loss (``default_loss``).
        training: Passed to each layer call (dropout is active when ``True``).

    Returns:
        A ``BackpropTrace``.

    Raises:
        TypeError: if ``model`` is not a functional Keras model.
        ValueError: if a layer is used more than once (shared layers), or ``x``
            and ``y`` do not have the same number of rows.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
        >>> y = np.array([0, 1, 2, 0, 1, 2, 0, 1])
        >>> model = nda.build_model(
        ...     "mlp_classifier", input_dim=4, num_classes=3, hidden_units=(5,), seed=0)
        >>> trace = backprop_trace(model, x, y)
        >>> print(trace.table())  # ... : norms that depend on the initial weights
        FORWARD PASS (input -> loss)
          input                (8, 4)       norm=4.59883
          hidden_1             (8, 5)       norm=...
          logits               (8, 3)       norm=...
          log_probabilities    (8, 3)       norm=...
          loss                 ()           value=+...
        BACKWARD PASS (loss -> input): message ∂loss/∂output
          log_probabilities    (8, 3)       norm=0.353553
          logits               (8, 3)       norm=...
            ∂loss/∂kernel      (5, 3)       norm=...
            ∂loss/∂bias        (3,)         norm=...
          hidden_1             (8, 5)       norm=...
            ∂loss/∂kernel      (4, 5)       norm=...
            ∂loss/∂bias        (5,)         norm=...

        The loss is −(1/M) Σ log p_y, so the first message is −one_hot(y)/M
        (norm 1/√8 above); the logits receive (softmax(z) − one_hot(y))/M, and
        the logits' kernel collects hᵀ·message. In NumPy:

        >>> log_p, z = trace["log_probabilities"].activation, trace["logits"].activation
        >>> bool(np.isclose(trace.loss, -log_p[np.arange(8), y].mean()))
        True
        >>> softmax = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        >>> message = trace["logits"].upstream_gradient
        >>> np.allclose(message, (softmax - np.eye(3)[y]) / 8, atol=1e-7)
        True
        >>> h = trace["hidden_1"].activation
        >>> np.allclose(trace["logits"].parameter_gradients["kernel"], h.T @ message)
        True
    """
    check_keras_model(model, functional=True)
    view = training_view(model)
    x, y = _check_batch(x, y)
    if loss is None:
        loss = default_loss(model)
    elif isinstance(loss, str):
        loss = get_loss(loss)
    with tf.GradientTape(persistent=True) as tape:
        layers, outputs, prediction = _forward(view, x, tape, training)
        value = loss(y, prediction)
        if model.losses:
            value = value + tf.add_n(model.losses)
    messages = tape.gradient(value, outputs)
    traces = [
        _layer_trace(layer, out, msg, tape, value)
        for layer, out, msg in zip(layers, outputs, messages, strict=True)
    ]
    del tape
    return BackpropTrace(float(value), x.numpy(), tuple(traces))


def _check_batch(x, y):
    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32))
    y = np.asarray(y)
    if x.shape.rank != 2 or len(y) != x.shape[0]:
        raise ValueError(
            "x must be (M, d) and y must have M labels, one per row of x. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={y.shape}"
        )
    return x, tf.convert_to_tensor(y)


def _forward(view, x, tape, training):
    """Evaluates the graph one layer at a time, watching each layer output."""
    values = {id(view.input): x}
    layers, outputs = [], []
    for layer in view.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if len(layer._inbound_nodes) != 1:
            raise ValueError(
                f"Layer {layer.name!r} is called {len(layer._inbound_nodes)} times "
                "in the model; backprop_trace needs each layer used once. "
                f"Received: model {view.name!r}"
            )
        out = _call_layer(layer, values, training)
        tape.watch(out)
        values[id(layer.output)] = out
        layers.append(layer)
        outputs.append(out)
    return layers, outputs, values[id(view.output)]


def _call_layer(layer, values, training):
    inputs = layer.input
    if isinstance(inputs, list | tuple):
        args = [values[id(tensor)] for tensor in inputs]
        return layer(args, training=training)
    return layer(values[id(inputs)], training=training)


def _layer_trace(layer, output, message, tape, value):
    variables = list(layer.trainable_variables)
    grads = tape.gradient(value, variables) if variables else []
    parameter_gradients = {
        var.name: _numpy(grad, var.shape)
        for var, grad in zip(variables, grads, strict=True)
    }
    return LayerTrace(
        layer.name,
        output.numpy(),
        _numpy(message, output.shape),
        parameter_gradients,
    )


def _numpy(grad, shape):
    # A block the loss does not depend on receives no message: a zero one.
    if grad is None:
        return np.zeros(tuple(shape), dtype=np.float32)
    return np.asarray(grad)
