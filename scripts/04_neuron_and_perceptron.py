"""The logistic neuron and Rosenblatt's perceptron on the iris petals.

Lecture 12, slides "Simple artificial neuron", "Reminder: Logistic
Regression", "The Perceptron" and "Perceptron Example". What it computes,
prints and draws is the section
``nda_models.lecture.sections.neuron_and_perceptron`` (``--help`` shows it),
the same calls as ``notebooks/04_neuron_and_perceptron.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import neuron_and_perceptron as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds = section.load_data()
    trained = section.train_models(ds, scale=args.scale)
    figure = section.boundary_figure(ds, trained)
    save_figure(figure, folder, "decision_boundaries.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
