"""What each layer of a Keras model shows at every step of one batch's backprop.

Lecture 12, Algorithm 5.3 at the scale of a network: a ``BackpropTrace``
holds, for every layer, its forward output h and the message ∂ℓ/∂h arriving
from above. The story, precomputed into a ``Timeline``:

- Forward pass, t = 1..L: layer t computes h (``data-activation-norm``
  appears: ‖h‖); t = L + 1 = F: the loss ℓ.
- Backward pass, t = F + s: message s arrives at the s-th layer from the top
  (``data-grad-norm``: ‖∂ℓ/∂h‖), and that layer's parameters collect their
  gradients. One pass gives every parameter's gradient.

Norms are Frobenius norms over the whole batch, computed in float64 from the
trace's arrays.
"""

import dataclasses

import numpy as np

from nda_models.autodiff import story_text as text
from nda_models.autodiff.timeline import Timeline


def norm(array):
    """‖array‖ (Frobenius), in float64.

    Example:
        >>> norm(np.array([[3.0, 4.0]], dtype=np.float32))
        5.0
    """
    return float(np.linalg.norm(np.asarray(array, dtype=np.float64)))


@dataclasses.dataclass(frozen=True)
class LayerView:
    """One layer's box: id, name, shape, and the norms it shows."""

    element: str
    name: str
    shape: tuple
    activation_norm: float
    grad_norm: float
    parameters: tuple  # ((variable name, shape, norm), ...)
    activation_profile: tuple  # mean |h| per unit (first units), scaled to 1
    grad_profile: tuple  # mean |∂ℓ/∂h| per unit, scaled to 1
    units: int


@dataclasses.dataclass(frozen=True)
class LayerStory:
    """Views and timeline of one batch through a model."""

    timeline: Timeline
    layers: tuple  # forward order
    loss: float
    input_shape: tuple
    input_norm: float
    parameters: int


def layer_story(trace, *, bars=32):
    """Precomputes every state of the layer page of ``trace``.

    Args:
        trace: A ``BackpropTrace``.
        bars: Units drawn per layer in the activation and message profiles.

    Returns:
        A ``LayerStory``.
    """
    views = tuple(_view(k, layer, bars) for k, layer in enumerate(trace.layers))
    count = len(views)
    timeline = Timeline(count + 1, {"reverse": count}, "reverse")
    parameters = sum(
        int(np.prod(grad.shape))
        for layer in trace.layers
        for grad in layer.parameter_gradients.values()
    )
    story = LayerStory(
        timeline,
        views,
        float(trace.loss),
        tuple(trace.inputs.shape),
        norm(trace.inputs),
        parameters,
    )
    _forward(story)
    _backward(story)
    return story


def _view(k, layer, bars):
    def profile(array):
        flat = np.abs(np.asarray(array, dtype=np.float64)).reshape(len(array), -1)
        means = flat.mean(axis=0)[:bars]
        top = means.max() if means.size and means.max() > 0 else 1.0
        return tuple(float(m / top) for m in means)

    parameters = tuple(
        (name, tuple(grad.shape), norm(grad))
        for name, grad in layer.parameter_gradients.items()
    )
    return LayerView(
        element=f"L{k}",
        name=layer.name,
        shape=tuple(layer.activation.shape),
        activation_norm=norm(layer.activation),
        grad_norm=norm(layer.upstream_gradient),
        parameters=parameters,
        activation_profile=profile(layer.activation),
        grad_profile=profile(layer.upstream_gradient),
        units=int(np.prod(layer.activation.shape[1:])),
    )


def _forward(story):
    timeline, layers = story.timeline, story.layers
    timeline.set("caption", "text", _start(story), at=0)
    timeline.set("pass", "text", "the forward pass: one layer at a time", at=0)
    for k, view in enumerate(layers):
        t = k + 1
        timeline.set(view.element, "data-state", "pending", at=0)
        timeline.set(view.element, "data-state", "current", at=t)
        timeline.set(view.element, "data-state", "done", at=t + 1)
        timeline.set(
            view.element, "data-activation-norm", repr(view.activation_norm), at=t
        )
        timeline.set(
            view.element + "a",
            "text",
            f"‖h‖ = {text.number(view.activation_norm)}",
            at=t,
        )
        source = layers[k - 1].name if k else "the input"
        timeline.set(
            "caption",
            "text",
            f"Forward pass, layer {t} of {len(layers)}: {view.name} reads "
            f"{source} and computes h, a {view.shape} array with ‖h‖ = "
            f"{text.number(view.activation_norm)}.",
            at=t,
        )
    end = len(layers) + 1
    timeline.set("loss", "data-state", "pending", at=0)
    timeline.set("loss", "data-value", repr(story.loss), at=end)
    timeline.set("lossv", "text", f"ℓ = {text.number(story.loss)}", at=end)
    timeline.set("loss", "data-state", "current", at=end)
    timeline.set(
        "caption",
        "text",
        f"The loss of the batch: ℓ = {text.number(story.loss)}. End of the "
        "forward pass: every activation is known, no gradient yet. Next: "
        f"one backward pass, {len(layers)} messages, from ℓ down to "
        f"{layers[0].name if layers else 'the input'}.",
        at=end,
    )
    timeline.set("loss", "data-state", "done", at=end + 1)
    for t in range(end + 1):
        timeline.set("position", "text", f"forward pass: {t} of {end} computed", at=t)
        timeline.set("equation", "text", None, at=t)


def _backward(story):
    timeline, layers = story.timeline, story.layers
    start = timeline.forward_steps
    for s, k in enumerate(range(len(layers) - 1, -1, -1), start=1):
        view, t = layers[k], start + s
        sender = layers[k + 1].element if k + 1 < len(layers) else "loss"
        sender_name = layers[k + 1].name if k + 1 < len(layers) else "the loss"
        edge = f"E{k + 1}"
        timeline.set(view.element, "data-grad-norm", repr(view.grad_norm), at=t)
        timeline.set(
            view.element + "g", "text", f"‖∂ℓ/∂h‖ = {text.number(view.grad_norm)}", at=t
        )
        for j, (name, _, value) in enumerate(view.parameters):
            timeline.set(
                f"{view.element}p{j}",
                "text",
                f"‖∂ℓ/∂{name}‖ = {text.number(value)}",
                at=t,
            )
        timeline.set(edge, "data-message", repr(view.grad_norm), at=t)
        timeline.set(edge + "b", "text", f"← {text.number(view.grad_norm)}", at=t)
        for element, key, value in (
            (edge, "data-active", "true"),
            (view.element, "data-role", "receive"),
            (sender, "data-role", "send"),
        ):
            timeline.set(element, key, value, at=t)
            timeline.set(element, key, None, at=t + 1)
        timeline.set(
            "caption", "text", _message_words(view, sender_name, s, story), at=t
        )
        timeline.set(
            "equation",
            "text",
            f"‖∂ℓ/∂h_{view.name}‖ = {text.number(view.grad_norm)}",
            at=t,
        )
        timeline.set("position", "text", f"step {s} of {len(layers)}", at=t)
        timeline.set("pass", "text", "the backward pass (1 of 1)", at=t)


def _start(story):
    rows, columns = story.input_shape
    return (
        f"Forward pass. The input: a batch of {rows} examples with {columns} "
        f"features (‖x‖ = {text.number(story.input_norm)}). Each step evaluates "
        "one layer, in the direction of the edges."
    )


def _message_words(view, sender, s, story):
    if s == 1:
        words = (
            f"Step 1 of {len(story.layers)}: {sender} sends its message ∂ℓ/∂h to "
            f"{view.name}: a {view.shape} array of norm {text.number(view.grad_norm)}."
        )
    else:
        words = (
            f"Step {s} of {len(story.layers)}: {sender} multiplies the message it "
            "received by its local derivatives (its Jacobian) and sends "
            f"∂ℓ/∂h to {view.name}: a {view.shape} array of norm "
            f"{text.number(view.grad_norm)}."
        )
    if view.parameters:
        collected = ", ".join(
            f"‖∂ℓ/∂{name}‖ = {text.number(value)}" for name, _, value in view.parameters
        )
        words += f" Its parameters collect their gradients: {collected}."
    if s == len(story.layers):
        words += (
            f" Done: all {story.parameters} partial derivatives in 1 backward pass; "
            f"forward mode would need {story.parameters} passes, one per parameter."
        )
    return words
