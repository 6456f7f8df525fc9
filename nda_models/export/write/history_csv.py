"""history.csv: the per-epoch training history, as Keras's CSVLogger writes it.

One row per epoch: an ``epoch`` column then one column per logged quantity
(``loss``, ``val_loss``, ``accuracy`` ...). Epochs are numbered from 1, as
Keras prints them ("Epoch 1/20") and as every step and epoch number the
package shows (CSVLogger's own files count from 0).

Example:
    >>> history_frame({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]})
       epoch  loss  val_loss
    0      1   0.9       1.0
    1      2   0.5       0.7
"""

from nda_models.core.lazy_module import lazy_module

pd = lazy_module("pandas")


def history_frame(history):
    """Returns the history as a pandas DataFrame with an ``epoch`` column.

    Args:
        history: A ``keras.callbacks.History`` (or anything with a
            ``.history`` dict), a dict of per-epoch lists, or a DataFrame.

    Raises:
        TypeError: for another type.
        ValueError: if the lists have different lengths.
    """
    if isinstance(history, pd.DataFrame):
        frame = history.reset_index(drop=True).copy()
    else:
        logs = getattr(history, "history", history)
        if not isinstance(logs, dict):
            raise TypeError(
                "`history` must be a keras History, a dict of per-epoch lists or "
                "a pandas DataFrame. Received: history of type "
                f"{type(history).__name__}"
            )
        lengths = {key: len(values) for key, values in logs.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(
                "Every history entry must have one value per epoch. Received "
                f"lengths: {lengths}"
            )
        frame = pd.DataFrame({str(key): list(values) for key, values in logs.items()})
    if "epoch" not in frame.columns:
        frame.insert(0, "epoch", range(1, len(frame) + 1))
    return frame
