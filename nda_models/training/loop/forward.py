"""The forward pass the loop needs: what the loss reads, and the model output.

A zoo classifier computes its loss from an inner layer (logits or
log-probabilities, see ``nda_models.zoo.training_view``) while metrics
such as accuracy read the inference output. ``Forward`` runs one pass that
returns both, sharing the model's weights.
"""

import keras
import tensorflow as tf


class Forward:
    """Callable ``x -> (loss_input, y_hat)`` over one forward pass of ``model``.

    Args:
        model: The Keras model being trained.
        view: The model whose output the loss reads (``model`` itself, or a
            functional view ending at an inner layer).

    Example:
        >>> from nda_models.zoo import training_view
        >>> model = nda.build_model("softmax_classifier", input_dim=4, num_classes=3)
        >>> forward = Forward(model, training_view(model))  # the loss reads logits
        >>> logits, probabilities = forward(np.ones((2, 4), "float32"), training=False)
        >>> logits.shape, np.round(np.sum(probabilities, axis=1), 5).tolist()
        (TensorShape([2, 3]), [1.0, 1.0])
    """

    def __init__(self, model, view):
        self.model = model
        self.reads_output = view is model
        if self.reads_output:
            self.network = model
        else:
            self.network = keras.Model(model.input, [view.output, model.output])

    def __call__(self, x, training):
        outputs = self.network(x, training=training)
        if self.reads_output:
            return outputs, outputs
        return outputs[0], outputs[1]

    @property
    def trainable_variables(self):
        return self.model.trainable_variables

    def add_regularization(self, loss):
        """loss + Σ model.losses: weight penalties (e.g. L2) added to the data
        loss (nothing to add, no op, for a model without penalties)."""
        penalties = [tf.cast(p, tf.float32) for p in self.model.losses]
        return tf.add_n([loss, *penalties]) if penalties else loss
