"""The compiled training loop: the step (forward, loss, backprop, update), the
fused graph loops that run many steps per call, mini-batch sampling, the
optimizers and schedules, evaluation, and the epoch runner that calls the
callbacks where ``model.fit`` does."""
