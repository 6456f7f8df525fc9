"""The model registry: every builder registers itself under its own name.

Follows timm's registry: the builder function's name is the registry key and
the name of the ``keras.Model`` it returns. Describing a model reads the
builder's signature and the registration data only: no model is built and
TensorFlow is not imported.

Example:
    >>> import nda_models as nda
    >>> nda.list_models("mlp_*")
    ['mlp_classifier', 'mlp_regressor']
    >>> spec = nda.describe_model("perceptron")
    >>> spec.loss, spec.output_kind, spec.hparams
    ('perceptron_criterion', 'binary_decision', ('input_dim', 'normalization'))
"""

import dataclasses
import fnmatch
import inspect
import types
import warnings
from importlib import metadata

from nda_models.core.suggestions import did_you_mean
from nda_models.zoo.losses import LOSSES, loss_definition
from nda_models.zoo.model_spec_html import model_spec_html
from nda_models.zoo.output_kinds import OUTPUT_KINDS, output_kinds_of
from nda_models.zoo.tasks import TASKS

PLUGIN_GROUP = "nda_models.models"

_REGISTRY = {}
_plugins_loaded = False


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """What a registered model is, read without building it.

    Attributes:
        name: Registry key, also the builder's and the Keras model's name.
        task: One of ``"regression"``, ``"binary"``, ``"multiclass"``
            (see ``nda_models.zoo.tasks``).
        output_kind: What the model's output holds, declared at
            registration: ``"regression"``, ``"binary_probability"``,
            ``"binary_decision"`` or ``"multiclass_probability"`` (see
            ``nda_models.zoo.output_kinds``).
        summary: One line, the first line of the builder's docstring.
        hparams: The names of every hyper-parameter the builder takes
            (``input_dim`` included), in its signature's order.
        defaults: Read-only mapping of hyper-parameter name to default value,
            taken from the builder's signature.
        required: Hyper-parameters without a default (e.g. ``input_dim``).
        loss: Name of the default loss (see ``nda_models.zoo.losses``);
            ``loss_definition`` says in one line what it computes.
        metrics: Names of the default metrics.
        loss_input: Name of the layer whose output the loss reads (``None``:
            the model's own output). Classifiers output probabilities for
            inference but compute their loss from logits or log-probabilities.
        builder: The builder function.
    """

    name: str
    task: str
    output_kind: str
    summary: str
    hparams: tuple
    defaults: types.MappingProxyType
    required: tuple
    loss: str
    metrics: tuple
    loss_input: str | None
    builder: object = dataclasses.field(repr=False, compare=False)

    @property
    def loss_definition(self):
        """One line saying what ``loss`` computes: batch mean or sum, with or
        without the slides' ½ (e.g. ``"J = (1/M) Σ (y − ŷ)², ..."``)."""
        return loss_definition(self.loss)

    def _repr_html_(self):
        """The spec as an HTML table in Jupyter (every value escaped)."""
        return model_spec_html(self)


def register_model(*, task, loss, output_kind=None, metrics=(), loss_input=None):
    """Decorator that registers a model builder under its function name.

    Args:
        task: ``"regression"``, ``"binary"`` or ``"multiclass"``.
        loss: Name of the default loss (one of ``nda_models.zoo.losses``).
        output_kind: What the model's output holds (required): one of the
            task's output kinds, see ``nda_models.zoo.output_kinds``.
        metrics: Names of the default metrics.
        loss_input: Layer whose output the loss reads, or ``None``.

    Returns:
        The decorator; it returns the builder unchanged.

    Raises:
        ValueError: if ``task``, ``loss`` or ``output_kind`` is unknown, the
            output kind is not one of the task's, or the name is taken by a
            different function (the same function imported again is fine).
        TypeError: if ``output_kind`` is not given, or the builder does not
            take ``input_dim``.

    Example:
        >>> @register_model(
        ...     task="regression", loss="mean_squared_error", output_kind="regression"
        ... )
        ... def my_regressor(*, input_dim): ...
    """
    TASKS.check("task", task)
    LOSSES.check("loss", loss)
    if output_kind is not None:
        _check_output_kind(task, output_kind)

    def decorator(builder):
        name = builder.__name__
        if output_kind is None:
            raise TypeError(
                f"Model {name!r} does not declare what its output holds. Pass "
                f"output_kind= to register_model, one of the {task} kinds "
                f"{list(output_kinds_of(task))} (see nda_models.zoo.output_kinds). "
                f"Received: output_kind=None for {_origin(builder)}"
            )
        taken = _REGISTRY.get(name)
        if taken is not None and not _same_function(taken.builder, builder):
            raise ValueError(
                f"Model name {name!r} is already registered by "
                f"{_origin(taken.builder)}. Rename the builder function. "
                f"Received: {_origin(builder)}"
            )
        _REGISTRY[name] = _make_spec(
            builder, task, output_kind, loss, tuple(metrics), loss_input
        )
        return builder

    return decorator


def _check_output_kind(task, output_kind):
    kind = OUTPUT_KINDS.lookup("output_kind", output_kind)
    if kind.task != task:
        raise ValueError(
            f"A {task} model cannot have the output kind {output_kind!r}, which "
            f"is {kind.output} of a {kind.task} model. Expected one of "
            f"{list(output_kinds_of(task))}. Received: output_kind={output_kind!r}"
        )


