"""``TrainingDivergedError``: the loss or a gradient blew up during training.

Kept free of TensorFlow so that ``nda_models.TrainingDivergedError`` can be
caught (``except nda.TrainingDivergedError``) without importing it.
"""


class TrainingDivergedError(RuntimeError):
    """Training diverged: a loss or gradient became NaN or infinite, or the
    loss grew past ``divergence_factor`` times its first value.

    The weights were rolled back before the error was raised, so the model
    holds the last finite values. Steps and epochs are 1-based, as Keras
    prints them ("Epoch 1/20"): step 1 is the first update of the run.

    Attributes:
        step: The 1-based global step whose loss or gradient was bad.
        epoch: The 1-based epoch of that step.
        learning_rate: η_t at that step.

    Example:
        >>> x = np.linspace(-10, 10, 64, dtype="float32").reshape(32, 2)
        >>> y = (100 * x[:, 0]).astype("float32")
        >>> model = nda.build_model("linear_regressor", input_dim=2)
        >>> trainer = nda.Trainer(model, learning_rate=10.0, seed=0)  # far too big
        >>> try:
        ...     trainer.fit(x, y, epochs=5)
        ... except nda.TrainingDivergedError as error:
        ...     print(error.step, error.epoch, error.learning_rate)
        2 2 10.0
        >>> bool(np.isfinite(model.get_weights()[0]).all())  # rolled back
        True
    """

    def __init__(self, message, *, step, epoch, learning_rate):
        super().__init__(message)
        self.step = step
        self.epoch = epoch
        self.learning_rate = learning_rate

    def __reduce__(self):  # picklable with its attributes (multiprocessing)
        return (
            _rebuild,
            (str(self), self.step, self.epoch, self.learning_rate),
        )


def _rebuild(message, step, epoch, learning_rate):
    return TrainingDivergedError(
        message, step=step, epoch=epoch, learning_rate=learning_rate
    )
