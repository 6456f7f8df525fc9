"""The table of the lecture's slide "Regression Example".

Every ``every`` iterations the slide lists the iteration t, the loss J(Θ_t),
the gradient ∇J(Θ_t) and the parameters Θ_t, signed with three decimals:

    #it     Loss      Gradient ...      Theta ...
    0       +12.481   -6.777  -1.732    -3.388  +0.000

How it is computed: with this callback among the callbacks, ``Trainer``
runs exactly ``every`` steps per graph call (chunks aligned on the global
step), so ``on_train_batch_end`` fires after steps every, 2·every, ...
There the callback evaluates the loss and the gradient on the whole table
data at the current parameters, without updating them, with the trainer's
small compiled function ``loss_and_gradients`` (one more graph call per
row). Row 0 is printed at ``on_train_begin``, before any update.
"""

import keras
import numpy as np

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.core.constraints import POSITIVE_INT

MAX_LABELLED = 8


def component_labels(variables):
    """Names of the parameter components: w1..wd for a kernel, b for a bias."""
    labels = []
    for variable in variables:
        size = int(np.prod(variable.shape))
        base = variable.name.rsplit("/", 1)[-1]
        if base == "kernel" and size == variable.shape[0]:
            labels += [f"w{i}" for i in range(1, size + 1)]
        elif base == "bias" and size == 1:
            labels.append("b")
        else:
            labels += [f"{base}[{i}]" for i in range(size)]
    return labels


class IterationTable(LoopCallback):
    """Prints iteration, loss, gradient components and parameters every k steps.

    Args:
        every: k, steps between rows (the slide uses 20).
        data: ``(x, y)`` on which the loss and gradient are computed;
            ``None`` means the training arrays given to ``fit``.
        print_fn: Called with each line (``print`` by default).

    Attributes:
        rows: Printed rows as dicts with ``iteration``, ``loss``,
            ``gradient`` (NumPy vector) and ``theta`` (NumPy vector);
            components follow ``model.trainable_variables`` (kernel, bias).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 2)).astype("float32")
        >>> y = (5 + 2 * x[:, 0] - 3 * x[:, 1]).astype("float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)  # Θ_0 = 0
        >>> table = IterationTable(every=20)
        >>> _ = nda.Trainer(model, batch_size=200, learning_rate=0.05).fit(
        ...     x, y, epochs=60, callbacks=[table])  # doctest: +ELLIPSIS
        #it   Loss      Gradient                     Theta
                        ∂w1      ∂w2      ∂b         w1       w2       b
        0     +34.698   -2.592   +5.638   -9.460     +0.000   +0.000   +0.000
        20    ...
        >>> [row["iteration"] for row in table.rows]
        [0, 20, 40, 60]
        >>> np.round(table.rows[-1]["theta"], 1).tolist()  # toward (2, -3, 5)
        [2.0, -3.0, 5.0]
    """

    def __init__(self, every=20, data=None, print_fn=print):
        super().__init__()
        self.every = POSITIVE_INT.check("every", every)
        self.steps_per_execution = self.every  # Trainer.fit: a row every k steps
        self.data = data
        self.print_fn = print_fn

    def reset(self):
        self.rows = []

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.trainer is None:
            raise RuntimeError(
                "IterationTable needs the nda Trainer (it evaluates the full "
                "gradient with the trainer's loss): use Trainer.fit, not model.fit. "
                "Received: no trainer"
            )
        data = self.data if self.data is not None else self.training_data
        if data is None:
            raise ValueError(
                "IterationTable needs data=(x, y) when fit reads a tf.data.Dataset. "
                "Received: data=None"
            )
        self._data = data
        self._print_row(int(self.trainer.loop.step), header=True)

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.trainer.loop.step)
        if step % self.every == 0 and (
            not self.rows or self.rows[-1]["iteration"] != step
        ):
            self._print_row(step)

    def _print_row(self, step, header=False):
        loss, gradients = self.trainer.full_loss_and_gradients(*self._data)
        gradient = np.concatenate([np.ravel(g) for g in gradients])
        theta = np.concatenate(
            [
                np.ravel(keras.ops.convert_to_numpy(v))
                for v in self.model.trainable_variables
            ]
        )
        self.rows.append(
            {"iteration": step, "loss": loss, "gradient": gradient, "theta": theta}
        )
        width = 9 * len(gradient)
        if header:
            self.print_fn(f"{'#it':<6}{'Loss':<10}{'Gradient':<{width}}  Theta")
            labels = component_labels(self.model.trainable_variables)
            if len(labels) <= MAX_LABELLED:  # the slide's small models: name them
                names = "".join(f"{'∂' + label:<9}" for label in labels)
                values = "".join(f"{label:<9}" for label in labels).rstrip()
                self.print_fn(f"{'':<16}{names}  {values}")
        numbers = "".join(f"{v:<+9.3f}" for v in gradient)
        params = "".join(f"{v:<+9.3f}" for v in theta).rstrip()
        self.print_fn(f"{step:<6d}{loss:<+10.3f}{numbers}  {params}")
