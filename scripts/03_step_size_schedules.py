"""Constant step size vs a Robbins–Monro schedule: the region of confusion.

Lecture 12, slides "Gradient descent" and "SGD characteristics". What it
computes, prints and draws is the section
``nda_models.lecture.sections.step_size_schedules`` (``--help`` shows it),
the same calls as ``notebooks/03_step_size_schedules.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import step_size_schedules as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds, optimum = section.least_squares_optimum()
    runs = section.train_runs(ds, optimum, scale=args.scale)
    figure = section.distance_figure(runs)
    save_figure(figure, folder, "distance_to_optimum.png", close=True)
    figure = section.cloud_figure(runs, optimum)
    save_figure(figure, folder, "region_of_confusion.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
