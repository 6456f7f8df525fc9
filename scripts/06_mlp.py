"""Multi-layer perceptrons: regression (diabetes) and classification (wine).

Lecture 12, slides "Multi-Layer Perceptron", "Hidden Layers (Regression)",
"Hidden Layers (Classification)" and "Hyperparameters choice". What it
computes, prints and draws is the section ``nda_models.lecture.sections.mlp``
(``--help`` shows it), the same calls as ``notebooks/06_mlp.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import mlp as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    curves = section.train_mlps(scale=args.scale)
    figure = section.learning_curves_figure(curves)
    save_figure(figure, folder, "learning_curves.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
