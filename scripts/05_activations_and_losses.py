"""Activation functions and loss functions, plotted and checked against the formulas.

Lecture 12, slides "Activation functions" and "Loss functions". What it
computes, prints and draws is the section
``nda_models.lecture.sections.activations_and_losses`` (``--help`` shows
it), the same calls as ``notebooks/05_activations_and_losses.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import activations_and_losses as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    section.formula_table()
    section.derivative_table()
    figure = section.activation_figure()
    save_figure(figure, folder, "activations.png", close=True)
    figure = section.loss_figure()
    save_figure(figure, folder, "losses.png", close=True)
    figure = section.derivative_figure()
    save_figure(figure, folder, "activation_derivatives.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
