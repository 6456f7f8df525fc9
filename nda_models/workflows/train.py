"""One training run end to end: dataset -> model -> Trainer -> metrics -> bundle.

This is what ``nda train`` and ``make demo`` run; it is plain use of the
public API (``load_dataset``, ``build_model``, ``Trainer``, ``save_model``).
"""

import dataclasses
import pathlib
import time

import nda_models as nda
from nda_models.core.lazy_module import lazy_module
from nda_models.core.output_locations import check_output_folder, model_folder
from nda_models.core.path_argument import optional_path
from nda_models.data import Dataset, load_dataset
from nda_models.export import save_model
from nda_models.export.write.atomic import check_bundle_location
from nda_models.workflows.learning_curve import write_learning_curve
from nda_models.workflows.recipes import recipe_for
from nda_models.workflows.run_folder import run_folder
from nda_models.workflows.run_places import check_run_places
from nda_models.zoo.registry import build_model, describe_model

keras = lazy_module("keras")

TRAINER_OPTIONS = ("optimizer", "learning_rate", "batch_size", "sampling", "schedule",
                   "momentum", "tau", "power")  # fmt: skip


@dataclasses.dataclass
class TrainingRun:
    """What one run produced.

    Attributes:
        model: The trained ``keras.Model``.
        dataset: The ``Dataset`` it was trained on.
        history: Per-epoch dict of lists (``"loss"``, ``"val_loss"``, ...).
        metrics: ``{"train": {...}, "val": {...}, "test": {...}}`` from
            ``Trainer.evaluate`` on each split.
        settings: The hyper-parameters used (recipe merged with overrides).
        seconds: Wall time of ``fit``.
        log_dir: TensorBoard folder of the run, or ``None``.
        bundle: Path of the exported bundle, or ``None``.
        learning_curve: ``learning_curve.png`` in ``log_dir``, or ``None``.
    """

    model: object
    dataset: object
    history: dict
    metrics: dict
    settings: dict
    seconds: float
    log_dir: pathlib.Path | None = None
    bundle: pathlib.Path | None = None
    learning_curve: pathlib.Path | None = None


def check_compatible(model_name, dataset):
    """Raises ``ValueError`` if the model's task cannot learn the dataset's."""
    task = describe_model(model_name).task
    ok = task == dataset.task or (task == "multiclass" and dataset.task == "binary")
    if not ok:
        raise ValueError(
            f"Model {model_name!r} is a {task} model but dataset {dataset.name!r} "
            f"is a {dataset.task} task. Pick a {dataset.task} model (see "
            f"`nda list --task {dataset.task}`). Received: model={model_name!r}, "
            f"dataset={dataset.name!r}"
        )


def train_model(
    model_name,
    dataset=None,
    *,
    seed=0,
    hparams=None,
    logdir="runs",
    out=None,
    trace_every=None,
    verbose=1,
    callbacks=(),
    run_label=None,
    checkpoint_dir=None,
    checkpoint_every=None,
    **overrides,
):
    """Trains ``model_name`` on its lecture dataset (or ``dataset``) and exports it.

    Args:
        model_name: Registry key.
        dataset: A dataset name for ``load_dataset`` or a ``Dataset``; ``None``
            uses the model's lecture recipe.
        seed: Seed of the data split, the weights and the sampling.
        hparams: Builder hyper-parameters (e.g. ``{"hidden_units": (32,)}``).
        logdir: TensorBoard root; the run writes to ``logdir/MODEL/TIMESTAMP``,
            with ``learning_curve.png`` beside the logs. ``None`` writes neither.
            A run resumed from ``checkpoint_dir`` continues the folder it
            started (see ``run_folder.py``).
        out: Bundle folder; ``None`` exports nothing.
        trace_every: Print the slide's iteration table every k steps.
        verbose: 0 silent; 1 progress that fits stdout (a bar on a terminal,
            a display in a notebook, one line per epoch in a file); 2 one
            line per epoch (see ``callbacks/progress.py``).
        callbacks: Extra Keras callbacks.
        run_label: Sub-folder name of the run inside its timestamp folder.
        checkpoint_dir: Checkpoint folder; a run found there is resumed
            (see ``Trainer``); ``None`` saves no checkpoints.
        checkpoint_every: Steps between checkpoints (``None``: epoch ends).
        **overrides: ``epochs``, ``normalize`` and the Trainer options
            ``optimizer``, ``learning_rate``, ``batch_size``, ``sampling``,
            ``schedule``, ``momentum``, ``tau``, ``power`` (defaults from
            ``recipes.RECIPES``, then the Trainer's).

    Returns:
        A ``TrainingRun``.

    Example:
        >>> run = train_model("perceptron", logdir=None, verbose=0)
        >>> run.metrics["train"]["accuracy"]
        1.0
    """
    optional_path(logdir, "logdir", "runs")  # before any work
    optional_path(checkpoint_dir, "checkpoint_dir", "checkpoints/NAME")
    check_bundle_location(out, "out")
    settings, dataset, model = prepare_run(
        model_name, dataset, seed, hparams, overrides
    )  # fail now, not after training
    check_output_folder(model_folder(logdir, model_name), "logdir")
    check_run_places(
        model_name, out=out, logdir=logdir, checkpoint_dir=checkpoint_dir
    )  # no place may destroy or block another
    log_dir = None
    if logdir is not None:  # a resumed run continues its own folder
        log_dir = run_folder(logdir, model_name, run_label,
                             checkpoint_dir=checkpoint_dir)  # fmt: skip
        if checkpoint_dir is not None:
            # Keras: the callback subclasses keras.callbacks.Callback, and this
            # module stays light for `nda train`'s argument checks.
            from nda_models.workflows.record_run_folder import RecordRunFolder

            record = RecordRunFolder(checkpoint_dir, logdir, model_name, log_dir)
            callbacks = [record, *callbacks]
    trainer = nda.Trainer(
        model,
        seed=seed,
        log_dir=None if log_dir is None else str(log_dir),
        checkpoint_dir=checkpoint_dir,
        checkpoint_every=checkpoint_every,
        **trainer_options(settings),
    )
    run = fit_run(trainer, dataset, settings, callbacks, verbose, log_dir, trace_every)
    if log_dir is not None:
        run.learning_curve = write_learning_curve(
            run.history,
            log_dir,
            f"{model_name} on {dataset.name}",
            describe_model(model_name).loss.replace("_", " "),
            # The bundle holds the weights after the last epoch run.
            bundle_epoch=None if out is None else len(run.history["loss"]),
        )
    if out is not None:
        run.bundle = export_run(run, out, hparams)
    return run


