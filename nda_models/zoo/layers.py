"""Small Keras layers the lecture's models need and Keras lacks.

They are classes (not ``Lambda`` layers), registered with Keras by
``nda_models.zoo.custom_objects`` (import them from there), so models that
use them load with Keras's ``safe_mode`` on.
"""

import keras
from keras import ops


class Step(keras.layers.Layer):
    """Heaviside step: 1 where the score is > 0, else 0 (the perceptron's output).

    Rosenblatt's perceptron decides ``y_hat = step(Θᵀx + b)``. The step has no
    useful gradient, so the perceptron is trained on its score (see
    ``PerceptronCriterion``), and this layer is used for inference only.

    Example:
        >>> s = keras.ops.convert_to_tensor([[-1.0], [2.0]])
        >>> keras.ops.convert_to_numpy(Step()(s)).ravel().tolist()
        [0.0, 1.0]
    """

    def call(self, inputs):
        return ops.cast(ops.greater(inputs, 0.0), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape
