"""The table of the lecture's slide "Regression Example".

Every ``every`` iterations the slide lists the iteration t, the loss J(Θ_t),
the gradient ∇J(Θ_t) and the parameters Θ_t, signed with three decimals:

    #it     Loss      Gradient ...      Theta ...
    0       +12.481   -6.777  -1.732    -3.388  +0.000

Those columns fit a model with a few parameters. A model with more than
``MAX_COMPONENTS`` (6) parameter components gets norms instead, the
Euclidean norms ‖∇J(Θ_t)‖ and ‖Θ_t‖ over every trainable variable, so that
no printed line is longer than ``MAX_LINE`` (200) characters whatever the
model (an MLP has thousands of components). ``rows`` keep every component.

How it is computed: with this callback among the callbacks, ``Trainer``
runs exactly ``every`` steps per graph call (chunks aligned on the global
step), so ``on_train_batch_end`` fires after steps every, 2·every, ...
There the callback evaluates the loss and the gradient on the whole table
data at the current parameters, without updating them, with the trainer's
small compiled function ``loss_and_gradients`` (one more graph call per
row). Row 0 is printed at ``on_train_begin``, before any update. In Jupyter
the table shows itself as HTML (``_repr_html_``); ``print_fn=None`` prints
nothing and keeps the rows for that display.
"""

import html

import keras
import numpy as np

from nda_models.callbacks.loop_callback import LoopCallback
from nda_models.core.constraints import POSITIVE_INT

MAX_COMPONENTS = 6  # beyond this many parameters, the table shows norms
MAX_LINE = 200  # characters, the longest line the table prints
_WIDTH = 9  # characters per number column, wider for long component names


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

    With more than ``MAX_COMPONENTS`` parameter components, the gradient and
    parameter columns become their norms ‖∇J‖ and ‖Θ‖.

    Args:
        every: k, steps between rows (the slide uses 20).
        data: ``(x, y)`` on which the loss and gradient are computed;
            ``None`` means the training arrays given to ``fit``.
        print_fn: Called with each line (``print`` by default); ``None``
            prints nothing (the rows are kept, and shown in Jupyter).

    Attributes:
        rows: Rows as dicts with ``iteration``, ``loss``, ``gradient``
            (NumPy vector) and ``theta`` (NumPy vector); components follow
            ``model.trainable_variables`` (kernel, bias).

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
        self.labels = []

    @property
    def shows_norms(self):
        """True when the columns are the norms ‖∇J‖ and ‖Θ‖ (a large model)."""
        return len(self.labels) > MAX_COMPONENTS

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
        self.labels = component_labels(self.model.trainable_variables)
        for line in self.header_lines():
            self._print(line)
        self._add_row(int(self.trainer.loop.step))

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.trainer.loop.step)
        if step % self.every == 0 and (
            not self.rows or self.rows[-1]["iteration"] != step
        ):
            self._add_row(step)

    def _add_row(self, step):
        loss, gradients = self.trainer.full_loss_and_gradients(*self._data)
        gradient = np.concatenate([np.ravel(g) for g in gradients])
        theta = np.concatenate(
            [
                np.ravel(keras.ops.convert_to_numpy(v))
                for v in self.model.trainable_variables
            ]
        )
        row = {"iteration": step, "loss": loss, "gradient": gradient, "theta": theta}
        self.rows.append(row)
        self._print(self.row_line(row))

    def _print(self, line):
        if self.print_fn is not None:
            self.print_fn(line)

    # -- what is shown ------------------------------------------------------
    def column_names(self):
        """(gradient columns, parameter columns) of the table."""
        if self.shows_norms:
            return ["‖∇J‖"], ["‖Θ‖"]
        return [f"∂{label}" for label in self.labels], list(self.labels)

    def cells(self, row):
        """(gradient cells, parameter cells) of ``row``: components or norms."""
        if self.shows_norms:
            return [np.linalg.norm(row["gradient"])], [np.linalg.norm(row["theta"])]
        return list(row["gradient"]), list(row["theta"])

    def header_lines(self):
        """The header: titles, then the name of every column."""
        gradients, params = self.column_names()
        width = self._width() * len(gradients)
        if self.shows_norms:
            return [
                f"{'#it':<6}{'Loss':<10}{'‖∇J‖':<{width}}  ‖Θ‖   "
                f"({len(self.labels)} parameters: norms over all of them)"
            ]
        names = "".join(f"{name:<{self._width()}}" for name in gradients)
        values = "".join(f"{name:<{self._width()}}" for name in params).rstrip()
        return [
            f"{'#it':<6}{'Loss':<10}{'Gradient':<{width}}  Theta",
            f"{'':<16}{names}  {values}",
        ]

    def row_line(self, row):
        """One row as printed: ``0     +12.481   -6.777   ...``."""
        gradient, theta, width = *self.cells(row), self._width()
        numbers = "".join(f"{v:<+{width}.3f}" for v in gradient)
        params = "".join(f"{v:<+{width}.3f}" for v in theta).rstrip()
        return f"{row['iteration']:<6d}{row['loss']:<+10.3f}{numbers}  {params}"

    def _width(self):
        names = [*self.column_names()[0], *self.column_names()[1]]
        return max([_WIDTH, *(len(name) + 2 for name in names)])

    def _repr_html_(self):
        """The rows as an HTML table with the printed columns (escaped)."""
        gradients, params = self.column_names()
        head = "".join(
            f"<th>{html.escape(name)}</th>" for name in ["#it", "Loss", *gradients,
                                                         *params]
        )  # fmt: skip
        body = "".join(self._html_row(row) for row in self.rows)
        note = (
            f"<p>{len(self.labels)} parameters: the columns are the norms "
            f"‖∇J‖ and ‖Θ‖ over all of them.</p>"
            if self.shows_norms
            else ""
        )
        return (
            f"<div>{note}<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )

    def _html_row(self, row):
        gradient, theta = self.cells(row)
        values = [f"{row['loss']:+.3f}", *(f"{v:+.3f}" for v in [*gradient, *theta])]
        cells = "".join(f"<td>{html.escape(v)}</td>" for v in values)
        return f"<tr><td>{row['iteration']}</td>{cells}</tr>"