def _same_function(a, b):
    return (a.__module__, a.__qualname__) == (b.__module__, b.__qualname__)


def _origin(builder):
    return f"{builder.__module__}.{builder.__qualname__}"


def _make_spec(builder, task, output_kind, loss, metrics, loss_input):
    signature = inspect.signature(builder)
    hparams, defaults, required = [], {}, []
    for param in signature.parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        hparams.append(param.name)
        if param.default is param.empty:
            required.append(param.name)
        else:
            defaults[param.name] = param.default
    if "input_dim" not in hparams:
        raise TypeError(
            f"A model builder takes the keyword `input_dim` (build_model passes "
            f"the number of features). Add it to the signature of "
            f"{_origin(builder)}. Received: parameters {hparams}"
        )
    doc = inspect.getdoc(builder) or ""
    return ModelSpec(
        name=builder.__name__,
        task=task,
        output_kind=output_kind,
        summary=doc.splitlines()[0] if doc else "",
        hparams=tuple(hparams),
        defaults=types.MappingProxyType(defaults),
        required=tuple(required),
        loss=loss,
        metrics=metrics,
        loss_input=loss_input,
        builder=builder,
    )


def _load_plugins():
    """Imports third-party builders from the ``nda_models.zoo`` entry points."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for entry_point in metadata.entry_points(group=PLUGIN_GROUP):
        try:
            entry_point.load()
        except Exception as error:  # noqa: BLE001 - a plugin must not crash us
            warnings.warn(
                f"Could not load the nda_models plugin {entry_point.name!r} "
                f"({entry_point.value}): {type(error).__name__}: {error}. "
                "Its models are not available; fix or uninstall the plugin.",
                RuntimeWarning,
                stacklevel=3,
            )


def _unknown(kind, received, known):
    hint = did_you_mean(received, known)
    return ValueError(
        f"Unknown {kind}.{hint} Expected one of {sorted(known)}. Received: {received!r}"
    )


def list_models(pattern="*", *, task=None):
    """Lists registered model names, sorted.

    Args:
        pattern: fnmatch-style pattern, e.g. ``"mlp_*"``.
        task: Keep only models of this task.

    Returns:
        The sorted list of matching registry keys.

    Raises:
        ValueError: if ``task`` is not a known task.

    Example:
        >>> list_models(task="binary")
        ['logistic_neuron', 'perceptron']
    """
    if task is not None:
        TASKS.check("task", task)
    _load_plugins()
    return sorted(
        name
        for name, spec in _REGISTRY.items()
        if fnmatch.fnmatchcase(name, pattern) and (task is None or spec.task == task)
    )


def get_spec(name):
    """Returns the ``ModelSpec`` registered under ``name``, or ``None``.

    Unlike ``describe_model`` it does not raise: code that handles zoo and
    non-zoo models alike (a model's name may be anything) asks with this.

    Example:
        >>> get_spec("perceptron").task, get_spec("my_own_model")
        ('binary', None)
    """
    _load_plugins()
    return _REGISTRY.get(name) if isinstance(name, str) else None


def is_model(name):
    """True when ``name`` is a registered model.

    Example:
        >>> is_model("mlp_classifier"), is_model("mlp")
        (True, False)
    """
    return get_spec(name) is not None


def describe_model(name):
    """Returns the frozen ``ModelSpec`` of a registered model, building nothing.

    Raises:
        ValueError: if no model has that name (the message lists the models
            and suggests the closest name).

    Example:
        >>> describe_model("linear_regressor").task
        'regression'
    """
    spec = get_spec(name)
    if spec is None:
        raise _unknown("model", str(name), list(_REGISTRY))
    return spec


def build_model(name, *, input_dim, **hparams):
    """Builds a registered model with checked hyper-parameters.

    Args:
        name: Registry key, see ``list_models()``.
        input_dim: Number of input features.
        **hparams: Builder hyper-parameters; names are checked against the
            builder's signature (classifiers with more than two classes
            require ``num_classes``).

    Returns:
        A functional ``keras.Model`` named ``name``.

    Raises:
        ValueError: for an unknown model or hyper-parameter name, or a
            missing required one.

    Example:
        >>> model = build_model("mlp_classifier", input_dim=4, num_classes=3)
    """
    spec = describe_model(name)
    accepted = set(spec.defaults) | set(spec.required)
    for key in hparams:
        if key not in accepted:
            hint = did_you_mean(key, accepted)
            raise ValueError(
                f"Unknown hyper-parameter for model {name!r}.{hint} "
                f"Expected one of {sorted(accepted)}. Received: {key}="
                f"{hparams[key]!r}"
            )
    missing = [p for p in spec.required if p != "input_dim" and p not in hparams]
    if missing:
        raise ValueError(
            f"Model {name!r} requires the hyper-parameter(s) {missing}. "
            f"Pass them to build_model, e.g. build_model({name!r}, "
            f"input_dim={input_dim!r}, {missing[0]}=...). Received: {sorted(hparams)}"
        )
    model = spec.builder(input_dim=input_dim, **hparams)
    # What save_model records as the bundle's hyper-parameters (never read
    # from layer names); set past Keras's attribute tracking.
    object.__setattr__(model, "_nda_build_hparams", dict(hparams))
    return model