def prepare_run(model_name, dataset, seed, hparams, overrides):
    """The settings (recipe + overrides), the ``Dataset`` and the built model.

    Returns:
        ``(settings, dataset, model)``.
    """
    settings = _settings(model_name, dataset, overrides)
    if not isinstance(dataset, Dataset):
        dataset = load_dataset(settings["dataset"], seed=seed)
    settings["dataset"] = dataset.name
    check_compatible(model_name, dataset)
    return settings, dataset, _build(model_name, dataset, settings, hparams, seed)


def trainer_options(settings):
    """The ``Trainer`` keywords among ``settings``."""
    return {key: settings[key] for key in TRAINER_OPTIONS if key in settings}


def fit_run(trainer, dataset, settings, callbacks=(), verbose=0, log_dir=None,
            trace_every=None):  # fmt: skip
    """Fits ``trainer`` on ``dataset`` as ``settings`` say and evaluates each split.

    Returns:
        A ``TrainingRun`` (without a bundle).
    """
    model = trainer.model
    callbacks = list(callbacks)
    if log_dir is not None:
        # Epoch curves of train and validation loss/metrics beside the loop's
        # per-step summaries: Keras's own callback, unchanged.
        callbacks.append(
            keras.callbacks.TensorBoard(log_dir=str(log_dir), write_graph=False)
        )
    if trace_every:
        callbacks.append(nda.IterationTable(every=trace_every))
    start = time.perf_counter()
    history = trainer.fit(
        dataset.x_train,
        dataset.y_train,
        epochs=settings["epochs"],
        validation_data=(dataset.x_val, dataset.y_val),
        callbacks=callbacks,
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    metrics = {
        split: trainer.evaluate(*dataset.split(split))
        for split in ("train", "val", "test")
    }
    return TrainingRun(
        model, dataset, dict(history.history), metrics, settings, seconds, log_dir
    )


def _settings(model_name, dataset, overrides):
    describe_model(model_name)  # unknown names fail here, with suggestions
    settings = recipe_for(model_name)
    if dataset is not None:
        settings["dataset"] = dataset if isinstance(dataset, str) else dataset.name
    unknown = set(overrides) - set(TRAINER_OPTIONS) - {"epochs", "normalize"}
    if unknown:
        raise ValueError(
            f"Unknown training option(s) {sorted(unknown)}. Expected some of "
            f"{sorted(TRAINER_OPTIONS + ('epochs', 'normalize'))}."
        )
    settings.update(
        {key: value for key, value in overrides.items() if value is not None}
    )
    return settings


def _build(model_name, dataset, settings, hparams, seed):
    hparams = dict(hparams or {})
    spec = describe_model(model_name)
    if "num_classes" in spec.required:
        hparams.setdefault("num_classes", dataset.num_classes)
    if "seed" in spec.defaults:
        hparams.setdefault("seed", seed)
    if settings.get("normalize", True):
        hparams.setdefault("normalization", dataset.normalization)
    return build_model(model_name, input_dim=dataset.input_dim, **hparams)


def export_run(run, out, hparams=None):
    """Writes ``run``'s bundle to ``out`` with its dataset, metrics and history."""
    return save_model(
        run.model,
        out,
        dataset=run.dataset,
        history=run.history,
        metrics=run.metrics,
        hparams={
            key: value
            for key, value in (hparams or {}).items()
            if key != "normalization"
        },
        training=run.settings,
    )
