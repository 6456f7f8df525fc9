"""Gradient descent, SGD and mini-batches; the slide's "Regression Example" table.

Lecture 12, slides "Least Squares", "Gradient descent", "Incremental gradient
methods", "Mini-batching", "Mini-batch convergence example" and "Regression
Example". What it computes, prints and draws is the section
``nda_models.lecture.sections.gradient_descent`` (``--help`` shows it), the
same calls as ``notebooks/01_gradient_descent.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import gradient_descent as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds = section.load_data()
    optimum = section.closed_form(ds)
    trainer = section.linear_trainer(ds)
    section.gradient_at_zero(trainer, ds)
    paths = section.train_methods(trainer, ds, optimum, scale=args.scale)
    figure = section.trajectories_figure(paths, optimum)
    save_figure(figure, folder, "trajectories.png", close=True)
    rows, losses = section.slide_table()
    figure = section.slide_figure(rows, losses)
    save_figure(figure, folder, "regression_example.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
