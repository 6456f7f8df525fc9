"""The bookkeeping of a training run around the loop: checkpoints and resume,
the run signature that a resumed run must match, and ``tf.distribute``
strategies."""
