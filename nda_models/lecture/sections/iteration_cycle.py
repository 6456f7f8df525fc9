"""The deep-learning iteration cycle, one stage at a time, on one mini-batch.

Lecture 12, slides "Deep Learning Iteration Cycle" (forward pass, loss,
back-propagation, update), "Backpropagation" (Algorithm 5.3: the forward
pass evaluates each block, the backward pass sends each block the message
∂loss/∂output from above) and "Loss functions" (LogSoftmax + NLL). On one
batch of M = 16 wine samples and a small ``mlp_classifier``, the section

1. runs the forward pass layer by layer (``backprop_trace``),
2. evaluates the NLL loss and checks it against the NumPy formula,
3. prints the backward messages, checking the one at the logits against the
   lecture's (softmax − one_hot)/M,
4. applies one SGD step by hand, θ ← θ − η·∇θ, and checks it equals the
   ``Trainer``'s step on the same batch.

Figure: ``iteration_cycle.png`` (norms of the forward activations and of the
backward messages per layer; the hand update against the Trainer's).
"""

import numpy as np

import nda_models as nda
from nda_models.data import load_dataset
from nda_models.lecture.iteration_cycle import sgd_update
from nda_models.lecture.loss_formulas import LOSS_FORMULAS
from nda_models.lecture.script_io import pyplot

BATCH_SIZE = 16
LEARNING_RATE = 0.1

__all__ = ["backward_pass", "cycle_figure", "forward_pass", "loss", "model_and_batch",
           "update"]  # fmt: skip


def model_and_batch():
    """A small ``mlp_classifier`` (hidden layer (8,)) and the first M = 16
    training rows of ``wine``.

    Returns:
        ``(model, x, y)``.
    """
    ds = load_dataset("wine", seed=0)
    x, y = ds.x_train[:BATCH_SIZE], ds.y_train[:BATCH_SIZE]
    model = nda.build_model("mlp_classifier", input_dim=ds.input_dim,
                            num_classes=ds.num_classes, hidden_units=(8,), seed=0,
                            normalization=ds.normalization)  # fmt: skip
    return model, x, y


def forward_pass(model, x, y):
    """Runs ``backprop_trace`` on the batch; prints the forward pass, layer
    by layer. Returns the ``BackpropTrace``."""
    trace = nda.backprop_trace(model, x, y)
    print(f"1. {trace.table().split('BACKWARD PASS')[0].rstrip()}")
    return trace


def loss(trace, y):
    """Prints the NLL of the batch beside two NumPy evaluations of it (from
    the log-probabilities, from the logits); returns it."""
    log_probs = trace["log_probabilities"].activation
    # NLL from the LogSoftmax output: −mean log p_{y_i}, the slide's NLLLoss.
    reference = -log_probs[np.arange(len(y)), y].mean()
    logits = trace["logits"].activation
    formula = LOSS_FORMULAS["negative_log_likelihood"](y, logits).mean()
    print(f"2. LOSS  NLL = {trace.loss:.6f}  (NumPy from log-probabilities "
          f"{reference:.6f}, from the logits {formula:.6f})")  # fmt: skip
    return trace.loss


def backward_pass(trace, y):
    """Prints the backward messages and checks the one at the logits against
    the lecture's (softmax − one_hot)/M; returns that largest difference."""
    print(f"3. BACKWARD PASS{trace.table().split('BACKWARD PASS')[1]}")
    logits = trace["logits"].activation.astype(np.float64)
    softmax = np.exp(logits - logits.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    expected = (softmax - np.eye(logits.shape[1])[y]) / len(y)
    error = np.abs(trace["logits"].upstream_gradient - expected).max()
    print(
        f"   message at the logits vs (softmax − one_hot)/M: max abs error {error:.3e}"
    )
    return error


def update(model, trace, x, y):
    """One SGD step by hand, θ ← θ − η·∇θ, then the ``Trainer``'s step on the
    same batch; prints their largest difference.

    Returns:
        ``(before, by_hand, after)``: variable path -> value, before the
        step, by hand, and after the Trainer's step (the model keeps it).
    """
    before = {v.path: v.numpy().astype(np.float64) for v in model.trainable_variables}
    by_hand = sgd_update(model, trace, LEARNING_RATE)
    trainer = nda.Trainer(model, learning_rate=LEARNING_RATE, batch_size=len(x),
                          seed=0)  # fmt: skip
    trainer.fit(x, y, epochs=1)
    after = {v.path: v.numpy().astype(np.float64) for v in model.trainable_variables}
    difference = max(np.abs(by_hand[k] - after[k]).max() for k in after)
    print(f"4. UPDATE θ ← θ − η·∇θ with η = {LEARNING_RATE}")
    print(f"   max |θ_by_hand − θ_Trainer| = {difference:.3e}")
    return before, by_hand, after


def cycle_figure(trace, step):
    """Norms of the forward activations and backward messages per layer, and
    the hand update against the Trainer's. Returns the Figure (open)."""
    before, by_hand, after = step
    fig, (left, right) = pyplot().subplots(
        1, 2, figsize=(13, 4.5), layout="constrained"
    )
    names = [layer.name for layer in trace.layers]
    positions = np.arange(len(names))
    forward = [np.linalg.norm(layer.activation) for layer in trace.layers]
    backward = [np.linalg.norm(layer.upstream_gradient) for layer in trace.layers]
    # Two y-axes: backward messages are ~100x smaller than activations, so
    # each gets its own linear scale, labelled in its own colour.
    back = left.twinx()
    bars = left.bar(positions - 0.2, forward, 0.4, color="C0",
                    label="forward: ‖activation‖ (left axis)")  # fmt: skip
    left.bar_label(bars, fmt="%.3g", fontsize=8)
    bars = back.bar(positions + 0.2, backward, 0.4, color="C1",
                    label="backward: ‖∂loss/∂activation‖ (right axis)")  # fmt: skip
    back.bar_label(bars, fmt="%.3g", fontsize=8)
    left.set_ylim(0, 1.3 * max(forward))
    back.set_ylim(0, 1.3 * max(backward))
    left.set_ylabel("‖activation‖ over the batch (forward)", color="C0")
    back.set_ylabel("‖∂loss/∂activation‖ over the batch (backward)", color="C1")
    left.set_xticks(positions, names, rotation=20)
    left.set_xlabel("layer (input side left, loss side right)")
    left.set_title(
        "Forward pass left to right, backward messages right to left\n"
        f"(one batch, M = {len(trace.inputs)})"
    )
    # On the twin axis, which is drawn on top of the left one.
    back.legend(handles=[*left.containers, *back.containers], loc="upper left",
                fontsize=8)  # fmt: skip
    step_hand = np.concatenate([(by_hand[k] - before[k]).ravel() for k in before])
    step_trainer = np.concatenate([(after[k] - before[k]).ravel() for k in before])
    right.scatter(step_trainer, step_hand, s=10)
    low, high = step_trainer.min(), step_trainer.max()
    right.plot([low, high], [low, high], "k--", lw=1, label="θ_by_hand = θ_Trainer")
    right.set_xlabel("change of each parameter by the Trainer's step (unitless)")
    right.set_ylabel("change by hand: −η·∂loss/∂θ (unitless)")
    right.set_title(
        f"One SGD step by hand equals the Trainer's (η = {LEARNING_RATE}, "
        f"M = {len(trace.inputs)})"
    )
    right.legend(loc="upper left")
    return fig
